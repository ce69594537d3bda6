/**
 * The -o file at the end of a run with recovered gaps (issue 22): recovered turns were written when they came
 * back, after later live turns; the file is written again, whole, in time order (SRT and VTT cues numbered
 * afresh), to a temporary file renamed over it so that it is never half-written. Append mode is left as is.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { createEventFormatter } from '../render/formats.js';
import type { TranscriptEvent } from '../transcript/records.js';
import type { OutputSpec } from '../core/types.js';

/**
 * Turns by their start on the timeline, `reconnected` and `gap` events at theirs; every other event stays just
 * after the live turn it followed (or at the start), `termination` last. Stable: equal keys keep their order.
 */
export function timeOrdered(events: readonly TranscriptEvent[]): TranscriptEvent[] {
  let anchor = Number.NEGATIVE_INFINITY;
  const keyed = events.map((event, i) => {
    if (event.type === 'turn') {
      if (event.turn.recovered !== true) anchor = event.turn.startMs;
      return { event, i, key: event.turn.startMs };
    }
    if (event.type === 'termination') return { event, i, key: Number.POSITIVE_INFINITY };
    // Events that know their place on the timeline keep it; the others stay after the live turn they followed.
    const key = event.type === 'reconnected' ? event.offsetMs : event.type === 'gap' ? event.startMs : anchor;
    return { event, i, key };
  });
  keyed.sort((a, b) => a.key - b.key || a.i - b.i);
  return keyed.map((k) => k.event);
}

/** Writes the whole transcript in time order over the -o file (atomically); false when not done. */
export function rewriteInTimeOrder(output: OutputSpec, events: readonly TranscriptEvent[], tmpSuffix: string): boolean {
  const file = output.file;
  if (file === undefined || file.mode === 'append') return false;
  const formatter = createEventFormatter(file.format, output);
  let text = formatter.header;
  for (const event of timeOrdered(events)) text += formatter.format(event);
  const tmp = `${file.path}.${tmpSuffix}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file.path);
    return true;
  } catch {
    rmSync(tmp, { force: true });
    return false;
  }
}
