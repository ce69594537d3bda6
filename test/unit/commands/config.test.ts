import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigFile } from '../../../src/options/config-toml.js';
import { runConfigCommand } from '../../../src/commands/config.js';
import { createNodeConfigFs } from '../../../src/options/node-fs.js';

const KEY = 'placeholder-abcdef-0000';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'lt-config-command-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runConfigCommand(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env,
    platform: 'linux',
    homedir: home,
    fs: createNodeConfigFs(),
  });
  return { code, stdout, stderr };
}

describe('live-transcribe config', () => {
  const defaultPath = (): string => join(home, '.config', 'live-transcribe', 'config.toml');

  it('--path prints the path, honouring XDG_CONFIG_HOME and --config', async () => {
    expect(await run(['--path'])).toEqual({ code: 0, stdout: `${defaultPath()}\n`, stderr: '' });
    expect((await run(['--path'], { XDG_CONFIG_HOME: '/xdg' })).stdout).toBe('/xdg/live-transcribe/config.toml\n');
    expect((await run(['--path', '--config', 'other.toml'])).stdout).toBe('other.toml\n');
  });

  it('--init creates the folder and a private starter file, and never replaces it', async () => {
    const first = await run(['--init']);
    expect(first).toEqual({ code: 0, stdout: expect.stringContaining(`wrote ${defaultPath()}`), stderr: '' });
    expect((await stat(defaultPath())).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, '.config', 'live-transcribe'))).mode & 0o777).toBe(0o700);
    const written = await readFile(defaultPath(), 'utf8');
    expect(parseConfigFile(written, defaultPath()).defaults.options).toEqual({});

    await writeFile(defaultPath(), 'quiet = true\n');
    const second = await run(['--init']);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`${defaultPath()} already exists`);
    expect(await readFile(defaultPath(), 'utf8')).toBe('quiet = true\n');
  });

  it('shows the effective settings with their sources, the key masked', async () => {
    const path = join(home, 'shown.toml');
    await writeFile(path, `api-key = "${KEY}"\nformat = "json"\n[profiles.eu]\napi-host = "streaming.eu.assemblyai.com"\n`, { mode: 0o600 });
    const { code, stdout, stderr } = await run(['--profile', 'eu'], { LIVE_TRANSCRIBE_CONFIG: path, NO_COLOR: '1' });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).not.toContain(KEY);
    expect(stdout).toMatch(/^api-key +\[redacted\] +file line 1$/m);
    expect(stdout).toMatch(/^format +json +file line 2$/m);
    expect(stdout).toMatch(/^api-host +streaming\.eu\.assemblyai\.com +profile eu line 4$/m);
    expect(stdout).toMatch(/^color +false +env NO_COLOR$/m);
    expect(stdout).toContain('profile:     eu (--profile)');
    expect(stdout).not.toMatch(/^token /m);
  });

  it.each([
    [['--profile', 'nope'], 'profile "nope" is not in'],
    [['--bogus'], "unknown option '--bogus'"],
    [['--path', '--init'], '--path and --init cannot be used together'],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    await writeFile(join(home, 'empty.toml'), '');
    const result = await run(argv, { LIVE_TRANSCRIBE_CONFIG: join(home, 'empty.toml') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('refuses a key in a file others can read, with the chmod that fixes it', async () => {
    const path = join(home, 'open.toml');
    await writeFile(path, `api-key = "${KEY}"\n`);
    await chmod(path, 0o644);
    const result = await run(['--config', path]);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: ${path} line 1: api-key in a file other users can read (mode 644)\n  make it private: chmod 600 ${path}\n`,
    });
  });

  it('--help prints the usage (exit 0)', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--init');
  });
});
