/**
 * -o FILE (issue 11, item 4), through the real binary: no empty file left by a failed run, --force keeps
 * the old file, unknown extensions refused before connecting, or written in the --format given.
 */
import { describe, expect, it } from 'vitest';
import { access, readFile, writeFile } from 'node:fs/promises';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { closeAfterEach, makeSpeechFixtures, useTempDir } from '../support/e2e-files.js';
import { cleanEnv, runCli, SECOND_TEST_KEY, TEST_KEY } from '../support/cli.js';

let server: FakeServer | undefined;
const { f } = useTempDir('lt-output-file-', (t) => makeSpeechFixtures(t, { 'hello.wav': 'hello world' }));
const env = (extra: Record<string, string> = {}): Record<string, string> => cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, ...extra });
const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );
closeAfterEach(() => {
  const open = [server];
  server = undefined;
  return open;
});

describe('-o FILE: nothing left behind by a failed run, unknown extensions refused (item 4)', () => {
  it('a run refused by the service leaves no file, so the retry is not refused', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const file = f('notes.txt');
    const failed = runCli(['--api-host', server.url, '-i', f('hello.wav'), '-o', file], env({ ASSEMBLYAI_API_KEY: SECOND_TEST_KEY }));
    expect(await failed.exit(30_000)).toBe(4);
    expect(await exists(file)).toBe(false);
    const retry = runCli(['--api-host', server.url, '-i', f('hello.wav'), '-o', file], env());
    expect(await retry.exit(30_000)).toBe(0);
    expect(await readFile(file, 'utf8')).toBe('Hello world.\n');
  });

  it('--force keeps the old file when the run fails before writing', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const file = f('kept.srt');
    await writeFile(file, 'old\n');
    const cli = runCli(['--api-host', server.url, '-i', f('hello.wav'), '-o', file, '--force'], env({ ASSEMBLYAI_API_KEY: SECOND_TEST_KEY }));
    expect(await cli.exit(30_000)).toBe(4);
    expect(await readFile(file, 'utf8')).toBe('old\n');
  });

  it('.docx or no extension: refused (exit 2) with the known ones, before connecting, and no file', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    for (const name of ['out.docx', 'out']) {
      const cli = runCli(['--api-host', server.url, '-i', f('hello.wav'), '-o', f(name)], env());
      expect(await cli.exit(30_000)).toBe(2);
      expect(cli.stderr()).toMatch(name === 'out' ? /has no extension to tell the format from/ : /unknown extension \.docx/);
      expect(cli.stderr()).toContain('.txt, .jsonl (or .ndjson), .srt or .vtt, or say the format with --format');
      expect(await exists(f(name))).toBe(false);
    }
    expect(server.sessions).toHaveLength(0);
  });

  it('with --format the unknown extension is written in that format, and stderr says so', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const file = f('captions.out');
    const cli = runCli(['--api-host', server.url, '-i', f('hello.wav'), '-o', file, '--format', 'srt'], env());
    expect(await cli.exit(30_000)).toBe(0);
    expect(cli.stderr()).toContain(`writing ${file} as srt (--format): its extension does not tell the format`);
    expect(await readFile(file, 'utf8')).toMatch(/^1\n00:00:\d\d,\d{3} --> 00:00:\d\d,\d{3}\nHello world\.\n/);
  });
});
