#!/usr/bin/env node
// The floor of the CPU figure: the least a client can do and still send each 50 ms frame the moment SoX has
// captured it, which is what live-transcribe must do (issue 2: 50 ms frames; issue 6: no batching). It runs
// live-transcribe's own SoX command (same buffering, built by src/audio/sox-command.ts, compiled into .bench/ with the bench), cuts the bytes into
// 50 ms frames with live-transcribe's framer and sends each with ws over TLS. Nothing else: no level meter, no
// replay buffer, no reconnects, no rendering, no turn handling. No 50 ms client can cost less CPU than this.
//
//   node bench/minimal-client.mjs wss://127.0.0.1:PORT      (ASSEMBLYAI_API_KEY in the environment)
//
// SIGINT/SIGTERM: stop SoX, Terminate, wait for the close (bounded), exit 0.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildSoxCommand, STDBUF_LIBRARY_PATHS } from '../.bench/src/audio/sox-command.js';
import { createFramer, frameBytesFor } from '../.bench/src/audio/framer.js';

const WebSocket = createRequire(import.meta.url)('ws');

const base = process.argv[2];
if (!base) {
  process.stderr.write('usage: minimal-client.mjs wss://HOST:PORT\n');
  process.exit(2);
}
const query = 'sample_rate=16000&encoding=pcm_s16le&format_turns=true&speech_model=universal-streaming-english';
const ws = new WebSocket(`${base.replace(/\/+$/, '')}/v3/ws?${query}`, {
  headers: { Authorization: process.env.ASSEMBLYAI_API_KEY ?? '' },
  perMessageDeflate: false,
});

let sox;
let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  sox?.kill('SIGTERM');
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'Terminate' }));
  const timer = setTimeout(() => process.exit(0), 3000);
  ws.once('close', () => {
    clearTimeout(timer);
    process.exit(0);
  });
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
ws.on('error', (err) => {
  process.stderr.write(`error: ${err.message}\n`);
  process.exit(1);
});

ws.on('message', (data, isBinary) => {
  if (isBinary || sox !== undefined) return;
  if (JSON.parse(data.toString()).type !== 'Begin') return;
  process.stderr.write('Listening\n');
  const stdbufLibrary = STDBUF_LIBRARY_PATHS.find((p) => existsSync(p));
  const command = buildSoxCommand({
    sampleRateHz: 16_000,
    platform: process.platform,
    env: process.env,
    ...(stdbufLibrary ? { stdbufLibrary } : {}),
  });
  sox = spawn(command.command, command.args, { env: command.env, stdio: ['ignore', 'pipe', 'ignore'] });
  const framer = createFramer(frameBytesFor(16_000));
  sox.stdout.on('data', (chunk) => {
    for (const frame of framer.push(chunk)) ws.send(frame);
  });
});
