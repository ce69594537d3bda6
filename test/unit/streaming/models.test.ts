import { describe, expect, it } from 'vitest';
import {
  beginModelMismatch,
  checkModelName,
  checkOptionsForModel,
  chooseModel,
  describeServerModelError,
  expectsFormattedTwinFor,
  formatTurnsEffect,
  MODEL_CATALOGUE,
  modelSupports,
  parseLanguages,
  setModelQuery,
  supportedLanguages,
} from '../../../src/streaming/models.js';

describe('the catalogue (docs/service.md#speech-models)', () => {
  it('has one entry per name, aliases included, and the documented language counts', () => {
    const names = MODEL_CATALOGUE.flatMap((m) => [m.name, ...m.aliases]);
    expect(new Set(names).size).toBe(names.length);
    const langs = (name: string): unknown => MODEL_CATALOGUE.find((m) => m.name === name)?.languages;
    expect(langs('universal-streaming-english')).toEqual(['en']);
    expect(langs('universal-streaming-multilingual')).toEqual(['en', 'es', 'de', 'fr', 'pt', 'it']);
    expect((langs('universal-3-6-pro') as string[]).length).toBe(32);
    expect(langs('whisper-rt')).toBe('many');
    expect(MODEL_CATALOGUE.every((m) => m.speakers)).toBe(true);
  });
});

describe('checkModelName', () => {
  it.each([
    ['universal-3-6-pro', 'universal-3-6-pro'],
    ['universal-streaming-english', 'universal-streaming-english'],
    ['universal-3-5-pro', 'universal-3-5-pro'],
  ])('%s is known, with no warning', (name, model) => {
    expect(checkModelName(name)).toEqual({ kind: 'known', model, info: expect.objectContaining({ name: model }) });
  });

  it('warns about legacy and preview models, and resolves the deprecated alias', () => {
    expect(checkModelName('whisper-rt')).toMatchObject({
      kind: 'known',
      model: 'whisper-rt',
      warning: expect.stringMatching(/^whisper-rt is a legacy model: legacy since June 2026/),
    });
    expect(checkModelName('universal-3-7-preview')).toMatchObject({ kind: 'known', warning: expect.stringContaining('is a preview model') });
    const alias = checkModelName('u3-pro');
    expect(alias).toMatchObject({ kind: 'known', model: 'u3-rt-pro' });
    expect(alias.kind === 'known' ? alias.warning : '').toMatch(
      /^"u3-pro" is a deprecated name of u3-rt-pro, which is sent instead.*; u3-rt-pro is a legacy model/,
    );
  });

  it.each([
    ['universal-3-6pro', 'universal-3-6-pro'],
    ['universal-streaming-englsh', 'universal-streaming-english'],
    ['Universal-3-6-Pro', 'universal-3-6-pro'],
    ['universal_3_6_pro', 'universal-3-6-pro'],
    ['universal-3.6-pro', 'universal-3-6-pro'],
    ['universal-streaming-multilingal', 'universal-streaming-multilingual'],
    ['whisper-tr', 'whisper-rt'],
    ['u3-rtpro', 'u3-rt-pro'],
  ])('%s is refused as a typo of %s', (name, suggestion) => {
    expect(checkModelName(name)).toEqual({
      kind: 'typo',
      suggestion,
      message: `unknown --speech-model "${name}": did you mean ${suggestion}?`,
      hint: 'live-transcribe --list-models shows the models this client knows',
    });
  });

  it.each(['universal-3-8-pro', 'universal-4-pro', 'nova-stream', 'universal-3-7'])('%s is new: sent as given, with a note', (name) => {
    expect(checkModelName(name)).toEqual({
      kind: 'unknown',
      model: name,
      note: `--speech-model ${name} is not a model this client knows: it is sent as given, and the service will say if it does not know it`,
    });
  });
});

