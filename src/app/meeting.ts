/**
 * What a run with several sources adds to the phases of run.ts (issue 13), and what it does with one source
 * (nothing: the run is as it always was). Each source's audio starts on the run's timeline where its capture
 * started; its finals go through the merged transcript; a source that fails mid-run (its SoX dies, its
 * connection gives up) stops alone, is named to the user, and makes the exit code say "incomplete", while the
 * others go on; only when none is left does the run stop.
 */
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { SourceSpec } from '../source-specs.js';
import * as say from '../render/messages.js';
import type { TerminationResult } from '../streaming/session.js';
import type { TranscriptEvent } from '../transcript/records.js';
import type { Channel, ChannelOptions } from './channel.js';
import { createMergedTranscript, type MergedTranscript } from './merged-transcript.js';
import type { OpenedSource } from './open-sources.js';
import type { Outputs } from './outputs.js';
import type { SavedMix } from './saved-mix.js';
import type { StatusBarView } from './status-bar.js';
import { stopConditionMet, type StopReason } from './stop.js';

export interface MeetingOptions {
  config: Config;
  specs: readonly SourceSpec[];
  /** The run's channels, filled in by prepare(), in the order of `specs`. */
  channels: readonly Channel[];
  outputs: Pick<Outputs, 'emit' | 'status' | 'terminal'>;
  stop: (reason: StopReason) => void;
  terminationTimeoutMs: number;
  now?: () => number;
}

export interface Meeting {
  /** More than one source. */
  readonly several: boolean;
  /** The assembler's emit: through the merger with several sources, else straight to the outputs. */
  emit(event: TranscriptEvent): void;
  /** The run's timeline position of `label`'s audio sent so far (the only source's without a label). */
  sentMsOf(label: string | undefined): number;
  /** Where source `index`'s audio starts on the run's timeline (0 with one source). */
  offsetOf(index: number): number;
  useMix(mix: SavedMix | undefined): void;
  /** The stop function of source `index`'s channel: a failure of one source of several stops only that one. */
  stopFor(index: number): (reason: StopReason) => void;
  /** After each frame sent by source `index` (the stop conditions, the merger's watermark). */
  sent(index: number, sentMs: number, speechEndMs: number | undefined): void;
  channelPart(index: number, opened: OpenedSource): NonNullable<ChannelOptions['meeting']>;
  /** The run's timeline starts now (the inputs start). */
  startClock(): void;
  /** Names a connection error by its source. */
  nameError(index: number, error: unknown): unknown;
  /** Every first session began: say so (and end those whose source already failed). */
  began(): void;
  /** "Recording from ..." for each running source. */
  recordingLines(): Promise<string[]>;
  view(): StatusBarView;
  /** The channels whose source has not failed. */
  running(): Channel[];
  /** Resolves once the sessions of the failed sources are terminated (bounded). */
  stopped(): Promise<void>;
  flush(): void;
  /** The saved audio's held samples, before it is closed. */
  flushAudio(): void;
  clearPartials(): void;
  /** The error of a run whose sessions were all lost at the end, if so. */
  lostResult(running: readonly Channel[], results: readonly TerminationResult[]): AppError | undefined;
  /** The termination events and the summary lines. */
  summarize(reason: StopReason, running: readonly Channel[], results: readonly TerminationResult[], turns: number): void;
  /** A source stopped before the end: the transcript misses part of it. */
  readonly incomplete: boolean;
  close(): void;
}

/** What the helpers below share about one meeting. */
interface Context {
  o: MeetingOptions;
  several: boolean;
  failed: Map<number, string>;
  merged: MergedTranscript | undefined;
  labelOf(i: number): string;
  offsetOf(i: number): number;
  runSentMs(i: number): number;
}

