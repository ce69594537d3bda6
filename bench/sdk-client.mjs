#!/usr/bin/env node
// The reference client for the benchmark: the same job as live-transcribe written the way AssemblyAI's own
// quickstart does it with the official JavaScript SDK (`assemblyai`, a devDependency used only here):
// node-record-lpcm16 records the default microphone with its stock SoX command, its stream is piped into
// StreamingTranscriber.stream(), and every final (formatted) turn is printed as one line on stdout.
// Differences from the quickstart, for a fair comparison: raw PCM instead of WAV (no header sent as audio),
// and the same parameters live-transcribe sends by default.
//
//   node bench/sdk-client.mjs wss://127.0.0.1:PORT      (ASSEMBLYAI_API_KEY in the environment)
//   node bench/sdk-client.mjs wss://127.0.0.1:PORT --connect-only
//       connects, prints `Begin <ms from connect() to Begin>`, terminates the session and exits 0 (no audio):
//       test/infra/fake-server.test.ts checks with it that this client gets Begin at the double's real timings.
//
// The SDK accepts only wss:// URLs; the bench's double serves TLS with a certificate trusted through
// NODE_EXTRA_CA_CERTS. SIGINT/SIGTERM: stop recording, Terminate, wait for Termination, exit 0.
import { Readable } from 'node:stream';
import { AssemblyAI } from 'assemblyai';
import recorder from 'node-record-lpcm16';

const [base, mode] = process.argv.slice(2);
if (!base || (mode !== undefined && mode !== '--connect-only')) {
  process.stderr.write('usage: sdk-client.mjs wss://HOST:PORT [--connect-only]\n');
  process.exit(2);
}

const client = new AssemblyAI({ apiKey: process.env.ASSEMBLYAI_API_KEY ?? '' });
const transcriber = client.streaming.transcriber({
  websocketBaseUrl: `${base.replace(/\/+$/, '')}/v3/ws`,
  sampleRate: 16_000,
  formatTurns: true,
  speechModel: 'universal-streaming-english',
  // The SDK's own default is 1000 ms for the handshake AND Begin, retried twice: the service's Begin comes about
  // 1.2 s after the upgrade (docs/service.md#begin), so with the default every attempt times out and this client
  // never starts (against the real service as against the double at its real timings). live-transcribe allows
  // 15 s (src/core/defaults.ts); 10 s here is as far from mattering.
  connectTimeout: 10_000,
});

transcriber.on('turn', (turn) => {
  if (turn.end_of_turn && turn.turn_is_formatted && turn.transcript !== '') process.stdout.write(`${turn.transcript}\n`);
});
transcriber.on('error', (err) => process.stderr.write(`error: ${err.message}\n`));
transcriber.on('close', (code, reason) => process.stderr.write(`closed: ${code} ${reason}\n`));

let recording;
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  recording?.stop();
  await transcriber.close();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const connectStarted = performance.now();
try {
  await transcriber.connect();
} catch (err) {
  process.stderr.write(`error: could not connect: ${err.message}\n`);
  process.exit(1);
}
if (mode === '--connect-only') {
  process.stdout.write(`Begin ${Math.round(performance.now() - connectStarted)}\n`);
  await stop();
}
process.stderr.write('Listening\n');
recording = recorder.record({ sampleRate: 16_000, channels: 1, audioType: 'raw' });
recording.process.on('error', (err) => process.stderr.write(`error: sox: ${err.message}\n`));
Readable.toWeb(recording.stream())
  .pipeTo(transcriber.stream())
  .catch((err) => {
    if (!stopping) process.stderr.write(`error: audio stream: ${err.message}\n`);
  });
