/**
 * Connect-time and UpdateConfiguration parameter validation (docs/service.md#connecting): a bad value is a
 * ValidationError whose message is the full text of the Error 3006 the session then sends.
 */

/**
 * The models the service accepts: docs/service.md#connecting's table (current, legacy and undocumented-but-accepted
 * names), plus the internal names a live 3006 listed (docs/service.md#connecting). An unknown model gets a 3006 listing them all.
 * CHOICE: the deprecated alias `u3-pro` (docs/service.md#connecting) is refused like any unknown name.
 */
export const SPEECH_MODELS = [
  'universal-streaming-english',
  'universal-streaming-multilingual',
  'universal-3-6-pro',
  'universal-3-5-pro',
  'universal-3-6',
  'universal-3-7-preview',
  'assemblyai-stt-3-7-realtime',
  'u3-rt-pro',
  'u3-rt-pro-beta-1',
  'u3-rt-agent',
  'whisper-rt',
  '_universal-3-5-notetaker',
] as const;
/** The model used when speech_model is missing and not required (docs/service.md#connecting observed universal-3-5-pro earlier). */
export const DEFAULT_MODEL = 'universal-3-6-pro';
/** docs/service.md#connecting. */
export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 96000;
export const ENCODINGS = ['pcm_s16le', 'pcm_mulaw', 'opus', 'ogg_opus', 'aac'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export const VALIDATION_PREFIX = 'User Input Validation Error: ';
export class ValidationError extends Error {}

export function invalid(param: string, detail: string): ValidationError {
  return new ValidationError(`${VALIDATION_PREFIX}Invalid '${param}': ${detail}`);
}

/** Pydantic-style enum message: "Input should be 'a', 'b' or 'c'". */
function enumMessage(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  const last = quoted.pop();
  return `Input should be ${quoted.join(', ')} or ${last ?? ''}`;
}

function parseIntValue(param: string, raw: unknown, min?: number, max?: number): number {
  let n: number;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw invalid(param, 'Input should be a finite number');
    if (!Number.isInteger(raw)) throw invalid(param, 'Input should be a valid integer, got a number with a fractional part');
    n = raw;
  } else if (typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw)) {
    n = Number(raw.trim());
  } else if (typeof raw === 'string') {
    throw invalid(param, 'Input should be a valid integer, unable to parse string as an integer');
  } else {
    throw invalid(param, 'Input should be a valid integer');
  }
  if (min !== undefined && n < min) throw invalid(param, `Input should be greater than or equal to ${min}`);
  if (max !== undefined && n > max) throw invalid(param, `Input should be less than or equal to ${max}`);
  return n;
}

function parseNumberValue(param: string, raw: unknown, min: number, max: number): number {
  let n: number;
  if (typeof raw === 'number') {
    n = raw;
  } else if (typeof raw === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(raw)) {
    n = Number(raw.trim());
  } else if (typeof raw === 'string') {
    throw invalid(param, 'Input should be a valid number, unable to parse string as a number');
  } else {
    throw invalid(param, 'Input should be a valid number');
  }
  if (!Number.isFinite(n)) throw invalid(param, 'Input should be a finite number');
  if (n < min) throw invalid(param, `Input should be greater than or equal to ${min}`);
  if (n > max) throw invalid(param, `Input should be less than or equal to ${max}`);
  return n;
}

/** Booleans: true/false in any case (the JS SDK sends `true`, the Python SDK `True`, docs/service.md#connecting). */
function parseBoolValue(param: string, raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    const v = raw.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  throw invalid(param, 'Input should be a valid boolean, unable to interpret input');
}

/**
 * keyterms_prompt: a JSON-encoded array of strings in the query (docs/service.md#connecting), a real array in
 * UpdateConfiguration (docs/service.md#client-messages). At most 100 items; terms over 50 chars are dropped silently (docs/service.md#connecting).
 */
function parseKeyterms(raw: unknown, fromQuery: boolean): string[] {
  let value: unknown = raw;
  if (fromQuery) {
    if (typeof raw !== 'string') throw invalid('keyterms_prompt', 'Input should be a valid list');
    try {
      value = JSON.parse(raw);
    } catch {
      throw invalid('keyterms_prompt', 'Value error, keyterms_prompt must be a JSON-encoded list of strings');
    }
  }
  if (!Array.isArray(value)) throw invalid('keyterms_prompt', 'Input should be a valid list');
  if (value.some((t) => typeof t !== 'string')) throw invalid('keyterms_prompt', 'Input should be a valid string');
  if (value.length > 100) throw invalid('keyterms_prompt', 'Value error, Max 100 items');
  return (value as string[]).filter((t) => t.length <= 50);
}

function parseLimitedString(param: string, raw: unknown, maxLength: number): string {
  if (typeof raw !== 'string') throw invalid(param, 'Input should be a valid string');
  if (raw.length > maxLength) {
    throw invalid(param, `Value error, ${param} exceeds maximum length of ${maxLength} characters (got ${raw.length})`);
  }
  return raw;
}

export interface SessionConfig {
  speechModel: string;
  encoding: Encoding;
  sampleRate: number;
  formatTurns: boolean;
  endOfTurnConfidenceThreshold: number;
  minTurnSilence: number;
  maxTurnSilence: number;
  vadThreshold: number;
  keyterms: string[];
  prompt?: string;
  agentContext?: string;
  filterProfanity: boolean;
  inactivityTimeout?: number;
  languageDetection: boolean;
  speakerLabels: boolean;
  maxSpeakers?: number;
  redactPii: boolean;
  /** session_heartbeat=true: a Heartbeat every few seconds (docs/service.md#other-messages). */
  heartbeat: boolean;
}

