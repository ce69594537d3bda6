/**
 * The speech models the client knows (docs/service.md#speech-models) and what each can do, as data,
 * with the pure decisions built on it: is a `--speech-model` name known, legacy, a likely typo or new; which model
 * serves the languages asked for; which options a model has; how the service's own model errors read.
 * The service stays the judge of names: an unknown name is sent as given (docs/service.md#speech-models), never refused for being new.
 */
import { editDistance } from '../core/edit-distance.js';
import type { LanguageParams, Mode, ModelParams, RedactPiiSub, VoiceFocus } from '../core/types.js';

export type { LanguageParams, Mode, ModelParams, RedactPiiSub, VoiceFocus } from '../core/types.js';

/** How finals get punctuation and casing: on request (`format_turns`, docs/service.md#turns: the formatted twin) or always (u3 family). */
export type Formatting = 'format_turns' | 'always';
/** `yes`: with `language_detection=true`; `automatic`: the model always detects; `no`: never. */
export type LanguageDetection = 'yes' | 'no' | 'automatic';
export type ModelStatus = 'current' | 'legacy' | 'preview' | 'undocumented';
/** End of turn from a confidence threshold (Universal-Streaming) or from `mode` presets (Pro models, docs/service.md#speech-models). */
export type TurnDetection = 'confidence' | 'mode';
/** The option set a model takes; `unknown` for models the sources say nothing reliable about. */
export type ModelFamily = 'universal-streaming' | 'universal-3' | 'whisper' | 'unknown';

export interface ModelInfo {
  name: string;
  /** Language codes, `many` (detected, not chosen), or `unknown` when no source lists them. */
  languages: readonly string[] | 'many' | 'unknown';
  /** How the model is told the languages: a `language_codes` JSON array, or not at all. */
  languageParam: 'language_codes' | 'none';
  formatting: Formatting | 'unknown';
  languageDetection: LanguageDetection | 'unknown';
  /** Speaker labels: every streaming model has them (docs/service.md#speech-models). */
  speakers: boolean;
  status: ModelStatus;
  turnDetection: TurnDetection | 'unknown';
  family: ModelFamily;
  /** Old names the client still accepts and rewrites to this one. */
  aliases: readonly string[];
  /** One sentence for `--list-models` and the warnings. */
  note?: string;
}

export const CLIENT_DEFAULT_MODEL = 'universal-streaming-english';
/** What the service uses when `speech_model` is missing (docs/service.md#speech-models); the client always sends one anyway. */
export const SERVICE_DEFAULT_MODEL = 'universal-3-6-pro';

const MULTILINGUAL_LANGUAGES = ['en', 'es', 'de', 'fr', 'pt', 'it'] as const;
const U3_6_PRO_LANGUAGES = [
  'af',
  'ar',
  'yue',
  'ca',
  'da',
  'nl',
  'en',
  'et',
  'fi',
  'fr',
  'gl',
  'de',
  'he',
  'hi',
  'it',
  'ja',
  'ko',
  'zh',
  'mr',
  'no',
  'nn',
  'fa',
  'pt',
  'ro',
  'ru',
  'es',
  'sv',
  'tr',
  'ur',
  'vi',
  'xh',
  'zu',
] as const;

const unknownModel = (name: string, status: ModelStatus, note: string, aliases: readonly string[] = []): ModelInfo => ({
  name,
  languages: 'unknown',
  languageParam: 'language_codes',
  formatting: 'unknown',
  languageDetection: 'unknown',
  speakers: true,
  status,
  turnDetection: 'unknown',
  family: 'unknown',
  aliases,
  note,
});

/** A Universal-3 model: languages in `language_codes`, always formatted, detection on request, `mode` presets. */
const universal3 = (
  name: string,
  languages: ModelInfo['languages'],
  status: ModelStatus,
  note: string,
  aliases: readonly string[] = [],
): ModelInfo => ({
  name,
  languages,
  languageParam: 'language_codes',
  formatting: 'always',
  languageDetection: 'yes',
  speakers: true,
  status,
  turnDetection: 'mode',
  family: 'universal-3',
  aliases,
  note,
});

