#!/usr/bin/env node
// The reference client for the benchmark: the same job as live-transcribe written the way AssemblyAI's own
// quickstart does it with the official JavaScript SDK (`assemblyai`, a devDependency used only here):
// node-record-lpcm16 records the default microphone with its stock SoX command, its stream is piped into
// StreamingTranscriber.stream(), and every final (formatted) turn is printed as one line on stdout.
// Differences from the quickstart, for a fair comparison: raw PCM instead of WAV (no header sent as audio),
// and the same parameters live-transcribe sends by default.
//
//   node bench/sdk-client.mjs wss://127.0.0.1:PORT      (ASSEMBLYAI_API_KEY in the environment)
//
// The SDK accepts only wss:// URLs; the bench's double serves TLS with a certificate trusted through
// NODE_EXTRA_CA_CERTS. SIGINT/SIGTERM: stop recording, Terminate, wait for Termination, exit 0.
import { Readable } from 'node:stream';
import { AssemblyAI } from 'assemblyai';
import recorder from 'node-record-lpcm16';

const base = process.argv[2];
if (!base) {
  process.stderr.write('usage: sdk-client.mjs wss://HOST:PORT\n');
  process.exit(2);
}

const client = new AssemblyAI({ apiKey: process.env.ASSEMBLYAI_API_KEY ?? '' });
const transcriber = client.streaming.transcriber({
  websocketBaseUrl: `${base.replace(/\/+$/, '')}/v3/ws`,
  sampleRate: 16_000,
  formatTurns: true,
  speechModel: 'universal-streaming-english',
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

try {
  await transcriber.connect();
} catch (err) {
  process.stderr.write(`error: could not connect: ${err.message}\n`);
  process.exit(1);
}
process.stderr.write('Listening\n');
recording = recorder.record({ sampleRate: 16_000, channels: 1, audioType: 'raw' });
recording.process.on('error', (err) => process.stderr.write(`error: sox: ${err.message}\n`));
Readable.toWeb(recording.stream())
  .pipeTo(transcriber.stream())
  .catch((err) => {
    if (!stopping) process.stderr.write(`error: audio stream: ${err.message}\n`);
  });
