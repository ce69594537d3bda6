/**
 * The sources of a run (issue 13, "Meetings"): repeated `--device NAME[=Label]`, `--system-audio` and
 * `--system-device NAME[=Label]` checked against the input and turned into one SourceSpec per source
 * (source-specs.ts). Files and standard input are one source; a microphone run has one by default.
 * Pure: throws UsageError.
 */
import { UsageError } from '../core/errors.js';
import { DEFAULT_MICROPHONE_LABEL, resolveSources, type SourceSpec } from './source-specs.js';
import { MEETING_REFUSALS } from '../render/messages.js';
import { REFUSALS } from '../render/usage-messages.js';
import type { InputSpec } from '../core/types.js';
import type { RawOptions } from './raw-options.js';

export type { SourceSpec } from './source-specs.js';

/** The settings this file reads (`--device`: a list when repeated, a string from the config file). */
export type SourceOptions = Pick<RawOptions, 'device' | 'systemAudio' | 'systemDevice'>;

/** The run's input (with the one --device, as before) and its sources; `input` is never a file with several. */
export function resolveRunSources(raw: SourceOptions, input: InputSpec): { input: InputSpec; sources: SourceSpec[] } {
  const devices = raw.device === undefined ? [] : typeof raw.device === 'string' ? [raw.device] : [...raw.device];
  const system = raw.systemAudio === true || raw.systemDevice !== undefined;
  if (devices.some((d) => d.trim() === '')) throw new UsageError(REFUSALS.deviceEmpty.message, REFUSALS.deviceEmpty.hint);
  if (input.kind !== 'microphone') {
    if (devices.length > 0) throw new UsageError(REFUSALS.deviceWithInput.message, REFUSALS.deviceWithInput.hint);
    if (system) throw new UsageError(MEETING_REFUSALS.systemAudioWithInput.message, MEETING_REFUSALS.systemAudioWithInput.hint);
    return { input, sources: [{ kind: 'microphone', label: DEFAULT_MICROPHONE_LABEL }] };
  }
  const sources = resolveSources({ devices, systemAudio: system, ...(raw.systemDevice === undefined ? {} : { systemDevice: raw.systemDevice }) });
  const only = sources.length === 1 ? sources[0] : undefined;
  // One microphone is the run of before: its --device is the input's device.
  return { input: only?.device === undefined ? input : { kind: 'microphone', device: only.device }, sources };
}