describe('parseLanguages', () => {
  it.each([
    ['de', ['de']],
    [' DE , en,de ', ['de', 'en']],
    ['auto', 'auto'],
    ['AUTO', 'auto'],
  ])('%j -> %j', (text, languages) => {
    expect(parseLanguages(text)).toEqual({ ok: true, languages });
  });

  it.each([
    [',', '--language is empty'],
    ['en,auto', '--language en,auto: "auto" and "multi" stand alone'],
    ['multi', '--language multi: "auto" and "multi" stand alone'],
    ['german', '--language "german" is not a language code'],
    ['en,es,de,fr,pt,it,nl,sv,da,fi,no', '--language has 11 codes; the service takes at most 10'],
  ])('%j is refused: %s', (text, message) => {
    expect(parseLanguages(text)).toMatchObject({ ok: false, message });
  });
});

describe('chooseModel', () => {
  it.each([
    [undefined, 'universal-streaming-english', {}],
    [['en'], 'universal-streaming-english', {}],
    [['de'], 'universal-streaming-multilingual', { languageDetection: true }],
    [['en', 'es'], 'universal-streaming-multilingual', { languageDetection: true }],
    [['ja'], 'universal-3-6-pro', { languageCodes: ['ja'] }],
    [['en', 'hi'], 'universal-3-6-pro', { languageCodes: ['en', 'hi'], languageDetection: true }],
    ['auto', 'universal-3-6-pro', { languageDetection: true }],
  ] as const)('languages %j -> %s %j', (languages, model, params) => {
    const r = chooseModel(languages === undefined ? {} : { languages });
    expect(r).toMatchObject({ ok: true, choice: { model, params } });
    if (r.ok) expect(r.choice.params).toEqual(params);
  });

  it('says what auto does', () => {
    expect(chooseModel({ languages: 'auto' })).toMatchObject({
      ok: true,
      choice: { notes: ['--language auto: universal-3-6-pro detects the language of each turn (32 languages)'] },
    });
  });

  it('refuses a language no model supports, listing the supported codes', () => {
    const r = chooseModel({ languages: ['de', 'pl'] });
    expect(r).toEqual({
      ok: false,
      message: 'no streaming model recognises pl',
      hint: expect.stringContaining(`supported: ${supportedLanguages().join(' ')}`),
    });
    expect(supportedLanguages()).toContain('yue');
    expect(supportedLanguages()).not.toContain('pl');
  });

  it.each([
    ['universal-streaming-english', ['en'], {}],
    ['universal-3-6-pro', ['de'], { languageCodes: ['de'] }],
    ['universal-3-6-pro', 'auto', { languageDetection: true }],
    ['universal-streaming-multilingual', ['fr'], { languageDetection: true }],
    ['u3-pro', ['es', 'en'], { languageCodes: ['es', 'en'], languageDetection: true }],
    ['universal-3-5-pro', ['ko'], { languageCodes: ['ko'] }],
    ['whisper-rt', ['pl'], {}],
    ['whisper-rt', 'auto', {}],
    ['universal-9-pro', ['pl'], { languageCodes: ['pl'] }],
    ['universal-9-pro', 'auto', { languageDetection: true }],
  ] as const)('explicit %s with %j sends %j', (speechModel, languages, params) => {
    const r = chooseModel({ speechModel, languages });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.choice.params).toEqual(params);
      expect(r.choice.model).toBe(speechModel === 'u3-pro' ? 'u3-rt-pro' : speechModel);
    }
  });

  it('notes what it cannot check', () => {
    expect(chooseModel({ speechModel: 'whisper-rt', languages: ['pl'] })).toMatchObject({
      ok: true,
      choice: { notes: ['whisper-rt detects the language by itself: --language is not sent'] },
    });
    expect(chooseModel({ speechModel: 'universal-9-pro', languages: ['pl'] })).toMatchObject({
      ok: true,
      choice: { notes: ['the client cannot check the languages of universal-9-pro: they are sent as given'] },
    });
  });

  it('refuses an explicit model that cannot do the languages, naming the ones that can', () => {
    expect(chooseModel({ speechModel: 'universal-streaming-english', languages: ['de'] })).toEqual({
      ok: false,
      message: 'universal-streaming-english does not recognise de',
      hint: 'models that do: universal-streaming-multilingual, universal-3-6-pro, u3-rt-pro; or leave out --speech-model and the client chooses',
    });
    expect(chooseModel({ speechModel: 'universal-streaming-multilingual', languages: ['ja'] })).toMatchObject({
      ok: false,
      hint: 'models that do: universal-3-6-pro; or leave out --speech-model and the client chooses',
    });
    expect(chooseModel({ speechModel: 'universal-streaming-english', languages: 'auto' })).toEqual({
      ok: false,
      message: 'universal-streaming-english cannot detect the language',
      hint: 'models that can: universal-streaming-multilingual, universal-3-6-pro, universal-3-5-pro, u3-rt-pro, whisper-rt',
    });
  });
});

