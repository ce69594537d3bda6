/**
 * Issue 19.3-4: writes whole or absent. A write of the -o file that fails (a full device, a file-size limit
 * reached part-way through a cue) fails the run with exit 1 and a clear sentence, also when it happens during
 * the shutdown; the file then ends at the last whole piece and parses. Killed with kill -9 at any point, every
 * file parses (docs/faults.md); turns larger than 64 KiB: writes-large-turns.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { makeSpeechWav } from '../support/audio.js';
import { BIN, cleanEnv, recordOutput, runCli, TEST_KEY } from '../support/cli.js';
import { parseNdjsonStrict, parseSrtStrict, parseVttStrict } from '../support/captions.js';
import { seeded } from '../support/seeded.js';

const run = promisify(execFile);
let dir: string;
/** Speech to its very end: the one final comes only with Terminate, during the shutdown. */
let speechOnly: string;
/** Three phrases with pauses: three finals during the run. */
let three: string;
let server: FakeServer | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-writes-'));
  speechOnly = path.join(dir, 'speech.wav');
  await makeSpeechWav('hello world', speechOnly);
  const parts: string[] = [];
  for (const [i, p] of ['hello world', 'good morning everyone', 'the quick brown fox'].entries()) {
    const f = path.join(dir, `p${i}.wav`);
    await makeSpeechWav(p, f);
    parts.push(f, path.join(dir, 'gap.wav'));
  }
  await run('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', path.join(dir, 'gap.wav'), 'trim', '0', '1.5']);
  three = path.join(dir, 'three.wav');
  await run('sox', [...parts, three]);
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a failed write fails the run (issue 19.3)', () => {
  it('the only turn becomes final at the end of input and cannot be written to /dev/full: exit 1, said, session terminated', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const cli = runCli(
      ['--api-host', server.url, '-i', speechOnly, '-o', '/dev/full', '--force', '--format', 'text'],
      cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY }),
    );
    expect(await cli.exit(30_000), cli.stderr()).toBe(1);
    expect(cli.stderr()).toMatch(
      /error: cannot write the transcript to \/dev\/full: .*no space left on device.*free some space or choose another -o/i,
    );
    const s = await server.waitForSessionClosed(0);
    expect(s.terminated).toBe(true);
  });
});

