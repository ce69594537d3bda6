import { describe, expect, it } from 'vitest';
import type { UsageError } from '../../../src/core/errors.js';
import { parseConfigFile } from '../../../src/options/config-toml.js';
import { usageError } from '../../support/usage-error.js';

const PATH = '/home/ann/.config/live-transcribe/config.toml';
const KEY = 'placeholder-not-a-key-0000';

const parseError = (text: string): UsageError => usageError(() => parseConfigFile(text, PATH));

describe('parseConfigFile', () => {
  it('turns top-level keys and profiles into RawOptions as commander gives them', () => {
    const file = parseConfigFile(
      [
        'format = "srt"',
        'sample-rate = 48000',
        'format-turns = false',
        'keyterms = ["Kubernetes", "AssemblyAI"]',
        'max-duration = "10m"',
        'until-silence = 5',
        'color = false',
        'default-profile = "work"',
        '',
        '[profiles.work]',
        'api-host = "streaming.eu.assemblyai.com"',
        'keyterms = "a, b"',
        '',
        '[profiles."two words"]',
        'end-of-turn-confidence-threshold = 0.5',
      ].join('\n'),
      PATH,
    );
    expect(file.defaults.options).toEqual({
      format: 'srt',
      sampleRate: '48000',
      formatTurns: false,
      keyterms: 'Kubernetes,AssemblyAI',
      maxDuration: '10m',
      untilSilence: '5',
      color: false,
    });
    expect(file.defaults.origins.untilSilence).toEqual({ file: PATH, line: 6, key: 'until-silence' });
    expect(file.defaultProfile).toEqual({ name: 'work', origin: { file: PATH, line: 8, key: 'default-profile' } });
    expect([...file.profiles.keys()]).toEqual(['work', 'two words']);
    expect(file.profiles.get('work')?.options).toEqual({ apiHost: 'streaming.eu.assemblyai.com', keyterms: 'a, b' });
    expect(file.profiles.get('work')?.origins.keyterms?.line).toBe(12);
    expect(file.profiles.get('two words')?.origins.endOfTurnConfidenceThreshold?.line).toBe(15);
    expect(file.apiKey).toBeUndefined();
  });

  it('finds lines of dotted keys, inline tables and keys after multi-line strings', () => {
    const file = parseConfigFile(
      ['device = """', 'format = "not a key"', '"""', 'profiles.a.format = "json"', 'profiles.b = { quiet = true }'].join('\n'),
      PATH,
    );
    expect(file.profiles.get('a')?.origins.format?.line).toBe(4);
    expect(file.profiles.get('b')?.origins.quiet?.line).toBe(5);
    expect(file.defaults.options.format).toBeUndefined();
  });

  it('notes the first api-key, in a profile too', () => {
    expect(parseConfigFile(`quiet = true\n[profiles.x]\napi-key = "${KEY}"\n`, PATH).apiKey).toEqual({ file: PATH, line: 3, key: 'api-key' });
  });

  it('names file, line and column of a syntax error', () => {
    const err = parseError('format = "srt"\nquiet = = true\n');
    expect(err.message).toBe(`${PATH} line 2 column 9: invalid value`);
    expect(err.hint).toContain('quiet = = true');
  });

  it('a syntax error shows the file\'s control characters as "?", never sends them to the terminal (issue 19.8)', () => {
    const err = parseError('format = "srt"\n\u001b[31mquiet = = \u0007true\u009b2J\n');
    expect(`${err.message}\n${err.hint ?? ''}`).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(err.hint).toContain('?[31mquiet = = ?true?2J');
  });

  it.each([
    [`format = "srt"\napi-key = "${KEY}\n`],
    [`api-key = "${KEY}"\n[a.\n`],
    [`api-key = "${KEY}" x\n`],
    [`api-key = ${KEY}\n`],
    [`[profiles.w]\n"api-key"='${KEY}'\nquiet = = 1\n`],
    [`x = { api-key = "${KEY}", = }\n`],
  ])('a syntax error near an api-key never shows the key (issue 19.2, found by the config fuzz): %j', (text) => {
    const err = parseError(text);
    expect(`${err.message}\n${err.hint ?? ''}`).not.toContain(KEY);
    expect(`${err.message}\n${err.hint ?? ''}`).toMatch(/line \d+ column \d+/);
  });

  it('a 50,000-part table name: parsed in one pass, its line known (issue 19.8: was quadratic, a minute, out of memory)', () => {
    const deep = Array.from({ length: 50_000 }, () => 'a').join('.');
    const err = parseError(`\n[${deep}]\nx = 1\n`);
    expect(err.message).toBe(`${PATH} line 2: unknown table [a]`);
  });

  it.each([
    ['formt = "srt"', 'line 1: unknown key "formt"', 'did you mean "format"?'],
    ['speech_model = "x"', 'line 1: unknown key "speech_model"', 'did you mean "speech-model"?'],
    ['\n\n[profiles.w]\napihost = "x"', 'line 4: unknown key "apihost" in [profiles.w]', 'did you mean "api-host"?'],
    ['default-profil = "w"', 'line 1: unknown key "default-profil"', 'did you mean "default-profile"?'],
    ['zzzzzz = 1', 'line 1: unknown key "zzzzzz"', 'keys are the long flag names without --, as live-transcribe --help lists them'],
    ['[profile.work]\nformat = "srt"', 'line 1: unknown table [profile]', 'profiles are [profiles.NAME] tables; other settings are top-level keys'],
  ])('unknown key %j', (text, message, hint) => {
    const err = parseError(text);
    expect(err.message).toBe(`${PATH} ${message}`);
    expect(err.hint).toBe(hint);
  });

  it.each([
    ['no-color = true', 'no-color cannot be set in the config file', 'write color = false'],
    ['no-format-turns = true', 'no-format-turns cannot be set in the config file', 'write format-turns = false'],
    [
      'profile = "w"',
      'profile cannot be set in the config file',
      'choose a profile with default-profile = "NAME", --profile or LIVE_TRANSCRIBE_PROFILE',
    ],
    ['config = "x.toml"', 'config cannot be set in the config file', 'a config file cannot name another one: use --config or LIVE_TRANSCRIBE_CONFIG'],
    ['force = true', 'force cannot be set in the config file', 'replacing a file is asked for each time: pass --force'],
    ['list-devices = true', 'list-devices cannot be set in the config file', 'an action, not a setting: run live-transcribe --list-devices'],
    ['token = "t"', 'token cannot be set in the config file', 'a temporary token expires within minutes: pass --token, or store api-key'],
  ])('refuses %j with the reason', (text, message, hint) => {
    const err = parseError(text);
    expect(err.message).toBe(`${PATH} line 1: ${message}`);
    expect(err.hint).toBe(hint);
  });

  it.each([
    ['quiet = "yes"', 'quiet must be true or false, got the string "yes"'],
    ['sample-rate = "16000"', 'sample-rate must be a number (e.g. sample-rate = 16000), got the string "16000"'],
    ['format = 1', 'format must be one of "text", "json", "srt", "vtt", got 1'],
    ['api-host = true', 'api-host must be a string in quotes (e.g. api-host = "streaming.assemblyai.com"), got true'],
    [
      'keyterms = [1, 2]',
      'keyterms must be a list of strings (e.g. keyterms = ["AssemblyAI", "Kubernetes"]) or one comma-separated string, got a list',
    ],
    ['keyterms = ["a,b"]', 'keyterms: "a,b" contains a comma'],
    ['max-duration = false', 'max-duration must be a number of seconds, or a string with a unit ("90s", "2m", "1h"), got false'],
    ['device = { name = "x" }', 'device must be a string in quotes (e.g. device = "default"), got a table'],
    ['device = 1979-05-27', 'device must be a string in quotes (e.g. device = "default"), got a date'],
    ['default-profile = 3', 'default-profile must be a profile name in quotes, got 3'],
  ])('wrong type %j names the line and what is allowed', (text, message) => {
    expect(parseError(`# settings\n${text}`).message).toBe(`${PATH} line 2: ${message}`);
  });

  it.each([
    ['profiles = 3', `${PATH} line 1: profiles must be tables, e.g. [profiles.work]`],
    ['[profiles]\nwork = "x"', `${PATH} line 2: profile "work" must be a table of settings`],
    ['[profiles.w]\ndefault-profile = "w"', `${PATH} line 2: default-profile belongs at the top of the file, not in [profiles.w]`],
  ])('misplaced tables: %j', (text, message) => {
    expect(parseError(text).message).toBe(message);
  });

  it('refuses a default-profile the file does not define, listing those it does', () => {
    const err = parseError('default-profile = "wrok"\n[profiles.work]\n[profiles.home]\n');
    expect(err.message).toBe(`${PATH} line 1: default-profile "wrok" is not in ${PATH}`);
    expect(err.hint).toBe('profiles in the file: work, home (did you mean "work"?)');
  });
});
