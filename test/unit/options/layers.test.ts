import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgram } from '../../../src/cli.js';
import { resolveConfig, type RawOptions } from '../../../src/options/resolve.js';
import { UsageError } from '../../../src/core/errors.js';
import { parseConfigFile } from '../../../src/options/config-toml.js';
import { createNodeConfigFs } from '../../../src/options/node-fs.js';
import { chooseProfile, envLayer, explainFileError, flagLayer, loadSettings, mergeLayers, type SettingsLayer } from '../../../src/options/layers.js';

const PATH = '/home/ann/.config/live-transcribe/config.toml';
const FILE_KEY = 'placeholder-file-0000';
const ENV_KEY = 'placeholder-env-0000';

function flagsFrom(argv: string[]): SettingsLayer {
  const program = createProgram('0.0.0').exitOverride();
  program.parse(argv, { from: 'user' });
  return flagLayer(program.opts<RawOptions>(), (field) => program.getOptionValueSource(field));
}

describe('flagLayer', () => {
  it('keeps only what was typed: commander defaults (color = true) are not flags', () => {
    expect(flagsFrom([]).options).toEqual({});
    expect(flagsFrom(['--no-color', '--format', 'srt', '--no-format-turns']).options).toEqual({ color: false, format: 'srt', formatTurns: false });
  });
});

describe('envLayer', () => {
  it.each([
    [{}, {}],
    [{ ASSEMBLYAI_API_KEY: '', NO_COLOR: '' }, {}],
    [
      { ASSEMBLYAI_API_KEY: ENV_KEY, NO_COLOR: '1' },
      { apiKey: ENV_KEY, color: false },
    ],
  ])('%j', (env, options) => {
    expect(envLayer(env)).toEqual({ source: 'env', options });
  });
});

describe('mergeLayers: flags > environment > profile > top-level keys > defaults', () => {
  const file: SettingsLayer = { source: 'file', options: { format: 'json', apiHost: 'file.example', quiet: true, apiKey: FILE_KEY } };
  const profile: SettingsLayer = { source: 'profile work', options: { format: 'srt', speechModel: 'universal-3-6-pro' } };
  const env: SettingsLayer = { source: 'env', options: { apiKey: ENV_KEY } };
  const flags: SettingsLayer = { source: 'flag', options: { format: 'vtt' } };

  it.each([
    ['format', [file], 'json', 'file'],
    ['format', [file, profile], 'srt', 'profile work'],
    ['format', [file, profile, env, flags], 'vtt', 'flag'],
    ['apiHost', [file, profile, env, flags], 'file.example', 'file'],
    ['speechModel', [file, profile, env, flags], 'universal-3-6-pro', 'profile work'],
    ['apiKey', [file], FILE_KEY, 'file'],
    ['apiKey', [file, profile, env], ENV_KEY, 'env'],
    ['sampleRate', [file, profile, env, flags], undefined, 'default'],
  ] as const)('%s from %#', (field, layers, value, source) => {
    const merged = mergeLayers(layers);
    expect(merged.effective[field]).toBe(value);
    expect(merged.sources[field]).toBe(source);
  });

  it('leaves values from the environment out of options, for resolveConfig reads them itself', () => {
    const merged = mergeLayers([file, env]);
    expect(merged.options.apiKey).toBeUndefined();
    expect(resolveConfig(merged.options, { ASSEMBLYAI_API_KEY: ENV_KEY }).auth).toEqual({ kind: 'key', apiKey: ENV_KEY });
  });

  it.each([
    [{ token: 'tok-placeholder' }, 'apiKey', { kind: 'token', token: 'tok-placeholder' }],
    [{ input: 'talk.wav' }, 'device', { kind: 'file', path: 'talk.wav', raw: false }],
  ] as const)('a higher layer choosing %j drops the alternative %s from below instead of conflicting', (flag, dropped, expected) => {
    const below: SettingsLayer = { source: 'file', options: { apiKey: FILE_KEY, device: 'usb-mic' } };
    const merged = mergeLayers([below, { source: 'flag', options: flag }]);
    expect(merged.options[dropped]).toBeUndefined();
    expect(merged.sources[dropped]).toBe('default');
    const config = resolveConfig(merged.options, {});
    expect('token' in flag ? config.auth : config.input).toEqual(expected);
  });

  it('keeps the file line of each value from the file, and forgets it when a flag overrides the value', () => {
    const parsed = parseConfigFile('format = "json"\nquiet = true\n', PATH);
    const merged = mergeLayers([{ source: 'file', ...parsed.defaults }, flags]);
    expect(merged.origins).toEqual({ quiet: { file: PATH, line: 2, key: 'quiet' } });
  });
});

