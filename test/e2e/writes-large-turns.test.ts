/**
 * Issue 19.4: a turn larger than 64 KiB replaces the -o file whole (src/render/replace-append.ts), so that a
 * kill -9 in the middle of writing it leaves every file parsing, and `tail -F` goes on following the file
 * (docs/faults.md). The smaller turns, failed writes and short writes: writes.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { cleanEnv, runCli, TEST_KEY } from '../support/cli.js';
import { parseNdjsonStrict, parseSrtStrict, parseVttStrict } from '../support/captions.js';
import { seeded } from '../support/seeded.js';
import { waitUntil } from '../support/wait.js';

const run = promisify(execFile);
let dir: string;
let server: FakeServer | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-writes-large-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A final whose text is `first<order> w w ... last<order>`, `bytes` long: one piece larger than a page. */
function longTurn(order: number, bytes: number): Record<string, unknown> {
  const text = `first${order} ${'w '.repeat(Math.max(0, Math.floor(bytes / 2) - 12))}last${order}`;
  return {
    type: 'Turn',
    turn_order: order,
    turn_is_formatted: false,
    end_of_turn: true,
    transcript: text,
    end_of_turn_confidence: 0.9,
    words: [{ start: order * 1000, end: order * 1000 + 900, text: `first${order}`, confidence: 0.9, word_is_final: true }],
    utterance: '',
  };
}

/**
 * The killer, a process of its own (the test's event loop is busy sending): it looks at the file's size as
 * fast as it can and sends SIGKILL once the size passes `killAt` and is a whole number of pages (a write in
 * progress: the kernel grows the file a page at a time) or after `looks` more looks. Says which it was.
 */
const KILLER = `
const [pid, file, killAt, looks, ms] = process.argv.slice(1).map((a, i) => (i === 1 ? a : Number(a)));
const fs = require('node:fs');
const end = Date.now() + ms;
let after = -1;
let why = 'the deadline';
while (Date.now() < end) {
  let size = 0;
  try { size = fs.statSync(file).size; } catch {}
  if (size > 0 && size >= killAt) {
    if (size % 4096 === 0) { why = 'inside a write'; break; }
    after += 1;
    if (after >= looks) { why = 'after the point'; break; }
  }
}
try { process.kill(pid, 'SIGKILL'); } catch { why = 'already gone'; }
process.stdout.write(why);
`;

function killWhenGrown(pid: number, file: string, killAt: number, looks: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', KILLER, String(pid), file, String(killAt), String(looks), '30000'], { timeout: 40_000 }, (err, out) =>
      err ? reject(err) : resolve(out),
    );
  });
}