/** docs/service.md#speech-models, in the order `--list-models` shows it. */
export const MODEL_CATALOGUE: readonly ModelInfo[] = [
  {
    name: 'universal-streaming-english',
    languages: ['en'],
    languageParam: 'none',
    formatting: 'format_turns',
    languageDetection: 'no',
    speakers: true,
    status: 'current',
    turnDetection: 'confidence',
    family: 'universal-streaming',
    aliases: [],
    note: 'the client default for English: the cheapest model',
  },
  {
    name: 'universal-streaming-multilingual',
    languages: MULTILINGUAL_LANGUAGES,
    languageParam: 'none',
    formatting: 'format_turns',
    languageDetection: 'yes',
    speakers: true,
    status: 'current',
    turnDetection: 'confidence',
    family: 'universal-streaming',
    aliases: [],
    note: 'detects the language of each utterance among its six',
  },
  universal3('universal-3-6-pro', U3_6_PRO_LANGUAGES, 'current', "the service's default; code-switching between its languages"),
  universal3('universal-3-5-pro', 'unknown', 'current', '19 languages (the sources do not list them)'),
  universal3('u3-rt-pro', MULTILINGUAL_LANGUAGES, 'legacy', 'dropped from the docs in July 2026, still works; universal-3-6-pro replaces it', [
    'u3-pro',
  ]),
  {
    name: 'whisper-rt',
    languages: 'many',
    languageParam: 'none',
    formatting: 'always',
    languageDetection: 'automatic',
    speakers: true,
    status: 'legacy',
    turnDetection: 'unknown',
    family: 'whisper',
    aliases: [],
    note: 'legacy since June 2026; 99+ languages, detected only; non-speech tags such as [Silence]',
  },
  { ...unknownModel('universal-3-6', 'undocumented', 'in both SDKs, but not a documented model'), formatting: 'always' },
  unknownModel('universal-3-7-preview', 'preview', 'a preview: a third party saw it open and then cancel the session'),
  unknownModel('assemblyai-stt-3-7-realtime', 'preview', "named only on the docs' speaker-diarization page; in no SDK"),
  unknownModel('u3-rt-pro-beta-1', 'undocumented', "in the service's list, documented nowhere"),
  unknownModel('u3-rt-agent', 'undocumented', "in the service's list, documented nowhere"),
];

/** The catalogue entry for a name or one of its aliases. */
export function findModel(name: string, catalogue: readonly ModelInfo[] = MODEL_CATALOGUE): ModelInfo | undefined {
  return catalogue.find((m) => m.name === name || m.aliases.includes(name));
}

export type ModelNameCheck =
  /** A name the client knows; `model` is what to send (an alias resolved), `warning` for legacy, preview, aliases. */
  | { kind: 'known'; model: string; info: ModelInfo; warning?: string }
  /** Refused: close to a known name. `message`/`hint` are ready for a UsageError. */
  | { kind: 'typo'; suggestion: string; message: string; hint: string }
  /** Sent as given; `note` says so. */
  | { kind: 'unknown'; model: string; note: string };

const squash = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');
/** The name with each version number replaced: `universal-3-7-pro` and `universal-3-6-pro` share one. */
const versionless = (name: string): string => name.toLowerCase().replace(/\d+/g, '#');

function statusWarning(info: ModelInfo): string | undefined {
  if (info.status === 'current') return undefined;
  const what = info.status === 'legacy' ? 'a legacy model' : info.status === 'preview' ? 'a preview model' : 'an undocumented model';
  return `${info.name} is ${what}${info.note === undefined ? '' : `: ${info.note}`}`;
}

/**
 * A `--speech-model` name judged against the catalogue: known (legacy, preview and alias names with a warning),
 * a likely typo (the same letters with other dashes, dots or case, or up to 2 edits away; refused with the
 * suggestion), or new (sent as given). A name that differs from a known one only in its version numbers
 * (`universal-3-7-pro`) is taken as a newer model, not a typo: the service adds models every few months.
 */
