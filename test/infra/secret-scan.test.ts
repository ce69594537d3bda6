/**
 * The secret scan itself (../support/secret-scan.ts, run after every test by ../support/secret-scan-setup.ts):
 * it finds a planted key in recorded output and in files under the temp root, names where without printing
 * the key, and really fails the test a key leaked in (`it.fails` below: the test body passes, the scan after
 * it must fail it).
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed, onTestFinished } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { cleanEnv, recordedOutputs, recordOutput, runCli, SECRET_MARKERS, TEST_KEY, type RecordedOutput } from '../support/cli.js';
import { describeHits, scanFiles, scanOutput, scanOutputs } from '../support/secret-scan.js';

const run = promisify(execFile);
const out = (label: string, text: string, screen = false): RecordedOutput => ({ label, text: () => text, ...(screen ? { screen } : {}) });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-secret-scan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the scanner', () => {
  it('finds a planted key in output and names where, without the key', () => {
    const hits = scanOutputs([out('stdout of a', 'nothing here\n'), out('stderr of b', `error: bad key ${TEST_KEY}!\n`)], SECRET_MARKERS);
    expect(hits).toEqual([{ where: 'stderr of b', marker: 0, markerLength: TEST_KEY.length, offset: 15 }]);
    const message = describeHits(hits);
    expect(message).toMatch(/stderr of b: secret #0 \(13 characters\) at offset 15/);
    for (const m of SECRET_MARKERS) expect(message).not.toContain(m);
  });

  it('redacts a key in the label itself', () => {
    const [hit] = scanOutput(out(`stdout of live-transcribe --api-key ${TEST_KEY}`, TEST_KEY), SECRET_MARKERS);
    expect(hit!.where).toBe('stdout of live-transcribe --api-key [secret]');
  });

  it('finds a key split by a colour change, and on a screen, a key wrapped over two rows', () => {
    const [k1, k2] = [TEST_KEY.slice(0, 5), TEST_KEY.slice(5)];
    expect(scanOutput(out('stderr', `${k1}\u001b[31m${k2}\u001b[39m`), SECRET_MARKERS)).toHaveLength(1);
    expect(scanOutput(out('screen', `x${k1}\n${k2}`), SECRET_MARKERS)).toHaveLength(0); // a stream: lines are lines
    expect(scanOutput(out('screen', `x${k1}\n${k2}`, true), SECRET_MARKERS)).toEqual([expect.objectContaining({ where: 'screen (rows joined)' })]);
  });

  it('finds a planted key in a file as bytes (also deep and in binary data), skips symlinks and FIFOs, reads unchanged files once', async () => {
    const root = await mkdtemp(path.join(dir, 'root-'));
    await mkdir(path.join(root, 'a', 'b'), { recursive: true });
    await writeFile(path.join(root, 'clean.txt'), 'no secrets\n');
    const leak = path.join(root, 'a', 'b', 'audio.wav');
    await writeFile(leak, Buffer.concat([Buffer.from([0, 255, 1, 254]), Buffer.from(SECRET_MARKERS[1]!), Buffer.alloc(10)]));
    await symlink(leak, path.join(root, 'link-to-leak'));
    await run('mkfifo', [path.join(root, 'fifo')]);
    const seen = new Map<string, string>();
    try {
      const hits = await scanFiles(root, SECRET_MARKERS, seen);
      expect(hits).toEqual([{ where: `file ${leak}`, marker: 1, markerLength: SECRET_MARKERS[1]!.length, offset: 4 }]);
      // Unchanged since: not reported again; changed: reported again.
      expect(await scanFiles(root, SECRET_MARKERS, seen)).toEqual([]);
      await writeFile(leak, `again ${SECRET_MARKERS[2]!}`);
      expect(await scanFiles(root, SECRET_MARKERS, seen)).toEqual([expect.objectContaining({ where: `file ${leak}`, marker: 2, offset: 6 })]);
    } finally {
      await rm(root, { recursive: true, force: true }); // before the scan after this test sees it
    }
  });
});

describe('what the scan covers', () => {
  it('temp files of tests and of the client live under the run temp root (TMPDIR from global setup)', () => {
    expect(process.env.LT_TEST_TMPDIR).toBeTruthy();
    expect(tmpdir()).toBe(process.env.LT_TEST_TMPDIR);
    expect(dir.startsWith(`${process.env.LT_TEST_TMPDIR!}${path.sep}`)).toBe(true);
    expect(cleanEnv().TMPDIR).toBe(process.env.LT_TEST_TMPDIR);
  });

  it('runCli records the stdout and stderr of every run', async () => {
    const cli = runCli(['-V'], cleanEnv());
    expect(await cli.exit()).toBe(0);
    const mine = recordedOutputs().filter((o) => o.label.endsWith('of live-transcribe -V'));
    expect(mine.map((o) => o.label)).toEqual(['stdout of live-transcribe -V', 'stderr of live-transcribe -V']);
    expect(mine[0]!.text()).toBe(cli.stdout());
    expect(mine[0]!.text()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('a leak fails the test it happened in', () => {
  const failures: string[] = [];
  const keepFailure = (): void =>
    onTestFailed(({ task }) => {
      failures.push((task.result?.errors ?? []).map((e) => e.message ?? '').join('\n'));
    });

  it.fails('a key in recorded output', () => {
    keepFailure();
    recordOutput('stderr of planted-process', `oops ${TEST_KEY}\n`);
  });

  it.fails('a key in a file under the temp root', async () => {
    keepFailure();
    const plant = await mkdtemp(path.join(tmpdir(), 'lt-secret-plant-'));
    onTestFinished(() => rm(plant, { recursive: true, force: true })); // runs after the scan
    await writeFile(path.join(plant, 'transcript.txt'), `Hello ${SECRET_MARKERS[1]!}\n`);
  });

  it('the failures named the stream and the file, and never the key', () => {
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatch(/secret scan: .*\n {2}- stderr of planted-process: secret #0 \(13 characters\) at offset 5/);
    expect(failures[1]).toMatch(/ {2}- file .*\/lt-secret-plant-[^/]+\/transcript\.txt: secret #1 \(\d+ characters\) at offset 6/);
    for (const f of failures) for (const m of SECRET_MARKERS) expect(f).not.toContain(m);
  });
});
