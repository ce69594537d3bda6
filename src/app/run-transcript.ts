/**
 * The run's one transcript: the ONLY way events reach the outputs. Every channel's Turn messages go in
 * (the assembler); final turns pass the stop phrase and are counted; with several sources they go through
 * the merger (spoken order on the run's timeline, echoes dropped). Every other event a run produces (begin,
 * reconnecting, reconnected, termination, error) goes in through `event()`. Out of it comes one ordered
 * stream of TranscriptEvents to one `TranscriptOutput` (ARCHITECTURE.md, "Adding an output").
 */
import { exitCodeFor, type AppError } from '../core/errors.js';
import type { StopConditions } from '../core/types.js';
import type { SourceSpec } from '../options/source-specs.js';
import { createAssembler, type Assembler } from '../transcript/assembler.js';
import type { TranscriptEvent } from '../transcript/records.js';
import { countedEmit } from './counted-emit.js';
import { createMergedTranscript, type MergedTranscript } from './merged-transcript.js';

/** Where the transcript's events go, in order: the run's outputs (terminal, stdout, -o file; later others). */
export interface TranscriptOutput {
  emit(event: TranscriptEvent): void;
}

/** The settings the transcript uses. */
export type TranscriptSettings = Pick<StopConditions, 'once' | 'stopPhrases'>;

export interface RunTranscriptOptions {
  /** The run's sources, by label (one: the microphone, or the one input). */
  sources: readonly Pick<SourceSpec, 'label' | 'kind'>[];
  settings: TranscriptSettings;
  output: TranscriptOutput;
  /** A stop condition the transcript sees: the first final with --once, the stop phrase. */
  onStop: (kind: 'once' | 'stop-phrase') => void;
  /** The model sends each final twice (unformatted, then formatted). */
  expectTwin: () => boolean;
  /** The audio sent so far by source `label` (the only one's without), on the run's timeline. */
  audioSentMs: (label?: string) => number;
}

export interface RunTranscript extends Pick<Assembler, 'turn' | 'beginSession' | 'reviseSpeakers' | 'endSession' | 'reserveIndexes'> {
  /** Any event that is not a turn of a session (begin, reconnecting, reconnected, termination, error). */
  event(event: TranscriptEvent): void;
  /**
   * An event of a gap recovered after an outage (its turns, marked `recovered`, and its gap events): written at
   * once, since its place on the timeline is in its times; its turns count as turns of the run.
   */
  recovered(event: TranscriptEvent): void;
  /** The run failed: the error event (the status line is the caller's). */
  error(error: AppError): void;
  /** Source `label` sent audio through `sentMs` on the run's timeline (the merger's watermark). */
  progress(label: string, sentMs: number): void;
  /** A turn of `label` is in progress since `startMs` on the run's timeline, or none is. */
  open(label: string, startMs: number | undefined): void;
  /** Source `label` reports nothing more. */
  end(label: string): void;
  /** Everything held goes out, in order (the run is ending). */
  flush(): void;
  /** Cancels the timers. */
  close(): void;
  /** Final turns written (a turn that was only the stop phrase is not one). */
  readonly turns: number;
  /** Final turns written of source `label`. */
  turnsOf(label: string): number;
  /** End of the last word heard, on the run's timeline. */
  readonly speechEndMs: number | undefined;
}

export function createRunTranscript(o: RunTranscriptOptions): RunTranscript {
  const turnsOf = new Map<string, number>();
  const out = (event: TranscriptEvent): void => {
    if (event.type === 'turn' && event.turn.source !== undefined) turnsOf.set(event.turn.source, (turnsOf.get(event.turn.source) ?? 0) + 1);
    o.output.emit(event);
  };
  const merged: MergedTranscript | undefined = o.sources.length > 1 ? createMergedTranscript({ sources: o.sources, emit: out }) : undefined;
  const written = countedEmit(o.settings, merged?.emit ?? out, () => o.onStop('stop-phrase'));
  let recoveredTurns = 0;
  const assembler = createAssembler({
    emit: written.emit,
    expectTwin: o.expectTwin,
    audioSentMs: o.audioSentMs,
    ...(o.settings.once ? { onFirstFinal: () => o.onStop('once') } : {}),
  });
  return {
    turn: (sessionId, offsetMs, turn, source) =>
      source === undefined ? assembler.turn(sessionId, offsetMs, turn) : assembler.turn(sessionId, offsetMs, turn, source),
    beginSession: (sessionId, source) => assembler.beginSession(sessionId, source),
    reviseSpeakers: (sessionId, revisions) => assembler.reviseSpeakers(sessionId, revisions),
    endSession: (sessionId) => assembler.endSession(sessionId),
    reserveIndexes: (n) => assembler.reserveIndexes(n),
    recovered(event) {
      if (event.type === 'turn') recoveredTurns += 1;
      out(event);
    },
    event: out,
    error: (error) => out({ type: 'error', code: error.code, exitCode: exitCodeFor(error), message: error.message, time: new Date() }),
    progress: (label, sentMs) => merged?.progress(label, sentMs),
    open: (label, startMs) => merged?.open(label, startMs),
    end: (label) => merged?.end(label),
    flush() {
      assembler.flush();
      merged?.flush();
    },
    close() {
      assembler.close();
      merged?.close();
    },
    get turns() {
      return written.turns + recoveredTurns;
    },
    turnsOf: (label) => turnsOf.get(label) ?? 0,
    get speechEndMs() {
      return assembler.speechEndMs;
    },
  };
}