export function checkModelName(name: string, catalogue: readonly ModelInfo[] = MODEL_CATALOGUE): ModelNameCheck {
  const info = findModel(name, catalogue);
  if (info !== undefined) {
    const alias =
      info.name === name
        ? undefined
        : `"${name}" is a deprecated name of ${info.name}, which is sent instead (the service no longer accepts "${name}")`;
    const warning = [alias, statusWarning(info)].filter((w) => w !== undefined).join('; ');
    return warning === '' ? { kind: 'known', model: info.name, info } : { kind: 'known', model: info.name, info, warning };
  }
  const names = catalogue.flatMap((m) => [m.name, ...m.aliases]);
  const close =
    names.find((known) => squash(known) === squash(name)) ??
    names.find((known) => name.length >= 5 && versionless(known) !== versionless(name) && editDistance(known, name) <= 2);
  if (close !== undefined) {
    const suggestion = findModel(close, catalogue)?.name ?? close;
    return {
      kind: 'typo',
      suggestion,
      message: `unknown --speech-model "${name}": did you mean ${suggestion}?`,
      hint: 'live-transcribe --list-models shows the models this client knows',
    };
  }
  return {
    kind: 'unknown',
    model: name,
    note: `--speech-model ${name} is not a model this client knows: it is sent as given, and the service will say if it does not know it`,
  };
}

export interface ModelChoice {
  model: string;
  params: LanguageParams;
  /** Sentences to show on stderr (unless --quiet). */
  notes: string[];
}

export type ModelChoiceResult = { ok: true; choice: ModelChoice } | { ok: false; message: string; hint: string };

/** `language_codes` takes at most 10 codes (docs/service.md#model-parameters). */
export const MAX_LANGUAGE_CODES = 10;

/** Every code some known model lists, sorted: what `--language` accepts when the client chooses the model. */
export function supportedLanguages(catalogue: readonly ModelInfo[] = MODEL_CATALOGUE): string[] {
  return [...new Set(catalogue.flatMap((m) => (Array.isArray(m.languages) ? m.languages : [])))].sort();
}

const covers = (m: ModelInfo, codes: readonly string[]): boolean =>
  Array.isArray(m.languages) && codes.every((c) => (m.languages as readonly string[]).includes(c));

/** Models (current first) that recognise every code. */
function modelsFor(codes: readonly string[], catalogue: readonly ModelInfo[]): string[] {
  return catalogue.filter((m) => covers(m, codes)).map((m) => m.name);
}

function languageParams(m: ModelInfo, codes: readonly string[] | 'auto'): LanguageParams {
  const params: LanguageParams = {};
  if (codes !== 'auto' && m.languageParam === 'language_codes') params.languageCodes = [...codes];
  // Detection labels each turn with its language: wanted for auto, for several languages, and for the model
  // that cannot be told the languages but detects them (multilingual).
  const several = codes === 'auto' || codes.length > 1 || m.languageParam === 'none';
  if ((m.languageDetection === 'yes' || m.languageDetection === 'unknown') && several) params.languageDetection = true;
  return params;
}

const refuse = (message: string, hint: string): ModelChoiceResult => ({ ok: false, message, hint });

/**
 * The model and language parameters for what is spoken. Without `--speech-model`: English or nothing keeps the
 * client default (cheaper); codes all in universal-streaming-multilingual's six pick it; else universal-3-6-pro;
 * `auto` picks universal-3-6-pro with detection. With one: the languages are checked against it. Call it after
 * checkModelName (with the name that returns) and parseLanguages (codes lower-case, de-duplicated).
 */
export function chooseModel(
  o: { speechModel?: string; languages?: readonly string[] | 'auto' },
  catalogue: readonly ModelInfo[] = MODEL_CATALOGUE,
): ModelChoiceResult {
  const { languages } = o;
  if (o.speechModel !== undefined) return checkLanguagesForModel(o.speechModel, languages, catalogue);
  if (languages === undefined) return { ok: true, choice: { model: CLIENT_DEFAULT_MODEL, params: {}, notes: [] } };
  const pick = (name: string, notes: string[] = []): ModelChoiceResult => {
    const m = findModel(name, catalogue);
    return m === undefined
      ? refuse(`no known model is named ${name}`, 'this is a bug in live-transcribe: please report it')
      : { ok: true, choice: { model: m.name, params: languageParams(m, languages), notes } };
  };
  if (languages === 'auto')
    return pick(SERVICE_DEFAULT_MODEL, [`--language auto: ${SERVICE_DEFAULT_MODEL} detects the language of each turn (32 languages)`]);
  const supported = supportedLanguages(catalogue);
  const unsupported = languages.filter((c) => !supported.includes(c));
  if (unsupported.length > 0) {
    return refuse(
      `no streaming model recognises ${unsupported.join(', ')}`,
      `supported: ${supported.join(' ')}; whisper-rt (legacy) detects 99+ languages by itself: --speech-model whisper-rt`,
    );
  }
  const fits = modelsFor(languages, catalogue);
  if (languages.every((c) => c === 'en')) return pick(CLIENT_DEFAULT_MODEL);
  if (fits.includes('universal-streaming-multilingual')) return pick('universal-streaming-multilingual');
  if (fits.includes(SERVICE_DEFAULT_MODEL)) return pick(SERVICE_DEFAULT_MODEL);
  return refuse(`no single model recognises all of ${languages.join(', ')}`, `models and their languages: live-transcribe --list-models`);
}