export function createMeeting(o: MeetingOptions): Meeting {
  const { specs, channels } = o;
  const { status } = o.outputs;
  const now = o.now ?? (() => performance.now());
  const several = specs.length > 1;
  const failed = new Map<number, string>();
  /** The end of the sessions of failed sources, by source. */
  const ended = new Map<number, TerminationResult>();
  const ending: Promise<unknown>[] = [];
  const turnsOf = new Map<string, number>();
  const emitOut = (event: TranscriptEvent): void => {
    if (event.type === 'turn' && event.turn.source !== undefined) turnsOf.set(event.turn.source, (turnsOf.get(event.turn.source) ?? 0) + 1);
    o.outputs.emit(event);
  };
  const merged: MergedTranscript | undefined = several ? createMergedTranscript({ sources: specs, emit: emitOut }) : undefined;
  const endSession = (i: number, ch: Channel): Promise<unknown> =>
    ch.connection.terminate(o.terminationTimeoutMs).then((r) => ended.set(i, r), () => undefined);
  let mix: SavedMix | undefined;
  let clockAt = 0;
  let begun = false;

  const labelOf = (i: number): string => specs[i]?.label ?? '';
  const offsetOf = (i: number): number => {
    const at = channels[i]?.path.firstAudioAt;
    return several && at !== undefined ? Math.max(0, at - clockAt) : 0;
  };
  const runSentMs = (i: number): number => offsetOf(i) + (channels[i]?.path.sentMs ?? 0);
  const ctx: Context = { o, several, failed, merged, labelOf, offsetOf, runSentMs };

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
    merged?.end(labelOf(i));
    mix?.end(i);
    o.outputs.terminal.partial('', labelOf(i));
    if (failed.size >= specs.length) o.stop(reason);
  };

  return {
    several,
    emit: merged?.emit ?? o.outputs.emit,
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
    sent: (i, sentMs, speechEndMs) => checkStops(ctx, i, sentMs, speechEndMs),
    channelPart: (i, opened) => channelPartOf(ctx, i, opened),
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
    recordingLines: () => recordingLines(ctx),
    view: () => meetingView(ctx),
    running: () => channels.filter((_, i) => !failed.has(i)),
    stopped: async () => {
      await Promise.all(ending);
    },
    flush: () => merged?.flush(),
    flushAudio: () => mix?.flush(),
    clearPartials() {
      o.outputs.terminal.partial('');
      for (const s of several ? specs : []) o.outputs.terminal.partial('', s.label);
    },
    lostResult: (run, results) => lostResult(ctx, run, results),
    summarize: (reason, run, results, turns) => summarize({ o, specs, failed, ended, turnsOf, reason, run, results, turns }),
    get incomplete() {
      return failed.size > 0;
    },
    close: () => merged?.close(),
  };
}

function namedError(label: string, error: AppError): AppError {
  return new AppError(error.code, say.formatSourceFailedToStart(label, error.message), { ...(error.hint === undefined ? {} : { hint: error.hint }), cause: error });
}

/** The run's stop conditions after a frame of source `i`: --max-duration on the run's length, --until-silence on every source. */
function checkStops(c: Context, i: number, sentMs: number, speechEndMs: number | undefined): void {
  const { config } = c.o;
  if (!c.several) {
    const kind = stopConditionMet(config.stop, sentMs, speechEndMs);
    if (kind !== undefined) c.o.stop({ kind });
    return;
  }
  c.merged?.progress(c.labelOf(i), c.runSentMs(i));
  const live = c.o.channels.map((_, j) => j).filter((j) => !c.failed.has(j));
  const { maxDurationMs, untilSilenceMs } = config.stop;
  const kind =
    stopConditionMet({ once: false, ...(maxDurationMs === undefined ? {} : { maxDurationMs }) }, Math.max(...live.map(c.runSentMs)), speechEndMs) ??
    stopConditionMet({ once: false, ...(untilSilenceMs === undefined ? {} : { untilSilenceMs }) }, Math.min(...live.map(c.runSentMs)), speechEndMs);
  if (kind !== undefined) c.o.stop({ kind });
}

function channelPartOf(c: Context, i: number, opened: OpenedSource): NonNullable<ChannelOptions['meeting']> {
  const label = c.labelOf(i);
  return {
    label,
    kind: opened.spec.kind,
    device: opened.device,
    offsetMs: () => c.offsetOf(i),
    onTurn: (turn, offsetMs) => {
      // A final about to be committed (or just committed) is no turn in progress; anything else is, from its first word.
      const committed = turn.endOfTurn && (turn.formatted || c.o.channels[i]?.expectTwin !== true);
      const firstWord = turn.words[0];
      c.merged?.open(label, committed || firstWord === undefined ? undefined : offsetMs + firstWord.startMs);
    },
  };
}