/**
 * Fields settable both at connect time and through UpdateConfiguration (docs/service.md#client-messages). `source` values are
 * strings from the query or JSON values from UpdateConfiguration; null/undefined means "not set".
 */
export function applyUpdatableFields(cfg: SessionConfig, source: Record<string, unknown>, fromQuery: boolean): void {
  const has = (k: string): boolean => source[k] !== undefined && source[k] !== null;
  if (has('format_turns')) cfg.formatTurns = parseBoolValue('format_turns', source.format_turns);
  if (has('end_of_turn_confidence_threshold')) {
    cfg.endOfTurnConfidenceThreshold = parseNumberValue('end_of_turn_confidence_threshold', source.end_of_turn_confidence_threshold, 0, 1);
  }
  if (has('vad_threshold')) cfg.vadThreshold = parseNumberValue('vad_threshold', source.vad_threshold, 0, 1);
  if (has('min_turn_silence')) cfg.minTurnSilence = parseIntValue('min_turn_silence', source.min_turn_silence, 0);
  if (has('max_turn_silence')) cfg.maxTurnSilence = parseIntValue('max_turn_silence', source.max_turn_silence, 0);
  if (has('keyterms_prompt')) cfg.keyterms = parseKeyterms(source.keyterms_prompt, fromQuery);
  if (has('prompt')) cfg.prompt = parseLimitedString('prompt', source.prompt, 1750);
  if (has('agent_context')) cfg.agentContext = parseLimitedString('agent_context', source.agent_context, 1750);
  if (has('filter_profanity')) cfg.filterProfanity = parseBoolValue('filter_profanity', source.filter_profanity);
  // CHOICE: the old name min_end_of_turn_silence_when_confident is treated as an unknown (ignored)
  // parameter, so a client still sending it is caught by its turn timing (docs/service.md#connecting: "not verified").
}

/** Connect-time validation (docs/service.md#connecting). Throws ValidationError with the full Error text. */
export function validateQuery(query: Record<string, string>, speechModelRequired: boolean): SessionConfig {
  let speechModel = query.speech_model;
  if (speechModel === undefined) {
    // CHOICE: the text for a missing speech_model is not documented; pydantic's "Field required".
    if (speechModelRequired) throw invalid('speech_model', 'Field required');
    speechModel = DEFAULT_MODEL;
  } else if (!(SPEECH_MODELS as readonly string[]).includes(speechModel)) {
    throw invalid('speech_model', enumMessage(SPEECH_MODELS));
  }

  const encodingRaw = query.encoding ?? 'pcm_s16le';
  if (!(ENCODINGS as readonly string[]).includes(encodingRaw)) {
    // Observed text is "…'flac' is not a valid Encoding" with no "Invalid '<param>'" part (docs/service.md#errors-and-close-codes).
    throw new ValidationError(`${VALIDATION_PREFIX}'${encodingRaw}' is not a valid Encoding`);
  }
  const encoding = encodingRaw as Encoding;

  let sampleRate = 16000;
  if (query.sample_rate === undefined) {
    // docs/service.md#connecting: required for PCM ([PY] requires it unless the encoding is compressed).
    if (encoding === 'pcm_s16le' || encoding === 'pcm_mulaw') throw invalid('sample_rate', 'Field required');
  } else {
    sampleRate = parseIntValue('sample_rate', query.sample_rate);
    if (sampleRate < MIN_SAMPLE_RATE) throw invalid('sample_rate', 'Value error, sample_rate must be at least 8,000 Hz');
    // CHOICE: the text above 96 kHz is not documented; worded like the observed lower-bound message.
    if (sampleRate > MAX_SAMPLE_RATE) throw invalid('sample_rate', 'Value error, sample_rate must be at most 96,000 Hz');
  }

  const cfg: SessionConfig = {
    speechModel,
    encoding,
    sampleRate,
    formatTurns: false,
    endOfTurnConfidenceThreshold: 0.4,
    minTurnSilence: 400,
    maxTurnSilence: 1280,
    vadThreshold: 0.4,
    keyterms: [],
    filterProfanity: false,
    languageDetection: false,
    speakerLabels: false,
    redactPii: false,
    heartbeat: false,
  };
  applyUpdatableFields(cfg, query, true);
  if (query.inactivity_timeout !== undefined) {
    cfg.inactivityTimeout = parseIntValue('inactivity_timeout', query.inactivity_timeout, 5, 3600);
  }
  if (query.language_detection !== undefined) cfg.languageDetection = parseBoolValue('language_detection', query.language_detection);
  if (query.speaker_labels !== undefined) cfg.speakerLabels = parseBoolValue('speaker_labels', query.speaker_labels);
  if (query.max_speakers !== undefined) cfg.maxSpeakers = parseIntValue('max_speakers', query.max_speakers, 1, 10);
  if (query.redact_pii !== undefined) cfg.redactPii = parseBoolValue('redact_pii', query.redact_pii);
  if (query.session_heartbeat !== undefined) cfg.heartbeat = parseBoolValue('session_heartbeat', query.session_heartbeat);
  for (const flag of ['continuous_partials', 'include_partial_turns']) {
    const v = query[flag];
    if (v !== undefined) parseBoolValue(flag, v); // validated, otherwise not modelled
  }
  // Everything else is ignored, as the real server does with unknown/misspelled names (docs/service.md#connecting).
  return cfg;
}