function checkLanguagesForModel(name: string, languages: readonly string[] | 'auto' | undefined, catalogue: readonly ModelInfo[]): ModelChoiceResult {
  const m = findModel(name, catalogue);
  const model = m?.name ?? name;
  if (languages === undefined) return { ok: true, choice: { model, params: {}, notes: [] } };
  if (m === undefined) {
    const params: LanguageParams = languages === 'auto' ? { languageDetection: true } : { languageCodes: [...languages] };
    return { ok: true, choice: { model, params, notes: [`the client cannot check the languages of ${name}: they are sent as given`] } };
  }
  if (languages === 'auto') {
    if (m.languageDetection === 'no') {
      const detecting = catalogue.filter((c) => c.languageDetection === 'yes' || c.languageDetection === 'automatic').map((c) => c.name);
      return refuse(`${model} cannot detect the language`, `models that can: ${detecting.join(', ')}`);
    }
    const notes = m.languageDetection === 'automatic' ? [`${model} always detects the language by itself`] : [];
    return { ok: true, choice: { model, params: languageParams(m, 'auto'), notes } };
  }
  if (m.languages === 'many')
    return { ok: true, choice: { model, params: {}, notes: [`${model} detects the language by itself: --language is not sent`] } };
  if (m.languages === 'unknown') {
    return {
      ok: true,
      choice: { model, params: languageParams(m, languages), notes: [`the client does not know the languages of ${model}: they are sent as given`] },
    };
  }
  const missing = languages.filter((c) => !(m.languages as readonly string[]).includes(c));
  if (missing.length > 0) {
    const others = modelsFor(languages, catalogue);
    const hint =
      others.length > 0
        ? `models that do: ${others.join(', ')}; or leave out --speech-model and the client chooses`
        : 'no single model recognises them all: live-transcribe --list-models';
    return refuse(`${model} does not recognise ${missing.join(', ')}`, hint);
  }
  return { ok: true, choice: { model, params: languageParams(m, languages), notes: [] } };
}

/**
 * `--language` as typed -> `auto` or lower-case, de-duplicated codes. Returns an error text for an empty list,
 * a malformed code, `multi` (say `auto`), or more than 10 codes.
 */
export function parseLanguages(text: string): { ok: true; languages: string[] | 'auto' } | { ok: false; message: string; hint: string } {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'auto') return { ok: true, languages: 'auto' };
  const codes = [
    ...new Set(
      trimmed
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== ''),
    ),
  ];
  if (codes.length === 0)
    return { ok: false, message: '--language is empty', hint: 'give a language code such as de, several such as en,es, or auto' };
  if (codes.includes('multi') || codes.includes('auto'))
    return {
      ok: false,
      message: `--language ${text.trim()}: "auto" and "multi" stand alone`,
      hint: 'use --language auto to let the model detect the language',
    };
  const bad = codes.find((c) => !/^[a-z]{2,3}$/.test(c));
  if (bad !== undefined)
    return {
      ok: false,
      message: `--language "${bad}" is not a language code`,
      hint: 'use ISO 639-1 codes such as en, de, es (yue for Cantonese), or auto',
    };
  if (codes.length > MAX_LANGUAGE_CODES)
    return {
      ok: false,
      message: `--language has ${codes.length} codes; the service takes at most ${MAX_LANGUAGE_CODES}`,
      hint: 'name the languages actually spoken, or use --language auto',
    };
  return { ok: true, languages: codes };
}

/** The model's formatting, or undefined for a model the client does not know. */
export function modelFormatting(name: string, catalogue: readonly ModelInfo[] = MODEL_CATALOGUE): Formatting | undefined {
  const f = findModel(name, catalogue)?.formatting;
  return f === 'unknown' ? undefined : f;
}

/**
 * What to do with `--format-turns` / `--no-format-turns` (`undefined`: not given). `send` is the value to put on
 * the wire, or undefined to leave `format_turns` out: models that are always formatted get nothing, with a
 * warning when the user asked. Unknown models get the flag as given (default true, as today).
 */