describe('kill -9 while turns larger than 64 KiB are written: every file parses (issue 19)', () => {
  const PARSERS: Record<string, (t: string) => unknown> = {
    srt: parseSrtStrict,
    vtt: (t) => (t === '' ? [] : parseVttStrict(t)),
    ndjson: parseNdjsonStrict,
    txt: (t) => expect(t === '' || t.endsWith('\n'), `a text file cut mid-line: ${JSON.stringify(t.slice(-30))}`).toBe(true),
  };
  // A write(2) is copied into the file a page (folio) at a time, and the kernel stops it between two on a
  // SIGKILL: without the replacement by rename (src/render/replace-append.ts) these files end mid-turn.
  it.each([0x1901, 0x1902, 0x1903])(
    'seed %i: kills at random points of a stream of 65 KiB - 1 MiB turns',
    async (seed) => {
      const random = seeded(seed);
      const silence = path.join(dir, 'silence-long.wav');
      await run('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', silence, 'trim', '0', '30']);
      server = await startFakeServer({ script: ['unused'] });
      let cutInto = 0;
      let insideWrites = 0;
      for (let k = 0; k < 12; k++) {
        const ext = Object.keys(PARSERS)[k % 4]!;
        const file = path.join(dir, `long-killed-${seed}-${k}.${ext}`);
        const cli = runCli(
          ['--api-host', server.url, '-i', silence, '-o', file, '--force', '--no-format-turns'],
          cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY }),
        );
        const index = server.sessions.length;
        await server.waitFor((ss) => (ss[index]?.id ?? '') !== '', 15_000);
        let total = 0;
        for (let order = 0; order < 12; order++) {
          const bytes = 65 * 1024 + Math.floor(random() * random() * 1024 * 1024);
          server.sendTurn(index, longTurn(order, bytes));
          total += bytes;
        }
        // The kill lands once the file has grown past a seeded point of the stream: at once if the file is seen
        // in the middle of a write (its size a whole number of pages), else after a seeded number of looks.
        const killAt = Math.floor(random() * total * 0.8);
        const killer = await killWhenGrown(cli.child.pid!, file, killAt, 20_000 + Math.floor(random() * 80_000));
        await cli.exit(10_000);
        if (killer === 'inside a write') insideWrites += 1;
        const text = await readFile(file, 'utf8').catch(() => '');
        const tag = `seed ${seed} kill ${k}: ${file} (${text.length} bytes)`;
        expect(() => PARSERS[ext]!(text), tag).not.toThrow();
        const texts = ext === 'ndjson' ? parseNdjsonStrict(text).flatMap((e) => (e.type === 'turn' ? [String(e.text)] : [])) : [text];
        for (const t of texts) expect(t.match(/first\d+/g)?.length ?? 0, `${tag}: a turn cut off`).toBe(t.match(/last\d+/g)?.length ?? 0);
        if (text.length > 0) cutInto += 1;
        await rm(file, { force: true });
      }
      // The kills did land while turns were being written (not all before the first).
      expect(cutInto, `${insideWrites} kills seen inside a write`).toBeGreaterThan(0);
      // A killed run may leave its temporary file (docs/faults.md): readable by the user alone.
      for (const name of await readdir(dir)) {
        if (!name.includes('.partial-')) continue;
        expect((await stat(path.join(dir, name))).mode & 0o077, name).toBe(0);
      }
    },
    240_000,
  );
});

describe('following the -o file across a large turn (docs/faults.md)', () => {
  it('tail -F goes on showing the turns after one larger than 64 KiB (the file was replaced); nothing is left beside it', async () => {
    const silence = path.join(dir, 'silence-follow.wav');
    await run('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', silence, 'trim', '0', '30']);
    server = await startFakeServer({ script: ['unused'] });
    const folder = await mkdtemp(path.join(dir, 'follow-'));
    const file = path.join(folder, 'talk.txt');
    const cli = runCli(['--api-host', server.url, '-i', silence, '-o', file, '--no-format-turns'], cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY }));
    await server.waitFor((ss) => (ss[0]?.id ?? '') !== '', 15_000);
    server.sendTurn(0, longTurn(0, 100));
    await waitUntil(async () => (await readFile(file, 'utf8').catch(() => '')).includes('last0'), {
      timeoutMs: 10_000,
      what: 'the first turn in the file',
    });
    const tail = spawn('tail', ['-F', '-n', '+1', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    tail.stdout.on('data', (d: Buffer) => (seen += d.toString()));
    try {
      await waitUntil(() => seen.includes('last0'), { timeoutMs: 10_000, what: 'tail -F shows the first turn' });
      server.sendTurn(0, longTurn(1, 70_000));
      await waitUntil(async () => (await readFile(file, 'utf8').catch(() => '')).includes('last1'), {
        timeoutMs: 10_000,
        what: 'the large turn in the file',
      });
      server.sendTurn(0, longTurn(2, 100));
      await waitUntil(() => seen.includes('last2'), {
        timeoutMs: 15_000,
        what: () => `tail -F shows the turn after the large one: ${seen.slice(-80)}`,
      });
      expect(seen).toContain('last1');
    } finally {
      tail.kill('SIGTERM');
    }
    cli.signal('SIGINT');
    expect(await cli.exit(20_000), cli.stderr()).toBe(0);
    expect(await readdir(folder)).toEqual(['talk.txt']);
  }, 60_000);
});