async function recordingLines(c: Context): Promise<string[]> {
  const lines: string[] = [];
  for (const [i, ch] of c.o.channels.entries()) {
    if (c.failed.has(i)) continue;
    const name = await ch.monitor.label();
    lines.push(c.several ? say.formatRecordingFromFor(c.labelOf(i), name) : say.formatRecordingFrom(name));
  }
  return lines;
}

/** The status bar: one source as always; several with a level each (the system audio never "no sound"). */
function meetingView(c: Context): StatusBarView {
  const { channels, specs } = c.o;
  const base = channels[0]!.view();
  if (!c.several) return base;
  return {
    ...base,
    noSound: false,
    reconnecting: channels.some((ch) => ch.connection.state === 'reconnecting'),
    sources: channels.map((ch, i) => ({
      label: c.labelOf(i),
      levelDbfs: c.failed.has(i) ? Number.NEGATIVE_INFINITY : ch.monitor.meterDbfs,
      noSound: specs[i]?.kind === 'microphone' && !c.failed.has(i) && ch.monitor.noSound,
    })),
  };
}

/** The error of a run whose every session was lost at the end (none confirmed), if so. */
function lostResult(c: Context, running: readonly Channel[], results: readonly TerminationResult[]): AppError | undefined {
  if (c.several && c.failed.size > 0 && running.length === 0) return undefined;
  const lost = results.filter((r) => r.error !== undefined && !r.terminated);
  if (lost.length === 0 || lost.length < results.length) return undefined;
  return lost[0]?.error;
}

interface SummaryInput {
  o: MeetingOptions;
  specs: readonly SourceSpec[];
  failed: ReadonlyMap<number, string>;
  ended: ReadonlyMap<number, TerminationResult>;
  turnsOf: ReadonlyMap<string, number>;
  reason: StopReason;
  run: readonly Channel[];
  results: readonly TerminationResult[];
  turns: number;
}

/** The termination events (one per source of several, then the run's) and the summary lines. */
function summarize(s: SummaryInput): void {
  const { o, specs } = s;
  const { status } = o.outputs;
  const several = specs.length > 1;
  const channels = o.channels;
  const totalsOf = (list: readonly Channel[]) =>
    list.reduce(
      (t, ch) => {
        const c = ch.connection.totals;
        return {
          sessions: t.sessions + c.sessions,
          confirmed: t.confirmed + c.confirmed,
          reconnects: t.reconnects + c.reconnects,
          audioProcessedS: t.audioProcessedS + c.audioProcessedS,
          sessionOpenS: t.sessionOpenS + c.sessionOpenS,
          lostMs: t.lostMs + Math.max(0, Math.max(c.lostMs, ch.spool?.spooledMs ?? 0) - (ch.spool?.recoveredMs ?? 0)), // issue 22: recovered gaps are not lost
        };
      },
      { sessions: 0, confirmed: 0, reconnects: 0, audioProcessedS: 0, sessionOpenS: 0, lostMs: 0 },
    );
  const termination = (list: readonly Channel[], reason: string, audioSentMs: number, turns: number, source?: string): void => {
    const totals = totalsOf(list);
    const fromService = totals.confirmed > 0;
    o.outputs.emit({
      type: 'termination',
      reason,
      audioSentMs,
      audioDurationS: fromService ? Math.round(totals.audioProcessedS) : undefined,
      sessionDurationS: fromService ? Math.round(totals.sessionOpenS) : undefined,
      sessions: totals.sessions,
      reconnects: totals.reconnects,
      turns,
      ...(source === undefined ? {} : { source }),
      time: new Date(),
    });
  };
  const terminated = s.results.every((r) => r.terminated) && s.results.length > 0;
  if (several) {
    channels.forEach((ch, i) => {
      const label = specs[i]?.label ?? '';
      const why = s.failed.get(i) ?? s.reason.kind;
      const result = s.results[s.run.indexOf(ch)] ?? s.ended.get(i);
      const turns = s.turnsOf.get(label) ?? 0;
      termination([ch], why, ch.path.sentMs, turns, label);
      status.info(say.formatSourceSummary(label, { ...totalsOf([ch]), turns, terminated: result?.terminated ?? false }));
    });
  }
  const longest = Math.max(0, ...channels.map((ch) => ch.path.sentMs));
  termination(channels, s.reason.kind, several ? longest : (channels[0]?.path.sentMs ?? 0), s.turns);
  status.info(say.formatRunSummary({ ...totalsOf(channels), turns: s.turns, terminated }));
}