export function formatTurnsEffect(
  model: string,
  formatTurns: boolean | undefined,
  catalogue: readonly ModelInfo[] = MODEL_CATALOGUE,
): { send: boolean | undefined; warning?: string } {
  if (modelFormatting(model, catalogue) !== 'always') return { send: formatTurns ?? true };
  if (formatTurns === undefined) return { send: undefined };
  const flag = formatTurns ? '--format-turns' : '--no-format-turns';
  return { send: undefined, warning: `${flag} has no effect on ${findModel(model, catalogue)?.name ?? model}: its turns are always formatted` };
}

/** Whether a final is followed by a formatted twin (docs/service.md#turns): only on models formatted on request. */
export function expectsFormattedTwinFor(model: string, formatTurns: boolean | undefined, catalogue: readonly ModelInfo[] = MODEL_CATALOGUE): boolean {
  const f = modelFormatting(model, catalogue);
  return (
    formatTurnsEffect(model, formatTurns, catalogue).send === true &&
    (f === 'format_turns' || (f === undefined && model.startsWith('universal-streaming')))
  );
}

/** The model-specific options of issue 12, by the flag that sets each. */
export const MODEL_FEATURES = {
  prompt: '--prompt',
  mode: '--mode',
  vadThreshold: '--vad-threshold',
  voiceFocus: '--voice-focus',
  redactPii: '--redact-pii',
  redactPiiSub: '--redact-pii-sub',
  filterProfanity: '--filter-profanity',
  keyterms: '--keyterms',
  endOfTurnConfidenceThreshold: '--end-of-turn-confidence-threshold',
  speakerLabels: '--speaker-labels',
  maxSpeakers: '--max-speakers',
} as const;
export type ModelFeature = keyof typeof MODEL_FEATURES;

/** Which families take which options (docs/service.md#speech-models, docs/service.md#model-parameters). */
const FEATURE_FAMILIES: Record<ModelFeature, readonly ModelFamily[]> = {
  prompt: ['universal-3'],
  mode: ['universal-3'],
  vadThreshold: ['universal-streaming', 'universal-3', 'whisper'],
  voiceFocus: ['universal-3'],
  redactPii: ['universal-3'],
  redactPiiSub: ['universal-3'],
  filterProfanity: ['universal-streaming', 'universal-3', 'whisper'],
  keyterms: ['universal-streaming', 'universal-3'],
  endOfTurnConfidenceThreshold: ['universal-streaming'],
  speakerLabels: ['universal-streaming', 'universal-3', 'whisper', 'unknown'],
  maxSpeakers: ['universal-streaming', 'universal-3', 'whisper', 'unknown'],
};

/** `unknown` for a model the client knows nothing reliable about: then the option is sent and the service decides. */
export function modelSupports(model: string, feature: ModelFeature, catalogue: readonly ModelInfo[] = MODEL_CATALOGUE): 'yes' | 'no' | 'unknown' {
  const family = findModel(model, catalogue)?.family ?? 'unknown';
  if (FEATURE_FAMILIES[feature].includes(family)) return 'yes';
  return family === 'unknown' ? 'unknown' : 'no';
}

export interface OptionProblem {
  /** The flag, e.g. `--prompt`. */
  option: string;
  message: string;
  hint: string;
}

/**
 * The options given (true = set) checked against the model: one problem per option the model does not have,
 * naming the models that do, plus the options that need another (`--redact-pii-sub` needs `--redact-pii`,
 * `--max-speakers` needs `--speaker-labels`). Options of an unknown model pass: the service decides.
 */