describe('chooseProfile', () => {
  const file = parseConfigFile('default-profile = "home"\n[profiles.home]\n[profiles.work]\n', PATH);
  const noDefault = parseConfigFile('[profiles.work]\n', PATH);
  it.each([
    [file, undefined, {}, { name: 'home', chosenBy: 'file' }],
    [file, undefined, { LIVE_TRANSCRIBE_PROFILE: 'work' }, { name: 'work', chosenBy: 'env' }],
    [file, 'work', { LIVE_TRANSCRIBE_PROFILE: 'home' }, { name: 'work', chosenBy: 'flag' }],
    [noDefault, undefined, {}, undefined],
    [undefined, undefined, {}, undefined],
  ])('%#', (f, flag, env, expected) => {
    expect(chooseProfile(f, flag, env, PATH)).toEqual(expected);
  });

  it.each([
    [file, 'wrok', {}, `profile "wrok" is not in ${PATH}`, 'profiles in the file: home, work (did you mean "work"?)'],
    [file, undefined, { LIVE_TRANSCRIBE_PROFILE: 'x' }, `LIVE_TRANSCRIBE_PROFILE: profile "x" is not in ${PATH}`, 'profiles in the file: home, work'],
    [parseConfigFile('', PATH), 'work', {}, `profile "work" is not in ${PATH}`, 'the file defines no profiles: add a [profiles.NAME] table'],
    [undefined, 'work', {}, `profile "work": there is no config file at ${PATH}`, 'create one with: live-transcribe config --init'],
  ])('unknown profile %#: an error listing the profiles', (f, flag, env, message, hint) => {
    let error: unknown;
    try {
      chooseProfile(f, flag, env, PATH);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ message, hint });
  });
});

describe('explainFileError', () => {
  const validate = (text: string, flags: RawOptions = {}): UsageError => {
    const parsed = parseConfigFile(text, PATH);
    const merged = mergeLayers([
      { source: 'file', ...parsed.defaults },
      { source: 'flag', options: flags },
    ]);
    try {
      resolveConfig(merged.options, { ASSEMBLYAI_API_KEY: ENV_KEY });
    } catch (err) {
      if (err instanceof UsageError) return explainFileError(err, merged);
    }
    throw new Error('expected a usage error');
  };

  it.each([
    ['\n\nformat = "srt2"', {}, `${PATH} line 3: format: unknown format "srt2"`, 'choose one of: text, json, srt, vtt'],
    ['sample-rate = 100', {}, `${PATH} line 1: sample-rate must be between 8000 and 96000 Hz (e.g. 16000), got 100`, undefined],
    [
      'speech-model = "universal-3-6-prp"',
      {},
      `${PATH} line 1: speech-model: unknown speech-model "universal-3-6-prp": did you mean universal-3-6-pro?`,
      expect.stringContaining('--list-models'),
    ],
    [
      '\nstop-phrase = ["stop recording", " ... "]',
      {},
      `${PATH} line 2: stop-phrase " ... " has no words`,
      expect.stringContaining('stop recording'),
    ],
    [
      'min-turn-silence = 900',
      { maxTurnSilence: '100' },
      `${PATH} line 1: min-turn-silence (900 ms) is longer than --max-turn-silence (100 ms)`,
      expect.any(String),
    ],
  ])('%j', (text, flags, message, hint) => {
    expect(validate(text, flags)).toMatchObject({ name: 'UsageError', message, hint });
  });

  it('leaves an error about a flag as it is', () => {
    const err = new UsageError('unknown --format "x"', 'hint');
    expect(explainFileError(err, { origins: {} })).toBe(err);
  });
});

describe('loadSettings (real files)', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'lt-sources-'));
    await mkdir(join(home, '.config', 'live-transcribe'), { recursive: true });
    await writeFile(
      join(home, '.config', 'live-transcribe', 'config.toml'),
      [
        'format = "json"',
        'api-host = "file.example"',
        'quiet = true',
        'default-profile = "work"',
        '[profiles.work]',
        'format = "srt"',
        'api-host = "work.example"',
        '[profiles.home]',
        'format = "vtt"',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });
  const load = (argv: string[], env: Record<string, string>, profileFlag?: string) =>
    loadSettings({ flags: flagsFrom(argv), profileFlag }, { env, platform: 'linux', homedir: home, fs: createNodeConfigFs() });

  it.each([
    [[], {}, undefined, { format: 'srt', apiHost: 'work.example', quiet: true }, 'profile work'],
    [[], { LIVE_TRANSCRIBE_PROFILE: 'home' }, undefined, { format: 'vtt', apiHost: 'file.example', quiet: true }, 'profile home'],
    [[], { LIVE_TRANSCRIBE_PROFILE: 'home' }, 'work', { format: 'srt', apiHost: 'work.example', quiet: true }, 'profile work'],
    [['--format', 'text'], {}, undefined, { format: 'text', apiHost: 'work.example', quiet: true }, 'flag'],
  ])('argv %j env %j --profile %s', async (argv, env, profileFlag, options, formatSource) => {
    const settings = await load(argv, env, profileFlag);
    expect(settings.options).toEqual(options);
    expect(settings.sources.format).toBe(formatSource);
    expect(settings.sources.quiet).toBe('file');
    expect(settings.sources.sampleRate).toBe('default');
    expect(resolveConfig(settings.options, { ASSEMBLYAI_API_KEY: ENV_KEY }).output.format).toBe(options.format);
  });

  it('without a file: flags only, no profile', async () => {
    const settings = await loadSettings(
      { flags: flagsFrom(['--quiet']) },
      { env: {}, platform: 'linux', homedir: join(home, 'nobody'), fs: createNodeConfigFs() },
    );
    expect(settings.file).toBeUndefined();
    expect(settings.profile).toBeUndefined();
    expect(settings.options).toEqual({ quiet: true });
  });
});
