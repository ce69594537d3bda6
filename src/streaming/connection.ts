/**
 * A transcription that outlives its sessions. Audio is appended to one timeline; each session gets a
 * stretch of it. When a connection drops for a reason worth retrying, a new session opens (backoff with
 * jitter, a bounded budget that resets after a healthy session) and the audio the old one had not yet
 * acknowledged by transcribing it is replayed into the new one, ahead of live audio, with a bounded lead
 * (PROTOCOL.md §4.1, §7). Before a session's `expires_at`, a new one takes over at a pause in speech
 * (§5.7). Nothing here prints: everything is reported through `onEvent`.
 */
import { AppError, ErrorCode } from '../errors.js';
import type { TurnMessage } from './protocol.js';
import type { Session, SessionEvent, TerminationResult } from './session.js';

export interface ConnectionOptions {
  /** Opens one session (resolves on Begin). */
  open: (o: { onEvent: (e: SessionEvent) => void; signal: AbortSignal }) => Promise<Session>;
  frameMs: number;
  onEvent: (e: ConnectionEvent) => void;
  /** Audio kept for replay; beyond it the oldest goes first (default 120 s). */
  bufferMs?: number;
  /** How far a session may be ahead of real time while audio is replayed (default 8 s). */
  leadMs?: number;
  /** Attempts per outage (default 6); 0: never reconnect. */
  maxAttempts?: number;
  /** Attempts when the very first session cannot open (default 2). */
  startAttempts?: number;
  /** Delay before attempt n (1-based); default exponential from 250 ms to 8 s, with jitter. */
  backoffMs?: (attempt: number) => number;
  /** Roll over this long before `expires_at`, at the next pause (default 60 s)... */
  rolloverBeforeMs?: number;
  /** ...and without waiting for a pause this long before it (default 10 s). */
  rolloverForceMs?: number;
  /** Clock in ms (wall-clock epoch: `expires_at` is epoch seconds). */
  now?: () => number;
}

export type ConnectionEvent =
  | { type: 'session'; sessionId: string; expiresAt: number | undefined; why: 'start' | 'reconnect' | 'rollover'; offsetMs: number; replayMs: number; lostMs: number }
  | { type: 'turn'; sessionId: string; offsetMs: number; turn: TurnMessage }
  /** A session will send no more turns: its held finals can be committed. */
  | { type: 'session-ended'; sessionId: string }
  | { type: 'reconnecting'; attempt: number; maxAttempts: number; delayMs: number; error: AppError }
  | { type: 'warning'; message: string }
  /** Unrecoverable: not worth retrying, or the budget is spent. */
  | { type: 'failed'; error: AppError };

export interface Connection {
  /** Resolves when the first session has begun; rejects if it cannot (after the start budget). */
  start(): Promise<void>;
  /** Appends one frame to the timeline; sent now, or kept for the next session. */
  push(frame: Buffer): void;
  forceEndpoint(): void;
  /** Sends what is left (bounded), Terminates, waits up to timeoutMs for Termination. */
  terminate(timeoutMs: number): Promise<TerminationResult>;
  /** Ends everything now (Terminate sent where a session is open). */
  close(): Promise<void>;
  readonly sessionId: string;
  readonly state: 'connecting' | 'open' | 'reconnecting' | 'closed';
  readonly attempt: number;
}

/** What to do after an error: retry at once (with backoff), retry after a longer wait, or give up. */
export function retryKind(error: AppError): 'now' | 'later' | 'never' {
  if (error.code === ErrorCode.network || error.code === ErrorCode.timeout) return 'now';
  if (error.httpStatus !== undefined) return error.httpStatus === 429 ? 'later' : error.httpStatus >= 500 ? 'now' : 'never';
  switch (error.closeCode) {
    case 1000: // the service ended the session while we were still sending: start a new one
    case 1006:
    case 1011:
    case 1012:
    case 1013:
    case 3005:
    case 3008:
      return 'now';
    case 3009:
      return 'later';
    case 1008:
      return /too many/i.test(error.message) ? 'later' : 'never';
    default:
      return 'never';
  }
}

export function defaultBackoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(8000, 250 * 2 ** (attempt - 1));
  return Math.round(base * (0.5 + random() * 0.5));
}

