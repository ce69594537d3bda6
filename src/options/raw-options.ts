/**
 * The shape of the settings before they are resolved: strings as typed (or as the file and the environment
 * gave them), booleans for switches. One field per option of the table (options/table.ts `field`). Types only.
 */
import type { NotesRawOptions } from '../notes/options.js';

/** The options service.ts resolves (a part of RawOptions). */
export interface ServiceRawOptions {
  speechModel?: string;
  formatTurns?: boolean;
  language?: string;
  prompt?: string;
  mode?: string;
  vadThreshold?: string;
  voiceFocus?: string;
  redactPii?: string;
  redactPiiSub?: string;
  filterProfanity?: boolean;
  speakerLabels?: boolean;
  maxSpeakers?: string;
  keyterms?: string;
  /** The text of --keyterms-file, read by cli.ts (config stays pure). */
  keytermsFileText?: string;
  endOfTurnConfidenceThreshold?: string;
  token?: string;
  apiKey?: string;
  tokenCommand?: string;
}

/** What commander hands over: strings as typed, booleans for switches (today's service: ServiceRawOptions). */
export interface RawOptions extends ServiceRawOptions, NotesRawOptions {
  /** Recovery and the pre-recorded API: --batch, --replay-limit, --spool-limit, --keep-recording. */
  batch?: boolean;
  replayLimit?: string;
  spoolLimit?: string;
  keepRecording?: boolean;
  /** dictate: --enter, --newline, --type-with, --toggle, --no-notify. */
  enter?: boolean;
  newline?: boolean;
  typeWith?: string;
  toggle?: boolean;
  notify?: boolean;
  /** --captions [ADDRESS]; true without a value. */
  captions?: string | boolean;
  apiKey?: string;
  token?: string;
  sampleRate?: string;
  formatTurns?: boolean;
  speechModel?: string;
  apiHost?: string;
  /** --device: repeatable (issue 13); a string from callers that give it once. */
  device?: string | string[];
  keyterms?: string;
  endOfTurnConfidenceThreshold?: string;
  minTurnSilence?: string;
  maxTurnSilence?: string;
  inactivityTimeout?: string;
  connectTimeout?: string;
  reconnectAttempts?: string;
  input?: string;
  encoding?: string;
  format?: string;
  output?: string;
  append?: boolean;
  force?: boolean;
  timestamps?: boolean;
  partials?: boolean;
  maxDuration?: string;
  once?: boolean;
  untilSilence?: string;
  saveAudio?: string;
  quiet?: boolean;
  color?: boolean;
  // Issue 14: --stop-phrase, repeatable.
  stopPhrase?: string[];
  // Meetings (issue 13)
  systemAudio?: boolean;
  systemDevice?: string;
  /** Today's service (issue 12); the rest of its flags are in ServiceRawOptions. */
  keytermsFile?: string;
  listModels?: boolean;
  listDevices?: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;
