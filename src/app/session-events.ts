/**
 * What a connection reports, turned into what the user sees: turns into the transcript, new sessions and
 * reconnects into JSON events and status lines, an unrecoverable failure into a stop. A new server-side
 * happening that the user should see goes here (and its sentence in render/messages.ts).
 */
import type { AppError } from '../core/errors.js';
import { formatAudioLost, formatConnectRetry, formatReconnected, formatReconnecting, formatServiceWarning } from '../render/messages.js';
import type { Status } from '../render/status.js';
import type { ConnectionEvent } from '../streaming/connection.js';
import type { Assembler } from '../transcript/assembler.js';
import type { TranscriptEvent } from '../transcript/records.js';
import type { StreamingParams } from '../core/types.js';

export interface SessionEventsOptions {
  transcript: Pick<Assembler, 'turn' | 'endSession'> & Partial<Pick<Assembler, 'beginSession' | 'reviseSpeakers'>>;
  emit: (event: TranscriptEvent) => void;
  status: Pick<Status, 'info' | 'warn'>;
  /** What was asked of the service, for the `begin` event. */
  params: StreamingParams;
  /** `microphone`, or the file's label. */
  input: string;
  /** Unrecoverable: the run stops with this error. */
  onFailed: (error: AppError) => void;
  /** No session can follow the live one (a used --token): the run ends it in good order, then this error. */
  onCannotRenew?: (error: AppError) => void;
  /** A new session took over (reconnect or rollover). */
  onRenewed?: () => void;
  /** The source's label, in a run with several (on its turns, partials and begin events). */
  source?: string;
  /** Where this source's audio starts on the run's timeline (ms; 0 with one source). */
  channelOffsetMs?: () => number;
  /** After each Turn message went to the transcript, with its session's offset on the run's timeline. */
  onTurn?: (turn: Extract<ConnectionEvent, { type: 'turn' }>['turn'], offsetMs: number) => void;
  now?: () => Date;
}

export function createSessionEvents(o: SessionEventsOptions): (e: ConnectionEvent) => void {
  const now = o.now ?? (() => new Date());
  const onSession = (e: Extract<ConnectionEvent, { type: 'session' }>): void => {
    const { params } = o;
    o.transcript.beginSession?.(e.sessionId, o.source);
    o.emit({
      type: 'begin',
      sessionId: e.sessionId,
      expiresAt: e.expiresAt,
      sampleRateHz: params.sampleRateHz,
      encoding: params.encoding,
      speechModel: params.speechModel,
      input: o.input,
      ...(o.source === undefined ? {} : { source: o.source }),
      time: now(),
    });
    if (e.why === 'start') return;
    o.onRenewed?.();
    o.emit({ type: 'reconnected', sessionId: e.sessionId, why: e.why, offsetMs: e.offsetMs, replayedMs: e.replayMs, lostMs: e.lostMs, time: now() });
    o.status.info(formatReconnected(e.why, e.sessionId, e.replayMs));
    if (e.lostMs > 0) o.status.warn(formatAudioLost(e.lostMs));
  };

  return (e) => {
    switch (e.type) {
      case 'turn': {
        const offsetMs = e.offsetMs + (o.channelOffsetMs?.() ?? 0);
        if (o.source === undefined) o.transcript.turn(e.sessionId, offsetMs, e.turn);
        else o.transcript.turn(e.sessionId, offsetMs, e.turn, o.source);
        o.onTurn?.(e.turn, offsetMs);
        return;
      }
      case 'session-ended':
        o.transcript.endSession(e.sessionId);
        return;
      case 'warning':
        o.status.warn(e.client === true ? e.message : formatServiceWarning(e.message));
        return;
      case 'speaker-revision':
        o.transcript.reviseSpeakers?.(e.sessionId, e.revisions);
        return;
      case 'cannot-renew':
        (o.onCannotRenew ?? o.onFailed)(e.error);
        return;
      case 'failed':
        o.onFailed(e.error);
        return;
      case 'reconnecting':
        o.emit({
          type: 'reconnecting',
          phase: e.why === 'start' ? 'connect' : 'reconnect',
          attempt: e.attempt,
          maxAttempts: e.maxAttempts,
          delayMs: e.delayMs,
          reason: e.error.message,
          time: now(),
        });
        o.status.warn(
          e.why === 'start'
            ? formatConnectRetry(e.error.message, e.delayMs, e.attempt, e.maxAttempts)
            : formatReconnecting(e.error.message, e.delayMs, e.attempt, e.maxAttempts),
        );
        return;
      case 'session':
        onSession(e);
        return;
    }
  };
}
