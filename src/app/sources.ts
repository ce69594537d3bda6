/**
 * The run's sources: a list of one or more (one microphone is the common case of the list, not another
 * path), one channel each. Each source's audio starts on the run's timeline where its capture started; a
 * source of several that fails mid-run (its SoX dies, its connection gives up) stops alone, is named to the
 * user, and makes the exit code say "incomplete", while the others go on; only when none is left does the
 * run stop. The stop conditions (stop-conditions.ts), the summary (summary.ts) and the status bar's view
 * (run-view.ts) are parts of their own that read this one's `state`.
 */
import { AppError } from '../core/errors.js';
import type { SourceSpec } from '../options/source-specs.js';
import * as say from '../render/messages.js';
import type { TerminationResult } from '../streaming/session.js';
import type { Channel, ChannelOptions } from './channel.js';
import type { OpenedSource } from './open-sources.js';
import type { Outputs } from './outputs.js';
import type { RunTranscript } from './run-transcript.js';
import type { SavedMix } from './saved-mix.js';
import type { StopReason } from './stop.js';

export interface SourcesOptions {
  specs: readonly SourceSpec[];
  /** The run's channels, filled in by prepare(), in the order of `specs`. */
  channels: readonly Channel[];
  outputs: Pick<Outputs, 'status' | 'terminal'>;
  /** The run's one transcript: the only way events reach the outputs. */
  transcript: RunTranscript;
  stop: (reason: StopReason) => void;
  terminationTimeoutMs: number;
  now?: () => number;
}

/** What the other parts of a run read about its sources. */
export interface SourcesState {
  readonly specs: readonly SourceSpec[];
  readonly channels: readonly Channel[];
  /** More than one source. */
  readonly several: boolean;
  /** The sources that stopped early, by index, with why. */
  readonly failed: ReadonlyMap<number, string>;
  /** The end of the sessions of failed sources, by index. */
  readonly ended: ReadonlyMap<number, TerminationResult>;
  labelOf(i: number): string;
  /** Where source `i`'s audio starts on the run's timeline (0 with one source). */
  offsetOf(i: number): number;
  /** Source `i`'s audio sent so far, on the run's timeline. */
  runSentMs(i: number): number;
}

export interface RunSources {
  readonly state: SourcesState;
  /** More than one source. */
  readonly several: boolean;
  /** The run's timeline position of `label`'s audio sent so far (the only source's without a label). */
  sentMsOf(label: string | undefined): number;
  /** Where source `index`'s audio starts on the run's timeline (0 with one source). */
  offsetOf(index: number): number;
  useMix(mix: SavedMix | undefined): void;
  /** The stop function of source `index`'s channel: a failure of one source of several stops only that one. */
  stopFor(index: number): (reason: StopReason) => void;
  channelPart(index: number, opened: OpenedSource): NonNullable<ChannelOptions['meeting']>;
  /** The run's timeline starts now (the inputs start). */
  startClock(): void;
  /** Names a connection error by its source. */
  nameError(index: number, error: unknown): unknown;
  /** Every first session began: say so (and end those whose source already failed). */
  began(): void;
  /** The channels whose source has not failed. */
  running(): Channel[];
  /** Resolves once the sessions of the failed sources are terminated (bounded). */
  stopped(): Promise<void>;
  /** The saved audio's held samples, before it is closed. */
  flushAudio(): void;
  clearPartials(): void;
  /** A source stopped before the end: the transcript misses part of it. */
  readonly incomplete: boolean;
}

