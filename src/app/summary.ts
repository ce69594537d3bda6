/**
 * How a run ends, as the user reads it: the termination events (one per source of several, then the run's)
 * through the transcript, the summary lines on stderr, and the error of a run whose every session was lost.
 */
import type { AppError } from '../core/errors.js';
import * as say from '../render/messages.js';
import type { Status } from '../render/status.js';
import type { TerminationResult } from '../streaming/session.js';
import type { Channel } from './channel.js';
import type { RunTranscript } from './run-transcript.js';
import type { SourcesState } from './sources.js';
import type { StopReason } from './stop.js';

export interface SummaryInput {
  sources: SourcesState;
  transcript: Pick<RunTranscript, 'event' | 'turns' | 'turnsOf'>;
  status: Pick<Status, 'info'>;
  reason: StopReason;
  /** The channels still running at the end, and their sessions' ends in that order. */
  run: readonly Channel[];
  results: readonly TerminationResult[];
}

/** The termination events (one per source of several, then the run's) and the summary lines. */
export function summarize(s: SummaryInput): void {
  const { specs, several, channels } = s.sources;
  const { status, transcript } = s;
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
          lostMs: t.lostMs + Math.max(0, Math.max(c.lostMs, ch.spool?.spooledMs ?? 0) - (ch.spool?.recoveredMs ?? 0)), // recovered gaps are not lost
        };
      },
      { sessions: 0, confirmed: 0, reconnects: 0, audioProcessedS: 0, sessionOpenS: 0, lostMs: 0 },
    );
  const termination = (list: readonly Channel[], reason: string, audioSentMs: number, turns: number, source?: string): void => {
    const totals = totalsOf(list);
    const fromService = totals.confirmed > 0;
    transcript.event({
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
      const why = s.sources.failed.get(i) ?? s.reason.kind;
      const result = s.results[s.run.indexOf(ch)] ?? s.sources.ended.get(i);
      const turns = transcript.turnsOf(label);
      termination([ch], why, ch.path.sentMs, turns, label);
      status.info(say.formatSourceSummary(label, { ...totalsOf([ch]), turns, terminated: result?.terminated ?? false }));
    });
  }
  const longest = Math.max(0, ...channels.map((ch) => ch.path.sentMs));
  termination(channels, s.reason.kind, several ? longest : (channels[0]?.path.sentMs ?? 0), transcript.turns);
  const only = several ? undefined : channels[0]?.path;
  const sent = only === undefined ? {} : { sent: { sentMs: only.sentMs, paddingMs: only.paddingMs } };
  status.info(say.formatRunSummary({ ...totalsOf(channels), turns: transcript.turns, terminated, ...sent }));
}

/** The error of a run whose every session was lost at the end (none confirmed), if so. */
export function lostResult(c: SourcesState, running: readonly Channel[], results: readonly TerminationResult[]): AppError | undefined {
  if (c.several && c.failed.size > 0 && running.length === 0) return undefined;
  const lost = results.filter((r) => r.error !== undefined && !r.terminated);
  if (lost.length === 0 || lost.length < results.length) return undefined;
  return lost[0]?.error;
}
