/**
 * Issue 24.2 through the real binary: a profile whose output has {date}-{time} works every day (two runs,
 * two files, exit 0), and a fixed name from a profile that is already taken is refused naming the profile,
 * the file and the line.
 */
import { describe, expect, it } from 'vitest';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { keyEnv, runCli } from '../support/cli.js';
import { makeSpeechFixtures, openedPerTest, useTempDir } from '../support/e2e-files.js';

const tmp = useTempDir('lt-profile-outputs-', (t) => makeSpeechFixtures(t, { 'hello.wav': 'hello world' }));
const { f } = tmp;
const env = (): Record<string, string> => keyEnv({ HOME: tmp.dir });
const open = openedPerTest<{ server: FakeServer }>();

async function workdir(name: string, config: string[]): Promise<string> {
  const cwd = f(name);
  await rm(cwd, { recursive: true, force: true });
  await import('node:fs/promises').then((fs) => fs.mkdir(cwd));
  await writeFile(path.join(cwd, 'config.toml'), `${config.join('\n')}\n`);
  return cwd;
}

describe('profiles with outputs that work every day (issue 24.2)', () => {
  it('output = "meeting-{date}-{time}.srt": the same profile run twice writes two files, exit 0 both times', async () => {
    open.server = await startFakeServer({ script: ['hello world'] });
    const cwd = await workdir('daily', ['[profiles.meeting]', 'output = "meeting-{date}-{time}.srt"', 'quiet = true']);
    for (let i = 0; i < 2; i++) {
      const cli = runCli(['--config', 'config.toml', '--profile', 'meeting', '--api-host', open.server.url, '-i', f('hello.wav')], env(), { cwd });
      expect(await cli.exit(30_000)).toBe(0);
      expect(cli.stdout()).toBe('Hello world.\n');
    }
    const files = (await readdir(cwd)).filter((f) => f.endsWith('.srt')).sort();
    expect(files).toHaveLength(2);
    for (const file of files) {
      expect(file).toMatch(/^meeting-\d{4}-\d\d-\d\d-\d{4}(-2)?\.srt$/);
      expect(await readFile(path.join(cwd, file), 'utf8')).toContain('Hello world.');
    }
  });

  it('a fixed output from a profile, already written: refused before connecting, naming the profile, file and line', async () => {
    open.server = await startFakeServer({ script: ['hello world'] });
    const cwd = await workdir('fixed', ['# notes', '[profiles.meeting]', 'output = "meeting.srt"']);
    const first = runCli(['--config', 'config.toml', '--profile', 'meeting', '--api-host', open.server.url, '-i', f('hello.wav'), '-q'], env(), {
      cwd,
    });
    expect(await first.exit(30_000)).toBe(0);
    const second = runCli(['--config', 'config.toml', '--profile', 'meeting', '--api-host', open.server.url, '-i', f('hello.wav'), '-q'], env(), {
      cwd,
    });
    expect(await second.exit(30_000)).toBe(2);
    expect(second.stderr()).toContain('meeting.srt (output, from profile meeting in config.toml line 3) already exists');
    expect(second.stderr()).toContain('output = "meeting-{date}-{time}.srt"');
    expect(open.server.sessions).toHaveLength(1);
  });

  it('append = true in a profile keeps one growing file', async () => {
    open.server = await startFakeServer({ script: ['hello world'] });
    const cwd = await workdir('append', ['[profiles.log]', 'output = "log.txt"', 'append = true']);
    for (let i = 0; i < 2; i++) {
      const cli = runCli(['--config', 'config.toml', '--profile', 'log', '--api-host', open.server.url, '-i', f('hello.wav'), '-q'], env(), { cwd });
      expect(await cli.exit(30_000)).toBe(0);
    }
    expect(await readFile(path.join(cwd, 'log.txt'), 'utf8')).toBe('Hello world.\nHello world.\n');
  });

  it('an unknown placeholder in the file: named with the file and line, exit 2', async () => {
    const cwd = await workdir('unknown', ['output = "notes-{day}.txt"']);
    const cli = runCli(['--config', 'config.toml', '-i', f('hello.wav')], env(), { cwd });
    expect(await cli.exit(30_000)).toBe(2);
    expect(cli.stderr()).toContain('config.toml line 1: output notes-{day}.txt: unknown placeholder {day}');
    expect(cli.stderr()).toContain('{date}, {time}, {datetime}');
  });
});
