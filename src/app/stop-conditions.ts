/**
 * The run's stop conditions that depend on the audio, checked after each frame a source sent:
 * --max-duration on the run's length (the source furthest on), --until-silence on every source (the one
 * furthest behind). With several sources each frame also moves the merged transcript's watermark.
 */
import type { StopConditions } from '../core/types.js';
import type { RunTranscript } from './run-transcript.js';
import type { SourcesState } from './sources.js';
import { stopConditionMet, type StopReason } from './stop.js';

/** The settings this part uses. */
export type StopConditionSettings = Pick<StopConditions, 'once' | 'maxDurationMs' | 'untilSilenceMs'>;

export interface StopConditionsOptions {
  settings: StopConditionSettings;
  sources: SourcesState;
  transcript: Pick<RunTranscript, 'progress'>;
  stop: (reason: StopReason) => void;
}

/** Returns what to call after each frame of source `i`, with its audio sent and the end of the last word heard. */
export function createStopConditions(o: StopConditionsOptions): (i: number, sentMs: number, speechEndMs: number | undefined) => void {
  const c = o.sources;
  return (i, sentMs, speechEndMs) => {
    if (!c.several) {
      const kind = stopConditionMet(o.settings, sentMs, speechEndMs);
      if (kind !== undefined) o.stop({ kind });
      return;
    }
    o.transcript.progress(c.labelOf(i), c.runSentMs(i));
    const live = c.channels.map((_, j) => j).filter((j) => !c.failed.has(j));
    const { maxDurationMs, untilSilenceMs } = o.settings;
    const kind =
      stopConditionMet({ once: false, ...(maxDurationMs === undefined ? {} : { maxDurationMs }) }, Math.max(...live.map(c.runSentMs)), speechEndMs) ??
      stopConditionMet({ once: false, ...(untilSilenceMs === undefined ? {} : { untilSilenceMs }) }, Math.min(...live.map(c.runSentMs)), speechEndMs);
    if (kind !== undefined) o.stop({ kind });
  };
}