/** Runs the CLI under `ulimit -f` (1 KiB blocks): the kernel cuts a write short at the limit, then refuses more. */
async function underFileLimit(kib: number, args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn('bash', ['-c', `ulimit -f ${kib}; exec "$0" "$@"`, process.execPath, BIN, ...args], {
    env: cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  recordOutput('stdout of ulimit run', () => stdout);
  recordOutput('stderr of ulimit run', () => stderr);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { code, stderr };
}

describe('a short write: the file ends at the last whole piece (issue 19.4)', () => {
  const LONG = 'long final text '.repeat(24).trim();
  // The limit in KiB: the first turn fits whole, the third does not (a JSON turn, with its words, is ~6 KB).
  it.each([
    ['srt', 1, (t: string) => parseSrtStrict(t).length],
    ['vtt', 1, (t: string) => parseVttStrict(t).length],
    ['json', 12, (t: string) => parseNdjsonStrict(t).filter((e) => e.type === 'turn').length],
    ['txt', 1, (t: string) => t.split('\n').filter((l) => l !== '').length],
  ])('%s: the limit is reached in the middle of a turn', async (ext, kib, count) => {
    server = await startFakeServer({ script: [LONG] });
    const file = path.join(dir, `limited.${ext}`);
    const r = await underFileLimit(kib, ['--api-host', server.url, '-i', three, '-o', file, '--force']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/error: cannot write the transcript to .*: .*(too large|EFBIG).*the file ends at the last whole turn/i);
    const text = await readFile(file, 'utf8');
    expect((await stat(file)).size).toBeLessThan(kib * 1024);
    expect(text.endsWith('\n'), `ends mid-piece: ${JSON.stringify(text.slice(-40))}`).toBe(true);
    expect(count(text)).toBeGreaterThanOrEqual(1);
    expect(text).not.toMatch(/long final text lo$/);
    const s = await server.waitForSessionClosed(0);
    expect(s.terminated).toBe(true);
  });
});

/** A final of `n` words (the double's wire form, --no-format-turns: one unformatted final per turn). */
function finalTurn(order: number, n: number): Record<string, unknown> {
  const words = Array.from({ length: n }, (_, i) => ({
    start: order * 1000 + i * 10,
    end: order * 1000 + i * 10 + 9,
    text: `word${order}x${i}`,
    confidence: 0.9,
    word_is_final: true,
  }));
  return {
    type: 'Turn',
    turn_order: order,
    turn_is_formatted: false,
    end_of_turn: true,
    transcript: words.map((w) => w.text).join(' '),
    end_of_turn_confidence: 0.9,
    words,
    utterance: '',
  };
}

/** Linux stops a write(2) to a file only between two of its pages (docs/faults.md, "The limit that remains"). */
const PAGE_BYTES = 4096;

/**
 * What a kill -9 may leave of a file written turn by turn (each turn one write): every turn whole, or, when the
 * kill came while a turn that spans a page boundary of the file was being written, the file cut at that boundary
 * (its size a multiple of a page) after the last whole turn. Returns the whole part; fails on any other cut.
 */
function wholePart(bytes: Buffer, pieceEnd: string): string {
  const text = bytes.toString('utf8');
  if (text === '' || text.endsWith(pieceEnd)) return text;
  expect(bytes.length % PAGE_BYTES, `cut elsewhere than at a page boundary: ...${JSON.stringify(text.slice(-60))}`).toBe(0);
  const end = text.lastIndexOf(pieceEnd);
  return end < 0 ? '' : text.slice(0, end + pieceEnd.length);
}

describe('kill -9 at random points of a long run: every file parses (issue 19.4)', () => {
  // Each format's parser, and how each of its pieces (a turn, or a cue) ends.
  const PARSERS: Record<string, { turns: (t: string) => number; pieceEnd: string }> = {
    srt: { turns: (t) => parseSrtStrict(t).length, pieceEnd: '\n\n' },
    vtt: { turns: (t) => (t === '' ? 0 : parseVttStrict(t).length), pieceEnd: '\n\n' },
    ndjson: { turns: (t) => parseNdjsonStrict(t).filter((e) => e.type === 'turn').length, pieceEnd: '\n' },
    txt: { turns: (t) => t.split('\n').filter((l) => l !== '').length, pieceEnd: '\n' },
  };
  // Turns of up to 40 words: each piece is one write(2) of about a page or less, appended in place. Sent as fast
  // as the socket takes them, the writes follow each other closely, so a kill may land inside one that spans a
  // page boundary (wholePart). Pieces over 64 KiB replace the file, so that a kill -9 cannot cut them: the
  // next describe.
  it.each([101, 202, 303])(
    'seed %i: twelve kills while turns stream in',
    async (seed) => {
      const random = seeded(seed);
      const silence = path.join(dir, 'silence.wav');
      await run('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', silence, 'trim', '0', '30']);
      server = await startFakeServer({ script: ['unused'] });
      let written = 0;
      for (let k = 0; k < 12; k++) {
        const ext = Object.keys(PARSERS)[k % 4]!;
        const file = path.join(dir, `killed-${seed}-${k}.${ext}`);
        const cli = runCli(
          ['--api-host', server.url, '-i', silence, '-o', file, '--force', '--no-format-turns'],
          cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY }),
        );
        const index = server.sessions.length;
        await server.waitFor((ss) => (ss[index]?.id ?? '') !== '', 15_000);
        const killAfterMs = Math.floor(random() * 400);
        const started = Date.now();
        let order = 0;
        // Turns as fast as the socket takes them.
        while (Date.now() - started < killAfterMs) {
          server.sendTurn(index, finalTurn(order, 1 + Math.floor(random() * 40)));
          order += 1;
          await new Promise((r) => setImmediate(r));
        }
        cli.signal('SIGKILL');
        await cli.exit(10_000);
        const format = PARSERS[ext]!;
        const turns = format.turns(wholePart(await readFile(file).catch(() => Buffer.alloc(0)), format.pieceEnd));
        expect(turns, `${file} after ${killAfterMs} ms`).toBeLessThanOrEqual(order);
        written += turns;
      }
      // The kills did land while turns were being written (not all before the first).
      expect(written).toBeGreaterThan(0);
    },
    120_000,
  );
});
