/**
 * The value types that every layer shares: how audio is encoded, what a session asks the service for, where
 * audio comes from and where the transcript goes. Imports nothing, so audio/, streaming/ and render/ can use
 * them without importing the command-line layer (config.ts).
 */
export type Auth = { kind: 'key'; apiKey: string } | { kind: 'token'; token: string };

export type Encoding = 'pcm_s16le' | 'pcm_mulaw';
export const ENCODINGS: readonly Encoding[] = ['pcm_s16le', 'pcm_mulaw'];

export type OutputFormat = 'text' | 'json' | 'srt' | 'vtt';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'srt', 'vtt'];

export interface StreamingParams {
  sampleRateHz: number;
  encoding: Encoding;
  formatTurns: boolean;
  speechModel: string;
  keyterms?: string[];
  endOfTurnConfidenceThreshold?: number;
  minTurnSilenceMs?: number;
  maxTurnSilenceMs?: number;
  inactivityTimeoutS?: number;
}

/** Where audio comes from: the microphone, a file, or standard input ('-'). */
export type InputSpec =
  | { kind: 'microphone'; device?: string }
  | { kind: 'file'; path: string; raw: boolean }
  | { kind: 'stdin' };

export interface OutputSpec {
  /** Format of stdout. */
  format: OutputFormat;
  /** The transcript file, if any, and its format. */
  file?: { path: string; format: OutputFormat; mode: 'create' | 'append' | 'overwrite' };
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

