/**
 * `npm run bench:dictation [-- --turns N]`: issue 21's figure, a final turn's arrival to its keystrokes in the
 * focused X window. The double sends a final Turn (the classic unformatted/formatted pair) to a running
 * `live-transcribe dictate`; xdotool types it into an xterm under Xvfb running `cat > OUT`; the time is taken
 * from the formatted final's send to the moment its last character is in OUT (inotify on OUT, both clocks in
 * this process). Reference: `xdotool type` of the same text, started directly by this process (what the
 * typing tool itself costs). Prints one Markdown row and writes bench/results/dictation.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeServer } from '../test/support/fake-server.js';
import { startXDesktop, type XDesktop } from '../test/support/xdesktop.js';
import { API_KEY, nowMs, sleep } from './clients.js';
import { prng, summarize, type Summary } from './stats.js';
import { renderTable } from './table.js';
import { turnMessage } from './turns.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'live-transcribe.cjs');

/** Resolves at the first moment OUT (as the X client wrote it) ends with `text`. */
function arrival(x: XDesktop, out: string, text: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      if (!x.received().endsWith(text)) return false;
      const at = nowMs();
      watcher.close();
      clearTimeout(timer);
      resolve(at);
      return true;
    };
    const watcher = watch(out, () => void check());
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`${JSON.stringify(text)} did not arrive; the X client has ${JSON.stringify(x.received().slice(-200))}`));
    }, timeoutMs);
    check();
  });
}

/** A WAV header for a long stream of 16 kHz mono silence (the double hears no speech: only the bench's turns). */
function silenceWavHeader(seconds: number): Buffer {
  const bytes = seconds * 32_000;
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + bytes, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(16_000, 24);
  h.writeUInt32LE(32_000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(bytes, 40);
  return h;
}

async function measure(turns: number): Promise<{ ours: Summary; reference: Summary }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lt-bench-dictation-'));
  const x = await startXDesktop(dir);
  const out = x.file;
  const server = await startFakeServer({ script: ['unused'] });
  const runtime = mkdtempSync(path.join(dir, 'run-'));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ASSEMBLYAI_API_KEY: API_KEY,
    DISPLAY: x.display,
    XDG_RUNTIME_DIR: runtime,
  };
  const seconds = 600;
  const client: ChildProcess = spawn(process.execPath, [BIN, 'dictate', '--no-notify', '-q', '--api-host', server.url, '-i', '-'], {
    env,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  client.stdin!.on('error', () => undefined);
  client.stdin!.write(Buffer.concat([silenceWavHeader(seconds), Buffer.alloc(seconds * 32_000)]));
  const random = prng(21);
  const ours: number[] = [];
  const reference: number[] = [];
  try {
    await server.waitFor((s) => (s[0]?.frames.length ?? 0) > 0, 20_000);
    for (let order = 0; order < turns; order += 1) {
      const text = `Turn ${order}, the quick brown fox jumps over the lazy dog.`;
      server.sendTurn(0, turnMessage(order, text.toLowerCase().replace(/[.,]/g, ''), { final: true, formatted: false }));
      const typed = arrival(x, out, text, 5000);
      const sentAt = nowMs();
      if (!server.sendTurn(0, turnMessage(order, text, { final: true, formatted: true }))) throw new Error(`the double could not send turn ${order}`);
      ours.push((await typed) - sentAt);
      await sleep(30 + random() * 60);
      // The reference: the same tool, typing the same kind of text, started from here.
      const ref = ` Ref ${order}, the quick brown fox jumps over the lazy dog.`;
      const refTyped = arrival(x, out, ref, 5000);
      const startedAt = nowMs();
      spawn('xdotool', ['type', '--clearmodifiers', '--delay', '0', '--', ref], { env, stdio: 'ignore' });
      reference.push((await refTyped) - startedAt);
      await sleep(30 + random() * 60);
    }
  } finally {
    client.kill('SIGTERM');
    await new Promise((r) => (client.exitCode !== null ? r(undefined) : client.once('exit', r)));
    await server.close();
    await x.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const round = (v: number): number => Math.round(v * 10) / 10;
  return { ours: summarize(ours.map(round)), reference: summarize(reference.map(round)) };
}

const turnsArg = process.argv.indexOf('--turns');
const turns = turnsArg >= 0 ? Number(process.argv[turnsArg + 1]) : 100;
const { ours, reference } = await measure(turns);
const row = {
  figure: `final turn -> keystrokes in the focused X window (xdotool, xterm under Xvfb; ${turns} turns of ~50 characters), p50 / p99`,
  ours: `${ours.median.toFixed(1)} / ${ours.p99.toFixed(1)} ms`,
  reference: `${reference.median.toFixed(1)} / ${reference.p99.toFixed(1)} ms (xdotool type alone)`,
  ratio: `${(ours.median / reference.median).toFixed(2)}x`,
  target: 'a few tens of ms',
  met: ours.median < 100,
};
process.stdout.write(`${renderTable([row])}\n`);
writeFileSync(
  path.join(ROOT, 'bench', 'results', 'dictation.json'),
  `${JSON.stringify({ date: new Date().toISOString(), machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? '?'}`, turns, ours, reference }, null, 2)}\n`,
);