export function checkOptionsForModel(
  model: string,
  options: Partial<Record<ModelFeature, boolean>>,
  catalogue: readonly ModelInfo[] = MODEL_CATALOGUE,
): OptionProblem[] {
  const problems: OptionProblem[] = [];
  const name = findModel(model, catalogue)?.name ?? model;
  for (const feature of Object.keys(MODEL_FEATURES) as ModelFeature[]) {
    if (options[feature] !== true || modelSupports(name, feature, catalogue) !== 'no') continue;
    const having = catalogue.filter((m) => m.status !== 'undocumented' && modelSupports(m.name, feature, catalogue) === 'yes').map((m) => m.name);
    problems.push({
      option: MODEL_FEATURES[feature],
      message: `${MODEL_FEATURES[feature]} is not available on ${name}`,
      hint: `models that have it: ${having.join(', ')}`,
    });
  }
  const needs = (feature: ModelFeature, needed: ModelFeature): void => {
    if (options[feature] === true && options[needed] !== true) {
      problems.push({
        option: MODEL_FEATURES[feature],
        message: `${MODEL_FEATURES[feature]} needs ${MODEL_FEATURES[needed]}`,
        hint: `add ${MODEL_FEATURES[needed]}, or leave out ${MODEL_FEATURES[feature]}`,
      });
    }
  };
  needs('redactPiiSub', 'redactPii');
  needs('maxSpeakers', 'speakerLabels');
  return problems;
}

export const MODES: readonly Mode[] = ['min_latency', 'balanced', 'max_accuracy'];
export const VOICE_FOCUS: readonly VoiceFocus[] = ['near-field', 'far-field'];
export const REDACT_PII_SUBS: readonly RedactPiiSub[] = ['hash', 'entity_name'];
/** `max_speakers` is a hard cap of 1-10 (docs/service.md#model-parameters). */
export const MAX_SPEAKERS_RANGE = { min: 1, max: 10 } as const;
/** `prompt` longer than this is refused by the service with 3006 (docs/service.md#model-parameters). */
export const PROMPT_MAX_CHARS = 1750;

/**
 * Adds the set parameters to a query, as docs/service.md#connecting says: lists as JSON arrays, except
 * `redact_pii_policies`, which is the comma form over the raw WebSocket (docs/service.md#model-parameters); booleans as `true`.
 */
export function setModelQuery(q: URLSearchParams, p: ModelParams): void {
  if (p.languageCodes !== undefined && p.languageCodes.length > 0) q.set('language_codes', JSON.stringify(p.languageCodes));
  if (p.languageDetection === true) q.set('language_detection', 'true');
  if (p.prompt !== undefined) q.set('prompt', p.prompt);
  if (p.mode !== undefined) q.set('mode', p.mode);
  if (p.vadThreshold !== undefined) q.set('vad_threshold', String(p.vadThreshold));
  if (p.voiceFocus !== undefined) q.set('voice_focus', p.voiceFocus);
  if (p.redactPiiPolicies !== undefined && p.redactPiiPolicies.length > 0) {
    q.set('redact_pii', 'true');
    q.set('redact_pii_policies', p.redactPiiPolicies.join(','));
    if (p.redactPiiSub !== undefined) q.set('redact_pii_sub', p.redactPiiSub);
  }
  if (p.filterProfanity === true) q.set('filter_profanity', 'true');
  if (p.speakerLabels === true) {
    q.set('speaker_labels', 'true');
    if (p.maxSpeakers !== undefined) q.set('max_speakers', String(p.maxSpeakers));
  }
}

/**
 * The service's 3006 answer to an unknown model (docs/service.md#speech-models: `User Input Validation Error: Invalid
 * 'speech_model': Input should be 'a', 'b' or 'c'`) in plain words, or undefined for any other text. Internal
 * names (a leading `_`) are left out of the list.
 */
export function describeServerModelError(text: string, asked?: string): { message: string; hint: string } | undefined {
  const m = /Invalid 'speech_model':\s*(.*)$/s.exec(text);
  if (m === null) return undefined;
  const listed = [...(m[1] ?? '').matchAll(/'([^']+)'/g)].map((x) => x[1] ?? '').filter((n) => n !== '' && !n.startsWith('_'));
  const which = asked === undefined ? 'the speech model asked for' : `the speech model "${asked}"`;
  return {
    message: `the service does not know ${which}`,
    hint: listed.length > 0 ? `the service accepts: ${listed.join(', ')}` : 'live-transcribe --list-models shows the models this client knows',
  };
}

/** A warning when `Begin.configuration.model` is not the model asked for (aliases count as the same). */
export function beginModelMismatch(
  asked: string,
  begun: string | null | undefined,
  catalogue: readonly ModelInfo[] = MODEL_CATALOGUE,
): string | undefined {
  if (begun === undefined || begun === null || begun === '') return undefined;
  const canonical = (n: string): string => findModel(n, catalogue)?.name ?? n;
  if (canonical(asked) === canonical(begun)) return undefined;
  return `asked for ${asked}, but the service is using ${begun}`;
}
