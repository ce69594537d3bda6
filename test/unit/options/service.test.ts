import { describe, expect, it } from 'vitest';
import { keytermList, resolveService, tokenCommandCredentials, type ServiceRawOptions } from '../../../src/options/service.js';
import { UsageError } from '../../../src/core/errors.js';

const resolve = (raw: ServiceRawOptions) => resolveService(raw);
const refusal = (raw: ServiceRawOptions): string => {
  try {
    resolve(raw);
  } catch (err) {
    if (err instanceof UsageError) return `${err.message} | ${err.hint ?? ''}`;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('resolveService', () => {
  it('keeps the English default and sends format_turns as before', () => {
    expect(resolve({})).toEqual({ speechModel: 'universal-streaming-english', formatTurns: true, model: {}, notices: [] });
    expect(resolve({ formatTurns: false }).formatTurns).toBe(false);
  });

  it('picks the model for the languages, and says which', () => {
    expect(resolve({ language: 'de' })).toMatchObject({
      speechModel: 'universal-streaming-multilingual',
      model: { languageDetection: true },
      notices: [{ kind: 'note', text: '--language de: using universal-streaming-multilingual' }],
    });
    expect(resolve({ language: 'ja,ko' })).toMatchObject({
      speechModel: 'universal-3-6-pro',
      formatTurns: undefined,
      model: { languageCodes: ['ja', 'ko'], languageDetection: true },
    });
    expect(resolve({ language: 'auto' })).toMatchObject({ speechModel: 'universal-3-6-pro', model: { languageDetection: true } });
  });

  it('warns for legacy models and --format-turns without effect; notes unknown names', () => {
    expect(resolve({ speechModel: 'u3-pro' }).notices[0]).toMatchObject({
      kind: 'warning',
      text: expect.stringMatching(/deprecated name of u3-rt-pro/),
    });
    expect(resolve({ speechModel: 'u3-pro' }).speechModel).toBe('u3-rt-pro');
    expect(resolve({ speechModel: 'universal-3-6-pro', formatTurns: true }).notices).toEqual([
      { kind: 'warning', text: '--format-turns has no effect on universal-3-6-pro: its turns are always formatted' },
    ]);
    expect(resolve({ speechModel: 'universal-3-9-pro' })).toMatchObject({ speechModel: 'universal-3-9-pro', notices: [{ kind: 'note' }] });
  });

  it('sets the model options after checking them against the model', () => {
    const r = resolve({
      speechModel: 'universal-3-6-pro',
      prompt: 'p',
      mode: 'balanced',
      vadThreshold: '0.5',
      voiceFocus: 'near-field',
      redactPii: 'person_name,,person_name, email_address',
      redactPiiSub: 'entity_name',
      filterProfanity: true,
      speakerLabels: true,
      maxSpeakers: '4',
    });
    expect(r.model).toEqual({
      prompt: 'p',
      mode: 'balanced',
      vadThreshold: 0.5,
      voiceFocus: 'near-field',
      redactPiiPolicies: ['person_name', 'email_address'],
      redactPiiSub: 'entity_name',
      filterProfanity: true,
      speakerLabels: true,
      maxSpeakers: 4,
    });
  });

  it.each([
    [{ speechModel: 'universal-3-6-prp' }, 'unknown --speech-model "universal-3-6-prp": did you mean universal-3-6-pro?'],
    [{ language: 'xx' }, 'no streaming model recognises xx'],
    [{ language: 'de', speechModel: 'universal-streaming-english' }, 'universal-streaming-english does not recognise de'],
    [{ mode: 'balanced' }, '--mode is not available on universal-streaming-english'],
    [{ speechModel: 'whisper-rt', keyterms: 'a' }, '--keyterms is not available on whisper-rt'],
    [
      { speechModel: 'universal-3-6-pro', endOfTurnConfidenceThreshold: '0.5' },
      '--end-of-turn-confidence-threshold is not available on universal-3-6-pro',
    ],
    [{ speechModel: 'universal-3-6-pro', voiceFocus: 'close' }, 'unknown --voice-focus "close"'],
    [{ speechModel: 'universal-3-6-pro', redactPii: ' , ' }, '--redact-pii is empty'],
    [{ speechModel: 'universal-3-6-pro', redactPii: 'Person Name' }, '--redact-pii "Person Name" is not a policy name'],
    [{ speechModel: 'universal-3-6-pro', prompt: ' ' }, '--prompt is empty'],
    [{ speakerLabels: true, maxSpeakers: '0' }, '--max-speakers must be between 1 and 10'],
  ])('refuses %j', (raw, message) => {
    expect(refusal(raw)).toMatch(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});

describe('keytermList', () => {
  it('merges --keyterms and the file, one term a line, comments and blanks skipped', () => {
    expect(keytermList({})).toBeUndefined();
    expect(keytermList({ keyterms: 'a, b', keytermsFileText: 'c\r\n# no\n\n d \n' })).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('tokenCommandCredentials', () => {
  it('stands alone', () => {
    expect(tokenCommandCredentials({})).toBeUndefined();
    expect(tokenCommandCredentials({ tokenCommand: './mint' })).toEqual({ kind: 'token-command', command: './mint' });
    expect(() => tokenCommandCredentials({ tokenCommand: './mint', token: 't' })).toThrow(/cannot be used with --token or --api-key/);
    expect(() => tokenCommandCredentials({ tokenCommand: ' ' })).toThrow(/--token-command is empty/);
  });
});
