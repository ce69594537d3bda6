/**
 * `-i FILE --batch` on the command line: what it needs (a file, an API key, one source), the flags that have no
 * meaning for a whole file (refused), the live-only ones (noted as ignored), and --max-duration as the part of
 * the file to transcribe. Pure; throws UsageError.
 */
import { UsageError } from '../core/errors.js';
import { BATCH_REFUSALS, formatBatchFlagIgnored, formatBatchFlagRefused } from '../render/batch-messages.js';
import type { Credentials, InputSpec, Notice, StopConditions } from '../core/types.js';
import type { RawOptions } from './raw-options.js';
import { flagOfField, type SettingField } from './table.js';

/** The part of config.ts's Config this file reads (typed here: config.ts imports this file). */
export interface BatchConfigView {
  sources?: unknown;
  input: InputSpec;
  auth: Credentials;
  stop: StopConditions;
  notices?: Notice[];
}

export interface BatchSettings {
  /** --max-duration: only this much of the file (`audio_end_at`, docs/service.md#transcript-request). */
  audioEndAtMs?: number;
}

/** Stop conditions and live-only outputs that a whole-file transcript cannot honour. */
const REFUSED: readonly SettingField[] = ['partials', 'once', 'untilSilence', 'stopPhrase', 'saveAudio'];

/** Turn detection and connection options of a streaming session: no counterpart in the pre-recorded API. */
const IGNORED: readonly SettingField[] = [
  'endOfTurnConfidenceThreshold',
  'minTurnSilence',
  'maxTurnSilence',
  'inactivityTimeout',
  'mode',
  'vadThreshold',
  'voiceFocus',
  'prompt',
  'reconnectAttempts',
];

function refuse(r: { message: string; hint?: string }): never {
  throw new UsageError(r.message, r.hint);
}

export function resolveBatch(raw: RawOptions, config: BatchConfigView): BatchSettings {
  if (config.sources !== undefined) refuse(BATCH_REFUSALS.several);
  if (config.input.kind !== 'file') refuse(BATCH_REFUSALS.needsFile);
  if (config.auth.kind !== 'key') refuse(BATCH_REFUSALS.needsKey);
  for (const field of REFUSED) {
    const v = raw[field];
    if (v !== undefined && v !== false) refuse(formatBatchFlagRefused(flagOfField(field)));
  }
  const ignored = IGNORED.filter((field) => raw[field] !== undefined).map(flagOfField);
  if (ignored.length > 0) (config.notices ??= []).push({ kind: 'note', text: formatBatchFlagIgnored(ignored) });
  return config.stop.maxDurationMs === undefined ? {} : { audioEndAtMs: config.stop.maxDurationMs };
}
