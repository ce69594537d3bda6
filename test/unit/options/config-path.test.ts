import { describe, expect, it } from 'vitest';
import { defaultConfigPath, resolveConfigPath } from '../../../src/options/config-path.js';

describe('defaultConfigPath', () => {
  it.each([
    ['linux', {}, '/home/ann/.config/live-transcribe/config.toml'],
    ['linux', { XDG_CONFIG_HOME: '/xdg' }, '/xdg/live-transcribe/config.toml'],
    ['linux', { XDG_CONFIG_HOME: '' }, '/home/ann/.config/live-transcribe/config.toml'],
    // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored.
    ['linux', { XDG_CONFIG_HOME: 'relative/dir' }, '/home/ann/.config/live-transcribe/config.toml'],
    ['freebsd', { XDG_CONFIG_HOME: '/xdg' }, '/xdg/live-transcribe/config.toml'],
    ['darwin', {}, '/home/ann/Library/Application Support/live-transcribe/config.toml'],
    ['darwin', { XDG_CONFIG_HOME: '/xdg' }, '/home/ann/Library/Application Support/live-transcribe/config.toml'],
  ])('%s %j -> %s', (platform, env, expected) => {
    expect(defaultConfigPath(env, platform, '/home/ann')).toBe(expected);
  });

  it.each([
    [{ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'C:\\Users\\ann\\AppData\\Roaming\\live-transcribe\\config.toml'],
    [{}, 'C:\\Users\\ann\\AppData\\Roaming\\live-transcribe\\config.toml'],
  ])('win32 %j -> %s', (env, expected) => {
    expect(defaultConfigPath(env, 'win32', 'C:\\Users\\ann')).toBe(expected);
  });
});

describe('resolveConfigPath', () => {
  const base = { platform: 'linux', homedir: '/home/ann' };
  it.each([
    [
      { flag: 'mine.toml', env: { LIVE_TRANSCRIBE_CONFIG: '/env.toml' } },
      { path: 'mine.toml', explicit: true, chosenBy: 'flag' },
    ],
    [{ env: { LIVE_TRANSCRIBE_CONFIG: '/env.toml' } }, { path: '/env.toml', explicit: true, chosenBy: 'env' }],
    [{ env: { LIVE_TRANSCRIBE_CONFIG: '' } }, { path: '/home/ann/.config/live-transcribe/config.toml', explicit: false, chosenBy: 'default' }],
    [{ env: {} }, { path: '/home/ann/.config/live-transcribe/config.toml', explicit: false, chosenBy: 'default' }],
  ])('%j', (request, expected) => {
    expect(resolveConfigPath({ ...base, ...request })).toEqual(expected);
  });
});
