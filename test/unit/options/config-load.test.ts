import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../../src/core/errors.js';
import { checkKeyPermissions, loadConfigFile } from '../../../src/options/config-load.js';
import { parseConfigFile } from '../../../src/options/config-toml.js';
import { createNodeConfigFs } from '../../../src/options/node-fs.js';
import { usageError } from '../../support/usage-error.js';

const PATH = '/home/ann/.config/live-transcribe/config.toml';
const KEY = 'placeholder-not-a-key-0000';

describe('checkKeyPermissions', () => {
  const withKey = parseConfigFile(`\napi-key = "${KEY}"\n`, '/home/ann/my config.toml');
  const withoutKey = parseConfigFile('quiet = true\n', PATH);
  it.each([
    ['key', withKey, 0o600, 'linux', undefined],
    ['key', withKey, 0o400, 'linux', undefined],
    ['key', withKey, 0o640, 'linux', 'mode 640'],
    ['key', withKey, 0o604, 'darwin', 'mode 604'],
    ['key', withKey, 0o644, 'win32', undefined],
    ['no key', withoutKey, 0o644, 'linux', undefined],
  ])('%s, mode %o on %s', (_label, file, mode, platform, refusal) => {
    if (refusal === undefined) {
      expect(() => checkKeyPermissions(file, mode, platform)).not.toThrow();
      return;
    }
    const err = usageError(() => checkKeyPermissions(file, mode, platform));
    expect(err.message).toBe(`/home/ann/my config.toml line 2: api-key in a file other users can read (${refusal})`);
    expect(err.hint).toBe('make it private: chmod 600 "/home/ann/my config.toml"');
  });
});

describe('loadConfigFile (real files)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lt-config-file-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const fs = createNodeConfigFs();

  it('a missing default file is no settings; a missing named file is an error', async () => {
    const path = join(dir, 'missing.toml');
    await expect(loadConfigFile({ path, explicit: false, chosenBy: 'default' }, fs, 'linux')).resolves.toBeUndefined();
    await expect(loadConfigFile({ path, explicit: true, chosenBy: 'env' }, fs, 'linux')).rejects.toMatchObject({
      name: 'UsageError',
      message: `config file ${path} does not exist`,
      hint: `check the path given by LIVE_TRANSCRIBE_CONFIG, or create it with: live-transcribe config --init --config ${path}`,
    });
  });

  it('refuses a group- or world-readable file holding a key, with the chmod that fixes it; accepts it after', async () => {
    const path = join(dir, 'key.toml');
    await writeFile(path, `api-key = "${KEY}"\n`);
    const location = { path, explicit: true, chosenBy: 'flag' } as const;
    for (const mode of [0o644, 0o660, 0o606]) {
      await chmod(path, mode);
      const err = await loadConfigFile(location, fs, 'linux').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).hint).toBe(`make it private: chmod 600 ${path}`);
    }
    await chmod(path, 0o600);
    expect((await loadConfigFile(location, fs, 'linux'))?.defaults.options.apiKey).toBe(KEY);
  });

  it('reads a readable file without a key', async () => {
    const path = join(dir, 'plain.toml');
    await writeFile(path, 'format = "vtt"\n', { mode: 0o644 });
    expect((await loadConfigFile({ path, explicit: false, chosenBy: 'default' }, fs, 'linux'))?.defaults.options).toEqual({ format: 'vtt' });
  });

  it('a folder in place of the file is an error naming it', async () => {
    await expect(loadConfigFile({ path: dir, explicit: false, chosenBy: 'default' }, fs, 'linux')).rejects.toThrow(
      new UsageError(`cannot read config file ${dir}: EISDIR`),
    );
  });
});
