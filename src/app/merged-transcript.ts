/**
 * The one transcript of a run with several sources (issue 13): the assembler's final turns go through the
 * merger (createTurnMerger) and come out in the order they were spoken on the run's timeline, microphone
 * echoes of the system audio dropped (createEchoFilter); everything else (partials, begin...) goes straight
 * on. One timer at the merger's next deadline releases what was held too long. A run with one source does
 * not use this: its events go to the outputs as they come.
 */
import { createEchoFilter } from '../transcript/echo.js';
import { createTurnMerger, type MergeResult } from '../transcript/merge.js';
import type { TranscriptEvent, TurnRecord } from '../transcript/records.js';
import type { SourceSpec } from '../options/source-specs.js';

/** How far an echo may lie from what it repeats and still be held back for the filter to see both. */
export const ECHO_OVERLAP_MS = 1000;

export interface MergedTranscriptOptions {
  sources: readonly Pick<SourceSpec, 'label' | 'kind'>[];
  /** Where events go, in order (the outputs). */
  emit: (event: TranscriptEvent) => void;
  /** A monotonic clock in ms (default performance.now). */
  now?: () => number;
}

export interface MergedTranscript {
  /** The assembler's emit. */
  emit(event: TranscriptEvent): void;
  /** `source` sent audio through `sentMs` on the run's timeline. */
  progress(source: string, sentMs: number): void;
  /** A turn of `source` is in progress since `startMs` (run's timeline), or none is. */
  open(source: string, startMs: number | undefined): void;
  /** `source` reports nothing more (stopped or failed). */
  end(source: string): void;
  /** Everything held, in order (the run is ending). */
  flush(): void;
  /** The echoes dropped so far. */
  readonly dropped: number;
  /** Cancels the timer. */
  close(): void;
}

type Turn = Extract<TranscriptEvent, { type: 'turn' }>;

export function createMergedTranscript(o: MergedTranscriptOptions): MergedTranscript {
  const now = o.now ?? (() => performance.now());
  const labels = o.sources.map((s) => s.label);
  const systems = o.sources.filter((s) => s.kind === 'system').map((s) => s.label);
  const microphones = o.sources.filter((s) => s.kind === 'microphone').map((s) => s.label);
  const merger = createTurnMerger<Turn>({
    sources: labels,
    now,
    ...(systems.length === 0 ? {} : { overlapMs: ECHO_OVERLAP_MS, drop: createEchoFilter<Turn>({ microphones, systems, text: (e) => e.turn.text }) }),
  });
  let timer: NodeJS.Timeout | undefined;
  let dropped = 0;
  let closed = false;

  const out = (r: MergeResult<Turn>): void => {
    dropped += r.dropped.length;
    for (const item of r.released) o.emit(item.value);
    clearTimeout(timer);
    timer = undefined;
    const deadline = merger.nextDeadlineMs();
    if (deadline !== undefined && !closed) timer = setTimeout(() => out(merger.tick()), Math.max(0, deadline - now()));
  };
  const known = (source: string | undefined): source is string => source !== undefined && labels.includes(source);

  return {
    emit(event) {
      if (event.type !== 'turn' || !known(event.turn.source)) {
        o.emit(event);
        return;
      }
      const t: TurnRecord = event.turn;
      out(merger.final({ source: event.turn.source, startMs: t.startMs, endMs: t.endMs, value: event }));
    },
    progress: (source, sentMs) => out(merger.progress(source, sentMs)),
    open: (source, startMs) => out(merger.open(source, startMs)),
    end: (source) => out(merger.end(source)),
    flush: () => out(merger.flush()),
    get dropped() {
      return dropped;
    },
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}