export function createSources(o: SourcesOptions): RunSources {
  const { specs, channels } = o;
  const { status } = o.outputs;
  const now = o.now ?? (() => performance.now());
  const several = specs.length > 1;
  const failed = new Map<number, string>();
  /** The end of the sessions of failed sources, by source. */
  const ended = new Map<number, TerminationResult>();
  const ending: Promise<unknown>[] = [];
  const endSession = (i: number, ch: Channel): Promise<unknown> =>
    ch.connection.terminate(o.terminationTimeoutMs).then(
      (r) => ended.set(i, r),
      () => undefined,
    );
  let mix: SavedMix | undefined;
  let clockAt = 0;
  let begun = false;

  const labelOf = (i: number): string => specs[i]?.label ?? '';
  const offsetOf = (i: number): number => {
    const at = channels[i]?.path.firstAudioAt;
    return several && at !== undefined ? Math.max(0, at - clockAt) : 0;
  };
  const runSentMs = (i: number): number => offsetOf(i) + (channels[i]?.path.sentMs ?? 0);
  const state: SourcesState = { specs, channels, several, failed, ended, labelOf, offsetOf, runSentMs };

  /** Source `i` stopped early: the others go on; when none is left, the run stops with this reason. */
  const sourceFailed = (i: number, reason: Extract<StopReason, { error: AppError }>): void => {
    if (failed.has(i)) return;
    const ch = channels[i];
    failed.set(i, reason.kind);
    status.warn(say.formatSourceStopped(labelOf(i), reason.error.message));
    if (ch !== undefined) {
      ch.path.drop();
      // Its session gets what it has and ends; one that gave up has nothing to end.
      const stopped = ch.source.stop();
      ending.push((reason.kind === 'capture-failed' && begun ? stopped.then(() => endSession(i, ch)) : stopped).catch(() => undefined));
    }
    if (several) o.transcript.end(labelOf(i));
    mix?.end(i);
    o.outputs.terminal.partial('', labelOf(i));
    if (failed.size >= specs.length) o.stop(reason);
  };

  return {
    state,
    several,
    sentMsOf: (label) => {
      const i = label === undefined ? 0 : specs.findIndex((s) => s.label === label);
      return i < 0 ? 0 : runSentMs(i);
    },
    offsetOf,
    useMix(m) {
      mix = m;
    },
    stopFor: (i) => (reason) => {
      if (several && (reason.kind === 'capture-failed' || reason.kind === 'session-ended')) sourceFailed(i, reason);
      else o.stop(reason);
    },
    channelPart: (i, opened) => channelPartOf(o, state, i, opened),
    startClock() {
      clockAt = now();
    },
    nameError: (i, error) => (several && error instanceof AppError ? namedError(labelOf(i), error) : error),
    began() {
      begun = true;
      channels.forEach((ch, i) => {
        status.info(several ? say.formatSessionStartedFor(labelOf(i), ch.connection.sessionId) : say.formatSessionStarted(ch.connection.sessionId));
        // A source that failed while connecting: its session began all the same, and is ended now.
        if (failed.get(i) === 'capture-failed') ending.push(endSession(i, ch));
      });
    },
    running: () => channels.filter((_, i) => !failed.has(i)),
    stopped: async () => {
      await Promise.all(ending);
    },
    flushAudio: () => mix?.flush(),
    clearPartials() {
      o.outputs.terminal.partial('');
      for (const s of several ? specs : []) o.outputs.terminal.partial('', s.label);
    },
    get incomplete() {
      return failed.size > 0;
    },
  };
}

function namedError(label: string, error: AppError): AppError {
  return new AppError(error.code, say.formatSourceFailedToStart(label, error.message), {
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    cause: error,
  });
}

function channelPartOf(o: SourcesOptions, c: SourcesState, i: number, opened: OpenedSource): NonNullable<ChannelOptions['meeting']> {
  const label = c.labelOf(i);
  return {
    label,
    kind: opened.spec.kind,
    device: opened.device,
    offsetMs: () => c.offsetOf(i),
    onTurn: (turn, offsetMs) => {
      // A final about to be committed (or just committed) is no turn in progress; anything else is, from its first word.
      const committed = turn.endOfTurn && (turn.formatted || c.channels[i]?.expectTwin !== true);
      const firstWord = turn.words[0];
      o.transcript.open(label, committed || firstWord === undefined ? undefined : offsetMs + firstWord.startMs);
    },
  };
}
