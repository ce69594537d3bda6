// Memory over many turns, in one minute (the full `npm run bench` takes 11): RSS of the client after 2000 and
// after 8000 turns sent by the double, as the bench's long session sends them (about 300 turns a second).
// Run `npm run bench -- --quick` once first (it compiles the double to .bench/), then
// `npm run build && node bench/turn-memory.mjs [live-transcribe flags]`; CHILD_NODE_FLAGS="..." passes V8
// flags to the client only; LT_BIN=path/to/bin/live-transcribe.cjs measures another checkout's client.
// What it found: +3.4 MB per 1000 turns (flat, about +0.1, with --max-semi-space-size=1), caused by
// createEventFormatter spreading its options object (`{ ...o, cueNumber }`) for every event, partials included:
// V8 grew its young generation under the burst. Named fields instead: +0.1 MB per 1000 turns, as in e848e60.
import { startFakeServer } from '../.bench/test/support/fake-server.js';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const SILENCE = join(tmpdir(), 'lt-turn-memory-silence.wav');
execFileSync('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', SILENCE, 'trim', '0', '120']);
const server = await startFakeServer({});
const args = process.argv.slice(2);
const child = spawn(
  process.execPath,
  [
    ...(process.env.CHILD_NODE_FLAGS ?? '').split(' ').filter(Boolean),
    process.env.LT_BIN ?? new URL('../bin/live-transcribe.cjs', import.meta.url).pathname,
    '--api-host',
    server.url,
    '-i',
    SILENCE,
    ...args,
  ],
  { env: { ...process.env, ASSEMBLYAI_API_KEY: 'test-key-0000' }, stdio: ['ignore', 'pipe', 'ignore'] },
);
let lines = 0;
child.stdout.on('data', (d) => {
  lines += d.toString().split('\n').length - 1;
});
await server.waitFor((s) => (s[0]?.id ?? '') !== '', 10000);
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
const W = 'so the plan for the next release is to ship the new parser first and then measure everything again'.split(' ');
const tm = (order, text, final, formatted) => {
  const t = text.split(' ');
  return {
    type: 'Turn',
    turn_order: order,
    turn_is_formatted: formatted,
    end_of_turn: final,
    transcript: text,
    end_of_turn_confidence: final ? 0.9 : 0.1,
    words: t.map((w, i) => ({
      start: 1000 * order + i * 300,
      end: 1000 * order + i * 300 + 250,
      text: w,
      confidence: 0.95,
      word_is_final: final || i < t.length - 1,
    })),
  };
};
const waitLines = async (n) => {
  while (lines < n) await new Promise((r) => setTimeout(r, 5));
};
let r1;
for (let o = 0; o < 8000; o++) {
  const n = 8 + (o % 9);
  const text = `${o} ${W.slice(0, n).join(' ')}`;
  for (let k = 3; k < n; k += 4) server.sendTurn(0, tm(o, `${o} ${W.slice(0, k).join(' ')}`, false, false));
  server.sendTurn(0, tm(o, text, true, false));
  server.sendTurn(0, tm(o, `${text.charAt(0).toUpperCase() + text.slice(1)}.`, true, true));
  if (o % 50 === 49) await waitLines(o - 100);
  if (o === 1999) {
    await waitLines(2000);
    r1 = rss();
  }
}
await waitLines(8000);
const r2 = rss();
console.log('rss at 2000', r1.toFixed(1), 'at 8000', r2.toFixed(1), 'per 1000', ((r2 - r1) / 6).toFixed(2));
child.kill('SIGKILL');
await server.close();
process.exit(0);