describe('formatTurnsEffect', () => {
  it.each([
    ['universal-streaming-english', undefined, true, undefined],
    ['universal-streaming-english', false, false, undefined],
    ['universal-streaming-multilingual', true, true, undefined],
    ['universal-3-6-pro', undefined, undefined, undefined],
    ['universal-3-6-pro', true, undefined, '--format-turns has no effect on universal-3-6-pro: its turns are always formatted'],
    ['u3-pro', false, undefined, '--no-format-turns has no effect on u3-rt-pro: its turns are always formatted'],
    ['whisper-rt', true, undefined, '--format-turns has no effect on whisper-rt: its turns are always formatted'],
    ['universal-9-pro', undefined, true, undefined],
  ] as const)('%s with %j sends %j', (model, flag, send, warning) => {
    expect(formatTurnsEffect(model, flag)).toEqual(warning === undefined ? { send } : { send, warning });
  });

  it('expects a formatted twin only where format_turns is sent to a model formatted on request', () => {
    expect(expectsFormattedTwinFor('universal-streaming-english', undefined)).toBe(true);
    expect(expectsFormattedTwinFor('universal-streaming-english', false)).toBe(false);
    expect(expectsFormattedTwinFor('universal-3-6-pro', true)).toBe(false);
    expect(expectsFormattedTwinFor('whisper-rt', true)).toBe(false);
    expect(expectsFormattedTwinFor('universal-streaming-hindi', undefined)).toBe(true);
    expect(expectsFormattedTwinFor('universal-9-pro', undefined)).toBe(false);
  });
});

describe('model-specific options', () => {
  it.each([
    ['universal-3-6-pro', 'prompt', 'yes'],
    ['universal-streaming-english', 'prompt', 'no'],
    ['universal-streaming-english', 'mode', 'no'],
    ['u3-pro', 'mode', 'yes'],
    ['universal-streaming-english', 'vadThreshold', 'yes'],
    ['universal-streaming-multilingual', 'voiceFocus', 'no'],
    ['universal-3-5-pro', 'redactPii', 'yes'],
    ['universal-streaming-english', 'filterProfanity', 'yes'],
    ['whisper-rt', 'keyterms', 'no'],
    ['universal-3-6-pro', 'endOfTurnConfidenceThreshold', 'no'],
    ['whisper-rt', 'speakerLabels', 'yes'],
    ['universal-9-pro', 'speakerLabels', 'yes'],
    ['universal-9-pro', 'prompt', 'unknown'],
    ['universal-3-7-preview', 'mode', 'unknown'],
  ] as const)('%s %s: %s', (model, feature, answer) => {
    expect(modelSupports(model, feature)).toBe(answer);
  });

  it('names the option and the models that have it', () => {
    expect(
      checkOptionsForModel('universal-streaming-english', { prompt: true, mode: true, keyterms: true, speakerLabels: true, maxSpeakers: true }),
    ).toEqual([
      {
        option: '--prompt',
        message: '--prompt is not available on universal-streaming-english',
        hint: 'models that have it: universal-3-6-pro, universal-3-5-pro, u3-rt-pro',
      },
      {
        option: '--mode',
        message: '--mode is not available on universal-streaming-english',
        hint: 'models that have it: universal-3-6-pro, universal-3-5-pro, u3-rt-pro',
      },
    ]);
    expect(checkOptionsForModel('universal-3-6-pro', { endOfTurnConfidenceThreshold: true })).toEqual([
      {
        option: '--end-of-turn-confidence-threshold',
        message: '--end-of-turn-confidence-threshold is not available on universal-3-6-pro',
        hint: 'models that have it: universal-streaming-english, universal-streaming-multilingual',
      },
    ]);
  });

  it('passes everything for an unknown model, and checks the options that need another', () => {
    expect(checkOptionsForModel('universal-9-pro', { prompt: true, mode: true, voiceFocus: true })).toEqual([]);
    expect(checkOptionsForModel('universal-3-6-pro', { redactPiiSub: true, maxSpeakers: true })).toEqual([
      { option: '--redact-pii-sub', message: '--redact-pii-sub needs --redact-pii', hint: 'add --redact-pii, or leave out --redact-pii-sub' },
      { option: '--max-speakers', message: '--max-speakers needs --speaker-labels', hint: 'add --speaker-labels, or leave out --max-speakers' },
    ]);
  });
});