const LATER_MS = 3000;
const HEALTHY_MS = 5000;
/** With no turn in progress, audio older than this is taken as heard (silence the service passed over). */
const IDLE_ACK_MARGIN_MS = 3000;
/** A partial's first word may start up to ~1 s early (it absorbs silence, §3.2): replay from before it. */
const TURN_START_MARGIN_MS = 1000;
const DRAIN_TIMEOUT_MS = 5000;

interface Live {
  session: Session;
  id: string;
  expiresAt: number | undefined;
  /** Absolute index of the first frame this session got. */
  firstIndex: number;
  /** Next absolute index to send it. */
  nextIndex: number;
  openedAt: number;
  ended: boolean;
}

export function createConnection(o: ConnectionOptions): Connection {
  const now = o.now ?? Date.now;
  const frameMs = o.frameMs;
  const bufferFrames = Math.max(1, Math.round((o.bufferMs ?? 120_000) / frameMs));
  const leadMs = o.leadMs ?? 8000;
  const maxAttempts = o.maxAttempts ?? 6;
  const backoff = o.backoffMs ?? ((n: number) => defaultBackoffMs(n));
  const rolloverBeforeMs = o.rolloverBeforeMs ?? 60_000;
  const rolloverForceMs = o.rolloverForceMs ?? 10_000;

  // The timeline: frames[i] is absolute frame base + i.
  let frames: Buffer[] = [];
  let base = 0;
  const end = (): number => base + frames.length;
  /** Frames below this index are transcribed (or silence long passed): never replayed. */
  let ackIndex = 0;
  let turnInProgress = false;
  let turnStartIndex = 0;
  let lostFrames = 0;
  let reportedLost = 0;

  let live: Live | undefined;
  let state: Connection['state'] = 'connecting';
  let attempt = 0;
  let sendTimer: NodeJS.Timeout | undefined;
  let rolloverTimer: NodeJS.Timeout | undefined;
  let rolloverWanted = false;
  let rollingOver = false;
  let closing = false;
  const abort = new AbortController();
  const retiring = new Set<Promise<unknown>>();

  const emit = (e: ConnectionEvent): void => o.onEvent(e);
  const msToFrames = (ms: number): number => Math.floor(ms / frameMs);

  /** Turns move the acknowledged point: a final's end; with no turn in progress, most of what was sent. */
  const observeTurn = (s: Live, turn: TurnMessage): void => {
    const last = turn.words[turn.words.length - 1];
    const first = turn.words[0];
    if (turn.endOfTurn) {
      turnInProgress = false;
      // Never past what this session was actually sent, whatever times the service reports.
      if (last !== undefined) ackIndex = Math.max(ackIndex, Math.min(s.firstIndex + msToFrames(last.endMs), s.nextIndex));
    } else if (first !== undefined) {
      if (!turnInProgress) turnStartIndex = Math.min(s.firstIndex + msToFrames(Math.max(0, first.startMs - TURN_START_MARGIN_MS)), s.nextIndex);
      turnInProgress = true;
      ackIndex = Math.max(ackIndex, Math.min(turnStartIndex, s.nextIndex));
    }
  };

  const trim = (): void => {
    if (!turnInProgress && live !== undefined) ackIndex = Math.max(ackIndex, live.nextIndex - msToFrames(IDLE_ACK_MARGIN_MS));
    // Never drop what the current session (or the one taking over) has not been sent yet.
    let keepFrom = Math.min(ackIndex, live?.nextIndex ?? ackIndex);
    if (end() - keepFrom > bufferFrames) {
      const from = end() - bufferFrames;
      // Unacknowledged audio pushed out of the bound is lost.
      lostFrames += Math.max(0, from - Math.max(keepFrom, ackIndex));
      keepFrom = from;
    }
    const drop = Math.min(frames.length, Math.max(0, keepFrom - base));
    if (drop > 64 || drop === frames.length) {
      frames = frames.slice(drop);
      base += drop;
    }
  };

  const send = (): void => {
    sendTimer = undefined;
    const s = live;
    if (s === undefined || s.ended) return;
    if (s.nextIndex < base) s.nextIndex = base;
    while (s.nextIndex < end()) {
      // Replay runs ahead of real time by at most leadMs.
      const aheadMs = (s.nextIndex - s.firstIndex + 1) * frameMs - (now() - s.openedAt);
      if (aheadMs > leadMs) {
        sendTimer = setTimeout(send, Math.min(1000, Math.max(5, aheadMs - leadMs)));
        return;
      }
      s.session.sendAudio(frames[s.nextIndex - base]!);
      s.nextIndex += 1;
    }
    trim();
  };

  const scheduleRollover = (s: Live): void => {
    clearTimeout(rolloverTimer);
    if (s.expiresAt === undefined) return;
    // Short sessions (a token's cap) roll over in their second half, not a minute before their end.
    const remaining = s.expiresAt * 1000 - now();
    const at = remaining - Math.min(rolloverBeforeMs, remaining / 2);
    // Timers hold at most ~24.8 days; a session never lasts that long (§5.7).
    if (at > 2_000_000_000) return;
    rolloverTimer = setTimeout(() => {
      rolloverWanted = true;
      maybeRollover();
    }, Math.max(0, at));
    rolloverTimer.unref?.();
  };

  const maybeRollover = (): void => {
    const s = live;
    if (!rolloverWanted || rollingOver || closing || s === undefined || s.ended || s.expiresAt === undefined) return;
    const forced = now() >= s.expiresAt * 1000 - Math.min(rolloverForceMs, (s.expiresAt * 1000 - s.openedAt) / 4);
    if (turnInProgress && !forced) {
      // Wait for a pause; check again soon in case none comes.
      clearTimeout(rolloverTimer);
      rolloverTimer = setTimeout(maybeRollover, 500);
      return;
    }
    rollingOver = true;
    void openOne('rollover').then(
      () => {
        rollingOver = false;
        rolloverWanted = false;
      },
      (err: unknown) => {
        rollingOver = false;
        if (live === undefined && !closing) {
          // The old session ended meanwhile: this is an outage now.
          void reconnect(err instanceof AppError ? err : new AppError(ErrorCode.network, String(err)), 'now');
          return;
        }
        // Could not open the next session: try again shortly; the current one goes on meanwhile.
        clearTimeout(rolloverTimer);
        rolloverTimer = setTimeout(maybeRollover, 2000);
      },
    );
  };

  const onSessionEvent = (s: Live, e: SessionEvent): void => {
    if (e.type === 'turn') {
      if (s === live) observeTurn(s, e.turn);
      emit({ type: 'turn', sessionId: s.id, offsetMs: s.firstIndex * frameMs, turn: e.turn });
      if (!turnInProgress) maybeRollover();
    } else if (e.type === 'warning') {
      emit({ type: 'warning', message: e.message });
    } else {
      sessionEnded(s, e.error);
    }
  };

  const sessionEnded = (s: Live, error: AppError | undefined): void => {
    if (s.ended) return;
    s.ended = true;
    emit({ type: 'session-ended', sessionId: s.id });
    if (s !== live || closing || error === undefined) return;
    live = undefined;
    clearTimeout(rolloverTimer);
    if (now() - s.openedAt >= HEALTHY_MS) attempt = 0;
    // A rollover under way becomes the next session; if it fails, it starts the reconnection itself.
    if (rollingOver) return;
    const kind = retryKind(error);
    if (kind === 'never' || maxAttempts === 0) {
      state = 'closed';
      emit({ type: 'failed', error });
      return;
    }
    void reconnect(error, kind);
  };

  const reconnect = async (error: AppError, kind: 'now' | 'later'): Promise<void> => {
    state = 'reconnecting';
    let last = error;
    let wait = kind;
    while (!closing) {
      attempt += 1;
      if (attempt > maxAttempts) {
        state = 'closed';
        emit({
          type: 'failed',
          error: new AppError(last.code, `gave up reconnecting after ${maxAttempts} attempts: ${last.message}`, {
            ...(last.closeCode === undefined ? {} : { closeCode: last.closeCode }),
            hint: last.hint ?? 'check the network connection and try again',
          }),
        });
        return;
      }
      const delayMs = Math.max(backoff(attempt), wait === 'later' ? LATER_MS : 0);
      emit({ type: 'reconnecting', attempt, maxAttempts, delayMs, error: last });
      await sleep(delayMs, abort.signal);
      if (closing) return;
      try {
        await openOne('reconnect');
        return;
      } catch (err) {
        if (closing) return;
        last = err instanceof AppError ? err : new AppError(ErrorCode.network, String(err));
        const k = retryKind(last);
        if (k === 'never') {
          state = 'closed';
          emit({ type: 'failed', error: last });
          return;
        }
        wait = k;
      }
    }
  };

  /** Opens a session; on Begin it becomes the live one (start, reconnect) or takes over (rollover). */
  const openOne = async (why: 'start' | 'reconnect' | 'rollover'): Promise<void> => {
    let holder: Live | undefined;
    const pending: SessionEvent[] = [];
    const session = await o.open({
      onEvent: (e) => (holder === undefined ? pending.push(e) : onSessionEvent(holder, e)),
      signal: abort.signal,
    });
    if (closing) {
      await session.close();
      return;
    }
    const previous = live;
    // Rollover: the new session starts exactly where the old one stops, so no audio is lost or repeated.
    // Reconnect: it starts at the first frame not yet acknowledged.
    const firstIndex = why === 'rollover' && previous !== undefined && !previous.ended ? previous.nextIndex : Math.min(Math.max(ackIndex, base), end());
    const s: Live = { session, id: session.id, expiresAt: session.expiresAt, firstIndex, nextIndex: firstIndex, openedAt: now(), ended: false };
    holder = s;
    const replayFrames = end() - firstIndex;
    const lostMs = (lostFrames - reportedLost) * frameMs;
    reportedLost = lostFrames;
    if (why === 'rollover' && previous !== undefined && !previous.ended) {
      // From here on the old session gets no audio; what it had is its to finish (Terminate flushes its
      // turns), so it is never replayed to anyone.
      live = s;
      ackIndex = Math.max(ackIndex, firstIndex);
      const done = previous.session.terminate(DRAIN_TIMEOUT_MS).then(() => sessionEnded(previous, undefined));
      retiring.add(done);
      void done.finally(() => retiring.delete(done));
    } else {
      live = s;
    }
    state = 'open';
    if (why === 'reconnect') turnInProgress = false;
    emit({ type: 'session', sessionId: s.id, expiresAt: s.expiresAt, why, offsetMs: firstIndex * frameMs, replayMs: replayFrames * frameMs, lostMs });
    for (const e of pending) onSessionEvent(s, e);
    scheduleRollover(s);
    send();
  };

  return {
    async start(): Promise<void> {
      const budget = o.startAttempts ?? 2;
      let tries = 0;
      for (;;) {
        try {
          await openOne('start');
          return;
        } catch (err) {
          const error = err instanceof AppError ? err : new AppError(ErrorCode.network, String(err));
          tries += 1;
          const kind = retryKind(error);
          if (closing || kind === 'never' || tries > budget) {
            state = 'closed';
            throw error;
          }
          const delayMs = Math.max(backoff(tries), kind === 'later' ? LATER_MS : 0);
          emit({ type: 'reconnecting', attempt: tries, maxAttempts: budget, delayMs, error });
          await sleep(delayMs, abort.signal);
          if (closing) throw error;
        }
      }
    },
    push(frame: Buffer): void {
      frames.push(frame);
      if (sendTimer === undefined) send();
      else trim();
    },
    forceEndpoint(): void {
      if (live !== undefined && !live.ended) live.session.forceEndpoint();
    },
    async terminate(timeoutMs: number): Promise<TerminationResult> {
      closing = true;
      abort.abort();
      clearTimeout(rolloverTimer);
      const s = live;
      if (s === undefined || s.ended) {
        state = 'closed';
        await Promise.all(retiring);
        return { terminated: false, audioDurationS: undefined, sessionDurationS: undefined, error: new AppError(ErrorCode.network, 'the connection to the service was lost') };
      }
      // The backlog (after a reconnect) goes out within the lead, for a bounded time.
      const deadline = now() + DRAIN_TIMEOUT_MS;
      while (s.nextIndex < end() && now() < deadline && !s.ended) {
        send();
        if (s.nextIndex < end()) await sleep(20);
      }
      clearTimeout(sendTimer);
      const [result] = await Promise.all([s.session.terminate(timeoutMs), ...retiring]);
      state = 'closed';
      s.ended = true;
      emit({ type: 'session-ended', sessionId: s.id });
      return result;
    },
    async close(): Promise<void> {
      closing = true;
      abort.abort();
      clearTimeout(rolloverTimer);
      clearTimeout(sendTimer);
      state = 'closed';
      await live?.session.close();
    },
    get sessionId() {
      return live?.id ?? '';
    },
    get state() {
      return state;
    },
    get attempt() {
      return attempt;
    },
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
