/**
 * `npm run bench:batch [-- --minutes N] [--processing-ms MS] [--out FILE]`: `-i FILE --batch` of a long file (by
 * default ten minutes of speech) against the test double on loopback, whose pre-recorded API stays `queued`
 * 0.1 s and `processing` --processing-ms (default 5000). Prints and writes (default bench/results/batch.json)
 * the wall time, the client's CPU time and peak memory, and the turns written: the wall time should be the
 * double's delay plus the upload, not the client's work. Not part of the test suite.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeServer } from '../test/support/fake-server.js';
import { flagValue } from './argv.js';
import { cpuPreciseMs, memoryMb } from './proc.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'live-transcribe.cjs');
const PHRASES = ['hello world', 'good morning everyone', 'the quick brown fox jumps over the lazy dog', 'please call me back tomorrow'];

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const minutes = Number(flagValue(argv, '--minutes', '10'));
  const processingMs = Number(flagValue(argv, '--processing-ms', '5000'));
  const out = flagValue(argv, '--out', path.join(ROOT, 'bench', 'results', 'batch.json'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lt-bench-batch-'));
  try {
    const gap = path.join(dir, 'gap.wav');
    execFileSync('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', gap, 'trim', '0', '1.2']);
    const parts = PHRASES.map((p, i) => {
      const f = path.join(dir, `p${i}.wav`);
      const wav = execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '--stdout', p]);
      execFileSync('sox', ['-t', 'wav', '-', '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', f], { input: wav });
      return f;
    });
    const round = path.join(dir, 'round.wav');
    execFileSync('sox', parts.flatMap((p) => [p, gap]).concat([round]));
    const roundS = Number(execFileSync('sox', ['--i', '-D', round]).toString());
    const rounds = Math.max(1, Math.round((minutes * 60) / roundS));
    const input = path.join(dir, 'long.wav');
    execFileSync('sox', [...Array.from({ length: rounds }, () => round), input]);
    const audioS = Number(execFileSync('sox', ['--i', '-D', input]).toString());

    const server = await startFakeServer({ script: ['scripted words'], prerecorded: { queuedMs: 100, processingMs } });
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, '--api-host', server.url, '-i', input, '--batch', '--format', 'json'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, ASSEMBLYAI_API_KEY: 'test-key-0000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let cpu = 0;
    let peakMb = 0;
    const sample = setInterval(() => {
      const c = child.pid === undefined ? undefined : cpuPreciseMs(child.pid);
      const m = child.pid === undefined ? undefined : memoryMb(child.pid);
      if (c !== undefined) cpu = c;
      if (m !== undefined && Number.isFinite(m.hwm)) peakMb = Math.max(peakMb, m.hwm);
    }, 50);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearInterval(sample);
    const wallS = (Date.now() - started) / 1000;
    await server.close();
    const turns = stdout.split('\n').filter((l) => l.includes('"type":"turn"')).length;
    const result = {
      date: new Date().toISOString(),
      audioSeconds: Math.round(audioS * 10) / 10,
      fileMb: Math.round(statSync(input).size / 1e5) / 10,
      doubleProcessingMs: processingMs,
      exitCode: code,
      wallSeconds: Math.round(wallS * 100) / 100,
      clientCpuMs: Math.round(cpu),
      clientPeakRssMb: Math.round(peakMb * 10) / 10,
      turnsExpected: rounds * PHRASES.length,
      turnsWritten: turns,
    };
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\nwritten: ${out}\n`);
    if (code !== 0) process.stderr.write(stderr.split('\n').slice(-10).join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