describe('setModelQuery', () => {
  it('serialises as docs/service.md#connecting and docs/service.md#model-parameters say (policies in the comma form)', () => {
    const q = new URLSearchParams();
    setModelQuery(q, {
      languageCodes: ['en', 'de'],
      languageDetection: true,
      prompt: 'Names: Ada, Grace',
      mode: 'max_accuracy',
      vadThreshold: 0,
      voiceFocus: 'far-field',
      redactPiiPolicies: ['person_name', 'phone_number'],
      redactPiiSub: 'entity_name',
      filterProfanity: true,
      speakerLabels: true,
      maxSpeakers: 3,
    });
    expect(Object.fromEntries(q)).toEqual({
      language_codes: '["en","de"]',
      language_detection: 'true',
      prompt: 'Names: Ada, Grace',
      mode: 'max_accuracy',
      vad_threshold: '0',
      voice_focus: 'far-field',
      redact_pii: 'true',
      redact_pii_policies: 'person_name,phone_number',
      redact_pii_sub: 'entity_name',
      filter_profanity: 'true',
      speaker_labels: 'true',
      max_speakers: '3',
    });
    expect(q.toString()).toContain('language_codes=%5B%22en%22%2C%22de%22%5D');
  });

  it('leaves out what is not set, and the dependants of what is not set', () => {
    const q = new URLSearchParams();
    setModelQuery(q, { languageCodes: [], languageDetection: false, filterProfanity: false, maxSpeakers: 2, redactPiiSub: 'hash' });
    expect(q.toString()).toBe('');
  });
});

describe('the service about models', () => {
  const list =
    "'universal-streaming-english', 'universal-streaming-multilingual', 'whisper-rt', 'u3-rt-pro', 'universal-3-6-pro' or '_universal-3-5-notetaker'";

  it('says a 3006 for an unknown model in plain words, without internal names', () => {
    expect(describeServerModelError(`User Input Validation Error: Invalid 'speech_model': Input should be ${list}`, 'u3-pro')).toEqual({
      message: 'the service does not know the speech model "u3-pro"',
      hint: 'the service accepts: universal-streaming-english, universal-streaming-multilingual, whisper-rt, u3-rt-pro, universal-3-6-pro',
    });
    expect(describeServerModelError("Invalid 'speech_model': Input should be a valid string")).toEqual({
      message: 'the service does not know the speech model asked for',
      hint: 'live-transcribe --list-models shows the models this client knows',
    });
    expect(
      describeServerModelError("User Input Validation Error: Invalid 'sample_rate': Value error, sample_rate must be at least 8,000 Hz"),
    ).toBeUndefined();
  });

  it.each([
    ['universal-3-6-pro', 'universal-3-6-pro', undefined],
    ['u3-pro', 'u3-rt-pro', undefined],
    ['universal-3-6-pro', undefined, undefined],
    ['universal-3-6-pro', null, undefined],
    ['universal-3-7-preview', 'universal-3-6-pro', 'asked for universal-3-7-preview, but the service is using universal-3-6-pro'],
  ] as const)('asked %s, Begin says %j -> %j', (asked, begun, warning) => {
    expect(beginModelMismatch(asked, begun)).toBe(warning);
  });
});
