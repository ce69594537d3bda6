/**
 * The value types that every layer shares: how audio is encoded, what a session asks the service for, where
 * audio comes from and where the transcript goes. Imports nothing, so audio/, streaming/ and render/ can use
 * them without importing the command-line layer (config.ts).
 */
export type Auth = { kind: 'key'; apiKey: string } | { kind: 'token'; token: string };

/**
 * How each session gets its credential: the key every time; a plain temporary token for the first session only
 * (tokens are single-use, docs/service.md#reconnecting-and-rollover); or a command run before each session that prints a new token.
 */
export type Credentials = Auth | { kind: 'token-command'; command: string };

export type Encoding = 'pcm_s16le' | 'pcm_mulaw';
export const ENCODINGS: readonly Encoding[] = ['pcm_s16le', 'pcm_mulaw'];

export type OutputFormat = 'text' | 'json' | 'srt' | 'vtt';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'srt', 'vtt'];

export type Mode = 'min_latency' | 'balanced' | 'max_accuracy';
export type VoiceFocus = 'near-field' | 'far-field';
export type RedactPiiSub = 'hash' | 'entity_name';

/** The query parameters a language choice adds (docs/service.md#connecting). */
export interface LanguageParams {
  /** Sent as a JSON array (docs/service.md#connecting); at most 10. */
  languageCodes?: string[];
  languageDetection?: boolean;
}

/** The model-specific query parameters (issue 12), already validated against the model. */
export interface ModelParams extends LanguageParams {
  prompt?: string;
  mode?: Mode;
  vadThreshold?: number;
  voiceFocus?: VoiceFocus;
  redactPiiPolicies?: string[];
  redactPiiSub?: RedactPiiSub;
  filterProfanity?: boolean;
  speakerLabels?: boolean;
  maxSpeakers?: number;
}

export interface StreamingParams {
  sampleRateHz: number;
  encoding: Encoding;
  /** `format_turns` to send; undefined: not sent (models that are always formatted, docs/service.md#connecting). */
  formatTurns: boolean | undefined;
  speechModel: string;
  /** Languages, speakers and the other model-specific options (streaming/models.ts setModelQuery). */
  model?: ModelParams;
  keyterms?: string[];
  endOfTurnConfidenceThreshold?: number;
  minTurnSilenceMs?: number;
  maxTurnSilenceMs?: number;
  inactivityTimeoutS?: number;
}

/** A sentence for stderr before the run, about a choice config made: a warning (yellow) or a note. */
export interface Notice {
  kind: 'warning' | 'note';
  text: string;
}

/** Where audio comes from: the microphone, a file, or standard input ('-'). */
export type InputSpec = { kind: 'microphone'; device?: string } | { kind: 'file'; path: string; raw: boolean } | { kind: 'stdin' };

export interface OutputSpec {
  /** Format of stdout. */
  format: OutputFormat;
  /** The transcript file, if any, and its format. */
  /** `formatFromFlag`: the extension does not tell the format, --format gave it (the run says so). */
  file?: { path: string; format: OutputFormat; mode: 'create' | 'append' | 'overwrite'; formatFromFlag?: true };
  timestamps: boolean;
  partials: boolean;
}

export interface StopConditions {
  maxDurationMs?: number;
  once: boolean;
  untilSilenceMs?: number;
  /** --stop-phrase: a final turn ending with one of these stops the run (issue 14). */
  stopPhrases?: string[];
}

/** Why a run stops by itself or by the user (a domain fact; render/messages.ts words it). */
export type StopKind = 'user' | 'pipe-closed' | 'end-of-input' | 'max-duration' | 'once' | 'until-silence' | 'stop-phrase';
