/**
 * `-i FILE --batch` on the command line: what it needs (a file, an API key, one source), the flags that have no
 * meaning for a whole file (refused), the live-only ones (noted as ignored), and --max-duration as the part of
 * the file to transcribe. Pure; throws UsageError.
 */
import { UsageError } from '../core/errors.js';
import { BATCH_REFUSALS, formatBatchFlagIgnored, formatBatchFlagRefused } from '../render/batch-messages.js';
import type { Credentials, InputSpec, Notice, StopConditions } from '../core/types.js';

/** The part of config.ts's Config this file reads (typed here: config.ts imports this file). */
export interface BatchConfigView {
  sources?: unknown;
  input: InputSpec;
  auth: Credentials;
  stop: StopConditions;
  notices?: Notice[];
}
type RawOptions = object;

export interface BatchSettings {
  /** --max-duration: only this much of the file (`audio_end_at`, docs/service.md#transcript-request). */
  audioEndAtMs?: number;
}

/** Stop conditions and live-only outputs that a whole-file transcript cannot honour. */
const REFUSED: ReadonlyArray<[string, string]> = [
  ['partials', '--partials'],
  ['once', '--once'],
  ['untilSilence', '--until-silence'],
  ['stopPhrase', '--stop-phrase'],
  ['saveAudio', '--save-audio'],
];

/** Turn detection and connection options of a streaming session: no counterpart in the pre-recorded API. */
const IGNORED: ReadonlyArray<[string, string]> = [
  ['endOfTurnConfidenceThreshold', '--end-of-turn-confidence-threshold'],
  ['minTurnSilence', '--min-turn-silence'],
  ['maxTurnSilence', '--max-turn-silence'],
  ['inactivityTimeout', '--inactivity-timeout'],
  ['mode', '--mode'],
  ['vadThreshold', '--vad-threshold'],
  ['voiceFocus', '--voice-focus'],
  ['prompt', '--prompt'],
  ['reconnectAttempts', '--reconnect-attempts'],
];

function refuse(r: { message: string; hint?: string }): never {
  throw new UsageError(r.message, r.hint);
}

export function resolveBatch(raw: RawOptions, config: BatchConfigView): BatchSettings {
  if (config.sources !== undefined) refuse(BATCH_REFUSALS.several);
  if (config.input.kind !== 'file') refuse(BATCH_REFUSALS.needsFile);
  if (config.auth.kind !== 'key') refuse(BATCH_REFUSALS.needsKey);
  for (const [field, flag] of REFUSED) {
    const v = (raw as Record<string, unknown>)[field];
    if (v !== undefined && v !== false) refuse(formatBatchFlagRefused(flag));
  }
  const ignored = IGNORED.filter(([field]) => (raw as Record<string, unknown>)[field] !== undefined).map(([, flag]) => flag);
  if (ignored.length > 0) (config.notices ??= []).push({ kind: 'note', text: formatBatchFlagIgnored(ignored) });
  return config.stop.maxDurationMs === undefined ? {} : { audioEndAtMs: config.stop.maxDurationMs };
}
