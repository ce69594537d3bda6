import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/options/resolve.js';
import { UsageError } from '../../../src/core/errors.js';
import { parseConfigFile } from '../../../src/options/config-toml.js';
import { parseStopPhrases } from '../../../src/options/stop-phrases.js';

const ENV = { ASSEMBLYAI_API_KEY: 'placeholder-env-0000' };

describe('parseStopPhrases', () => {
  it('no phrase: undefined; phrases as given, commas and case kept (the matcher ignores them)', () => {
    expect(parseStopPhrases(undefined)).toBeUndefined();
    expect(parseStopPhrases([])).toBeUndefined();
    expect(parseStopPhrases(['Stop, recording!', 'over'])).toEqual(['Stop, recording!', 'over']);
  });

  it.each([[''], ['   '], ['?!'], ['-- ...']])('refuses %j: a phrase with no words', (phrase) => {
    expect(() => parseStopPhrases(['stop', phrase])).toThrow(UsageError);
    expect(() => parseStopPhrases([phrase])).toThrow(`--stop-phrase ${JSON.stringify(phrase)} has no words`);
  });
});

describe('--stop-phrase through resolveConfig and the config file', () => {
  it('a repeated flag: every phrase in StopConditions', () => {
    expect(resolveConfig({ stopPhrase: ['stop recording', 'that is all'] }, ENV).stop).toEqual({
      once: false,
      stopPhrases: ['stop recording', 'that is all'],
    });
    expect(resolveConfig({}, ENV).stop).toEqual({ once: false });
  });

  it('stop-phrase in the file: a list of phrases kept apart (a comma stays inside its phrase), or one string', () => {
    const file = parseConfigFile('stop-phrase = ["stop, recording", "over"]\n[profiles.a]\nstop-phrase = "end note"\n', '/x/config.toml');
    expect(file.defaults.options.stopPhrase).toEqual(['stop, recording', 'over']);
    expect(file.profiles.get('a')?.options.stopPhrase).toEqual(['end note']);
  });

  it('a number is refused with what is allowed', () => {
    expect(() => parseConfigFile('\nstop-phrase = 3\n', '/x/config.toml')).toThrow(
      '/x/config.toml line 2: stop-phrase must be a list of strings (e.g. stop-phrase = ["stop recording"]) or one string, got 3',
    );
  });
});
