/**
 * A transcription that outlives its sessions. Audio is appended to one timeline; each session gets a
 * stretch of it. When a connection drops for a reason worth retrying, a new session opens (backoff with
 * jitter, a bounded budget that resets after a healthy session) and the audio the old one had not yet
 * acknowledged by transcribing it is replayed into the new one, ahead of live audio, with a bounded lead
 * (docs/service.md#reconnecting-and-rollover). Before a session's `expires_at`, a new one takes over at a pause in speech
 * (docs/service.md#reconnecting-and-rollover). Nothing here prints: everything is reported through `onEvent`.
 */
import { DEFAULT_RECONNECT_ATTEMPTS, DEFAULT_START_ATTEMPTS } from '../core/defaults.js';
import { AppError, ErrorCode } from '../core/errors.js';
import { HandshakeTimeoutError, retryDecision } from './close-codes.js';
import type { SpeakerRevisionItem, TurnMessage } from './protocol.js';
import type { Session, SessionEvent, TerminationResult } from './session.js';
import { createTimeline, type Stretch, type Timeline } from './timeline.js';

export interface ConnectionOptions {
  /** Opens one session (resolves on Begin). */
  open: (o: { onEvent: (e: SessionEvent) => void; signal: AbortSignal }) => Promise<Session>;
  frameMs: number;
  /**
   * Whether a frame is quiet (below QUIET_DBFS), to tell a pause in the audio itself at a rollover. Without it,
   * only the service's turns tell a pause.
   */
  isQuiet?: (frame: Buffer) => boolean;
  onEvent: (e: ConnectionEvent) => void;
  /** Audio kept for replay; beyond it the oldest goes first (default 120 s). */
  bufferMs?: number;
  /** How far a session may be ahead of real time while audio is replayed (default 8 s). */
  leadMs?: number;
  /** Attempts per outage (default DEFAULT_RECONNECT_ATTEMPTS, 6); 0: never reconnect. */
  maxAttempts?: number;
  /** Attempts when the very first session cannot open (default DEFAULT_START_ATTEMPTS, 2). */
  startAttempts?: number;
  /** Delay before attempt n (1-based); default exponential from 250 ms to 8 s, with jitter. */
  backoffMs?: (attempt: number) => number;
  /** Roll over this long before `expires_at`, at the next pause (default 60 s)... */
  rolloverBeforeMs?: number;
  /** ...and without waiting for a pause this long before it (default 10 s). */
  rolloverForceMs?: number;
  /** Clock in ms (wall-clock epoch: `expires_at` is epoch seconds). */
  now?: () => number;
  /**
   * Why no new session can be opened, if none can (a single-use token already used, docs/service.md#temporary-tokens): then a drop is not
   * retried (`failed` with this error) and a rollover is not attempted (`cannot-renew`: the live session is
   * fine, the run should end it in good order).
   */
  renewal?: (why: 'reconnect' | 'rollover') => AppError | undefined;
  /** Issue 22 (the spool): audio pushed out of the replay bound that no session acknowledged. */
  onLostAudio?: (frames: Buffer[], firstIndex: number) => void;
  /** Issue 22: whether `onLostAudio` keeps what it is given now (the spool has room). */
  keepsLostAudio?: () => boolean;
  /**
   * Issue 22: while this says yes, failed attempts do not count against the budget (`maxAttempts`, or
   * `startAttempts` at the start): the run keeps trying without a limit (the audio is being kept). Once it says
   * no (the spool is full), the budget applies to the attempts already made.
   */
  keepTrying?: (why: 'start' | 'reconnect') => boolean;
}

export type ConnectionEvent =
  | {
      type: 'session';
      sessionId: string;
      expiresAt: number | undefined;
      why: 'start' | 'reconnect' | 'rollover';
      offsetMs: number;
      replayMs: number;
      lostMs: number;
    }
  | { type: 'turn'; sessionId: string; offsetMs: number; turn: TurnMessage }
  /** A session will send no more turns: its held finals can be committed. */
  | { type: 'session-ended'; sessionId: string }
  /** A retry: of the first connection ('start', budget startAttempts) or after a drop ('reconnect', maxAttempts). */
  | { type: 'reconnecting'; why: 'start' | 'reconnect'; attempt: number; maxAttempts: number; delayMs: number; error: AppError }
  | { type: 'warning'; message: string; client?: true }
  /** Speakers of the session's earlier turns settled or changed (docs/service.md#turns). */
  | { type: 'speaker-revision'; sessionId: string; revisions: SpeakerRevisionItem[] }
  /** The session will soon reach its end and no new one can take over (`renewal`): end the run in good order. */
  | { type: 'cannot-renew'; error: AppError }
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
  /**
   * Resolves once no reconnect is under way (a session is open, or the connection gave up or closed): the end
   * of a file waits for it, so the audio held during an outage is replayed, not lost. Bounded by the retry budget.
   */
  settled(): Promise<void>;
  /**
   * Issue 22: the run ends now (a forced stop): with no session, what is held for replay goes to `onLostAudio`
   * (the spool). Nothing while a session is live, or once terminate() or a failure did it.
   */
  releaseUnheard(): void;
  readonly sessionId: string;
  /** The whole run so far, every session counted (the summary; issue 11.7). */
  readonly totals: ConnectionTotals;
  readonly state: 'connecting' | 'open' | 'reconnecting' | 'closed';
  readonly attempt: number;
}

/** Every session of the run together. */
export interface ConnectionTotals {
  sessions: number;
  /** Sessions whose end the service confirmed with Termination. */
  confirmed: number;
  /** Sessions opened after a drop (rollovers are not reconnects). */
  reconnects: number;
  /**
   * Audio the service processed, in s: its own Termination figure for each session that sent one; for a
   * session that dropped, the audio it was sent.
   */
  audioProcessedS: number;
  /** Time the sessions were open, in s (what is billed): the service's figure, else the client's own measure. */
  sessionOpenS: number;
  /** Audio pushed out of the replay bound before a session could take it, in ms: missing from the transcript. */
  lostMs: number;
}

export function defaultBackoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(8000, 250 * 2 ** (attempt - 1));
  return Math.round(base * (0.5 + random() * 0.5));
}

/** The shortest wait before a retry the service asked to be later (3009, HTTP 429). */
export const LATER_MS = 3000;
/** A session that lasted this long resets the reconnect budget. */
export const HEALTHY_MS = 5000;
const DRAIN_TIMEOUT_MS = 5000;
const DRAIN_STEP_MS = 20;
const ROLLOVER_BEFORE_MS = 60_000;
const ROLLOVER_FORCE_MS = 10_000;
/** After a failed rollover, try again this soon. */
const ROLLOVER_RETRY_MS = 2000;
/**
 * A rollover's next session takes over only in a pause: no turn in progress and this much quiet audio last
 * (speech that resumed has no partial yet for a few hundred ms). Quiet: every frame below QUIET_DBFS.
 */
export const HANDOVER_QUIET_MS = 400;
export const QUIET_DBFS = -40;
/** While the next session waits for a pause, look again this often. */
const HANDOVER_CHECK_MS = 50;
/** setTimeout holds at most ~24.8 days; a session never lasts that long (docs/service.md#limits). */
const MAX_TIMER_MS = 2_000_000_000;

/**
 * The connection's states, and the only moves between them (`enter`). `closing`: terminate() is draining
 * and ending the last session (shown as `open`).
 */
type Phase = 'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed';
const TRANSITIONS: Readonly<Record<Phase, readonly Phase[]>> = {
  connecting: ['open', 'closing', 'closed'],
  open: ['open', 'reconnecting', 'closing', 'closed'],
  reconnecting: ['open', 'closing', 'closed'],
  closing: ['closed'],
  closed: [],
};

/** One session on the timeline. */
export interface Live {
  session: Session;
  id: string;
  expiresAt: number | undefined;
  stretch: Stretch;
  openedAt: number;
  ended: boolean;
  /** Counted in the totals (once, when it ended). */
  counted?: boolean;
}

type Why = 'start' | 'reconnect' | 'rollover';
type RetryOutcome = { ok: true } | { ok: false; error: AppError; why: 'stopped' | 'refused' | 'exhausted'; attempts?: number };

const asAppError = (err: unknown): AppError => (err instanceof AppError ? err : new AppError(ErrorCode.network, String(err)));

function gaveUp(last: AppError, attempts: number): AppError {
  return new AppError(last.code, `gave up reconnecting after ${attempts} attempts: ${last.message}`, {
    ...(last.closeCode === undefined ? {} : { closeCode: last.closeCode }),
    hint: last.hint ?? 'check the network connection and try again',
  });
}

interface RolloverParts {
  now: () => number;
  beforeMs: number;
  forceMs: number;
  live: () => Live | undefined;
  stopping: () => boolean;
  /** Opens the next session; it takes over from the live one at the first pause after its Begin. */
  openNext: () => Promise<void>;
  /** The rollover failed after the live session had dropped: an outage. */
  outage: (error: AppError) => void;
  /** Why no next session can be opened, if none can: then the rollover is given up with this error. */
  renewal: () => AppError | undefined;
  cannotRenew: (error: AppError) => void;
}

interface Rollover {
  /** Plans the rollover of a session that just began: in the second half of its last minute. */
  schedule(s: Live): void;
  cancel(): void;
  /** The next session is being opened. */
  readonly opening: boolean;
}

/** Whether a session is so near its end that it is rolled over without waiting for a pause. */
export function rolloverForced(s: Live, nowMs: number, forceMs: number): boolean {
  if (s.expiresAt === undefined) return false;
  const endMs = s.expiresAt * 1000;
  return nowMs >= endMs - Math.min(forceMs, (endMs - s.openedAt) / 4);
}

/** Before `expires_at`, a new session takes over at a pause in speech, or without one near the end (docs/service.md#reconnecting-and-rollover). */
function createRollover(p: RolloverParts): Rollover {
  let timer: NodeJS.Timeout | undefined;
  let wanted = false;
  let opening = false;
  const later = (ms: number, f: () => void): void => {
    clearTimeout(timer);
    timer = setTimeout(f, ms);
    timer.unref?.();
  };
  const due = (): void => {
    const s = p.live();
    if (!wanted || opening || p.stopping() || s === undefined || s.ended || s.expiresAt === undefined) return;
    // Opened at once: its Begin takes ~1.2 s, and it takes over only at a pause after that (awaitPause).
    const cannot = p.renewal();
    if (cannot !== undefined) {
      wanted = false;
      return p.cannotRenew(cannot);
    }
    opening = true;
    p.openNext().then(
      () => {
        opening = false;
        wanted = false;
      },
      (err: unknown) => {
        opening = false;
        if (p.live() === undefined && !p.stopping()) return p.outage(asAppError(err));
        // Could not open the next session: the current one goes on meanwhile.
        later(ROLLOVER_RETRY_MS, due);
      },
    );
  };
  return {
    schedule(s: Live): void {
      clearTimeout(timer);
      if (s.expiresAt === undefined) return;
      // Short sessions (a token's cap) roll over in their second half, not a minute before their end.
      const remaining = s.expiresAt * 1000 - p.now();
      const at = remaining - Math.min(p.beforeMs, remaining / 2);
      if (at > MAX_TIMER_MS) return;
      later(Math.max(0, at), () => {
        wanted = true;
        due();
      });
    },
    cancel: () => clearTimeout(timer),
    get opening() {
      return opening;
    },
  };
}

/** The connection as a state machine: one instance per createConnection, its handle below. */
class ConnectionMachine {
  private readonly now: () => number;
  private readonly maxAttempts: number;
  private readonly backoff: (attempt: number) => number;
  private readonly timeline: Timeline;
  private readonly abort = new AbortController();
  private readonly retiring = new Set<Promise<unknown>>();
  private readonly rollover: Rollover;
  private phase: Phase = 'connecting';
  private live: Live | undefined;
  /** Attempts in the current outage (or at start). */
  attempt = 0;
  /** How long the audio has been quiet (a rollover hands over only in a pause). */
  private quietMs = 0;
  /** A rollover's next session, begun and waiting for a pause to take over. */
  private parked: Session | undefined;
  private readonly forceMs: number;
  private sendTimer: NodeJS.Timeout | undefined;
  private readonly sums: ConnectionTotals = { sessions: 0, confirmed: 0, reconnects: 0, audioProcessedS: 0, sessionOpenS: 0, lostMs: 0 };
  private readonly settledWaiters: (() => void)[] = [];

  constructor(private readonly o: ConnectionOptions) {
    this.now = o.now ?? Date.now;
    this.maxAttempts = o.maxAttempts ?? DEFAULT_RECONNECT_ATTEMPTS;
    this.backoff = o.backoffMs ?? ((n: number) => defaultBackoffMs(n));
    this.timeline = createTimeline({
      frameMs: o.frameMs,
      ...(o.bufferMs === undefined ? {} : { bufferMs: o.bufferMs }),
      ...(o.leadMs === undefined ? {} : { leadMs: o.leadMs }),
      ...(o.onLostAudio === undefined ? {} : { onLost: o.onLostAudio }),
      ...(o.isQuiet === undefined ? {} : { isQuiet: o.isQuiet }),
      ...(o.keepsLostAudio === undefined ? {} : { keepsLost: o.keepsLostAudio }),
    });
    this.forceMs = o.rolloverForceMs ?? ROLLOVER_FORCE_MS;
    this.rollover = createRollover({
      now: this.now,
      beforeMs: o.rolloverBeforeMs ?? ROLLOVER_BEFORE_MS,
      forceMs: this.forceMs,
      live: () => this.live,
      stopping: () => this.stopping(),
      openNext: () => this.openOne('rollover'),
      outage: (error) => this.outage(error),
      renewal: () => o.renewal?.('rollover'),
      cannotRenew: (error) => this.emit({ type: 'cannot-renew', error }),
    });
  }

  get state(): Connection['state'] {
    return this.phase === 'closing' ? 'open' : this.phase;
  }

  get totals(): ConnectionTotals {
    return { ...this.sums };
  }

  /** Adds an ended session to the totals, with the service's Termination figures when there are some. */
  private count(s: Live, result: TerminationResult | undefined): void {
    if (s.counted === true) return;
    s.counted = true;
    const sentS = ((s.stretch.nextIndex - s.stretch.firstIndex) * this.o.frameMs) / 1000;
    if (result?.terminated === true) this.sums.confirmed += 1;
    this.sums.audioProcessedS += result?.audioDurationS ?? sentS;
    this.sums.sessionOpenS += result?.sessionDurationS ?? (this.now() - s.openedAt) / 1000;
  }

  get sessionId(): string {
    return this.live?.id ?? '';
  }

  /** The one place the phase changes; moves not in TRANSITIONS are refused (false). */
  private enter(next: Phase): boolean {
    if (!TRANSITIONS[this.phase].includes(next)) return false;
    this.phase = next;
    if (next !== 'reconnecting' && next !== 'connecting') for (const resolve of this.settledWaiters.splice(0)) resolve();
    return true;
  }

  settled(): Promise<void> {
    if (this.phase !== 'reconnecting' && this.phase !== 'connecting') return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  private stopping(): boolean {
    return this.phase === 'closing' || this.phase === 'closed';
  }

  private emit(e: ConnectionEvent): void {
    this.o.onEvent(e);
  }

  async start(): Promise<void> {
    this.attempt = 0;
    const r = await this.retryLoop('start', this.o.startAttempts ?? DEFAULT_START_ATTEMPTS);
    this.attempt = 0;
    if (r.ok) return;
    this.enter('closed');
    throw r.error;
  }

  push(frame: Buffer): void {
    this.quietMs = (this.o.isQuiet?.(frame) ?? true) ? this.quietMs + this.o.frameMs : 0;
    this.timeline.append(frame);
    if (this.sendTimer === undefined) this.send();
    else this.timeline.trim();
  }

  forceEndpoint(): void {
    if (this.live !== undefined && !this.live.ended) this.live.session.forceEndpoint();
  }

  async terminate(timeoutMs: number): Promise<TerminationResult> {
    this.enter('closing');
    this.stopTimers();
    const s = this.live;
    if (s === undefined || s.ended) {
      this.timeline.releaseUnheard(); // issue 22: the replay buffer goes to the spool too
      this.enter('closed');
      await Promise.all(this.retiring);
      // Stopped during an outage: what the next session would have replayed is never transcribed (issue 19.8).
      const untranscribedMs = this.timeline.untranscribedMs();
      const error = new AppError(ErrorCode.network, 'the connection to the service was lost');
      return { terminated: false, audioDurationS: undefined, sessionDurationS: undefined, error, untranscribedMs };
    }
    await this.drain(s);
    const [result] = await Promise.all([s.session.terminate(timeoutMs), ...this.retiring]);
    this.count(s, result);
    this.enter('closed');
    if (!s.ended) {
      s.ended = true;
      this.emit({ type: 'session-ended', sessionId: s.id });
    }
    return result;
  }

  async close(): Promise<void> {
    this.enter('closed');
    this.stopTimers();
    await Promise.all([this.live?.session.close(), ...this.retiring]);
  }

  private stopTimers(): void {
    if (this.parked !== undefined) this.track(this.parked.close());
    this.abort.abort();
    this.rollover.cancel();
    clearTimeout(this.sendTimer);
  }

  /** Sends what the lead allows to the live session; comes back when the rest may go. */
  private send(): void {
    this.sendTimer = undefined;
    const s = this.live;
    if (s === undefined || s.ended) return this.timeline.trim();
    const batch = this.timeline.take(s.stretch, this.now() - s.openedAt);
    for (const frame of batch.frames) s.session.sendAudio(frame);
    if (batch.waitMs !== undefined) this.sendTimer = setTimeout(() => this.send(), Math.min(1000, Math.max(5, batch.waitMs)));
  }

  /** The backlog (after a reconnect) goes out within the lead, for a bounded time. */
  private async drain(s: Live): Promise<void> {
    const deadline = this.now() + DRAIN_TIMEOUT_MS;
    for (let step = 0; step < DRAIN_TIMEOUT_MS / DRAIN_STEP_MS && !s.ended && this.now() < deadline; step++) {
      this.send();
      if (this.timeline.behind(s.stretch) === 0) break;
      await sleep(DRAIN_STEP_MS);
    }
    clearTimeout(this.sendTimer);
  }

  private onSessionEvent(s: Live, e: SessionEvent): void {
    if (e.type === 'turn') {
      this.timeline.observeTurn(s.stretch, e.turn);
      this.emit({ type: 'turn', sessionId: s.id, offsetMs: s.stretch.firstIndex * this.o.frameMs, turn: e.turn });
    } else if (e.type === 'warning') {
      this.emit(e.client === true ? { type: 'warning', message: e.message, client: true } : { type: 'warning', message: e.message });
    } else if (e.type === 'speaker-revision') {
      this.emit({ type: 'speaker-revision', sessionId: s.id, revisions: e.revisions });
    } else {
      this.sessionEnded(s, e.error);
    }
  }

  /** A session will send no more turns; if it was the live one and ended with an error, that is an outage. */
  private sessionEnded(s: Live, error: AppError | undefined): void {
    if (s.ended) return;
    s.ended = true;
    if (error !== undefined) this.count(s, undefined);
    this.emit({ type: 'session-ended', sessionId: s.id });
    if (s !== this.live || this.stopping() || error === undefined) return;
    this.live = undefined;
    this.timeline.detach();
    this.rollover.cancel();
    if (this.now() - s.openedAt >= HEALTHY_MS) this.attempt = 0;
    // A rollover under way becomes the next session; if it fails, it starts the reconnection itself.
    if (!this.rollover.opening) this.outage(error);
  }

  releaseUnheard(): void {
    if (this.live === undefined || this.live.ended) this.timeline.releaseUnheard();
  }

  private fail(error: AppError): void {
    if (this.stopping()) return;
    // Issue 22: no session will replay what is held (a refused key, the budget spent): it goes to the spool.
    this.releaseUnheard();
    this.enter('closed');
    this.emit({ type: 'failed', error });
  }

  private outage(error: AppError): void {
    if (retryDecision(error) === 'never' || this.maxAttempts === 0) return this.fail(error);
    const cannot = this.o.renewal?.('reconnect');
    if (cannot !== undefined) return this.fail(cannot);
    this.enter('reconnecting');
    void this.retryLoop('reconnect', this.maxAttempts, error).then((r) => {
      if (!r.ok && r.why !== 'stopped') this.fail(r.why === 'exhausted' ? gaveUp(r.error, r.attempts ?? this.maxAttempts) : r.error);
    });
  }

  /**
   * The one retry loop, for the first start and for reconnects: opens sessions until one begins, an error
   * is not worth retrying, the budget is spent, or the connection is being closed.
   */
  private async retryLoop(why: 'start' | 'reconnect', budget: number, first?: AppError): Promise<RetryOutcome> {
    let last = first;
    for (;;) {
      if (this.stopping()) return { ok: false, error: last ?? new AppError(ErrorCode.network, 'connection cancelled'), why: 'stopped' };
      if (last !== undefined) {
        const kind = retryDecision(last);
        if (kind === 'never') return { ok: false, error: last, why: 'refused' };
        // A first connection that is accepted and never answered would only wait again (issue 19.8).
        if (why === 'start' && last instanceof HandshakeTimeoutError) return { ok: false, error: last, why: 'refused' };
        this.attempt += 1;
        const unlimited = this.o.keepTrying?.(why) === true; // issue 22: while the audio is kept
        if (!unlimited && this.attempt > budget) return { ok: false, error: last, why: 'exhausted', attempts: this.attempt - 1 };
        const delayMs = Math.max(this.backoff(this.attempt), kind === 'later' ? LATER_MS : 0);
        this.emit({
          type: 'reconnecting',
          why,
          attempt: this.attempt,
          maxAttempts: unlimited ? Number.POSITIVE_INFINITY : budget,
          delayMs,
          error: last,
        });
        await sleep(delayMs, this.abort.signal);
        if (this.stopping()) continue;
      }
      try {
        await this.openOne(why);
        return { ok: true };
      } catch (err) {
        last = asAppError(err);
      }
    }
  }

  /** Opens a session; on Begin it becomes the live one (start, reconnect) or takes over (rollover). */
  private async openOne(why: Why): Promise<void> {
    let holder: Live | undefined;
    const pending: SessionEvent[] = [];
    const session = await this.o.open({
      onEvent: (e) => (holder === undefined ? pending.push(e) : this.onSessionEvent(holder, e)),
      signal: this.abort.signal,
    });
    if (this.stopping()) return session.close();
    if (why === 'rollover' && this.live !== undefined && !this.live.ended) {
      // The pause that started the rollover may be over by Begin (~1.2 s later): hand over at the next one.
      const endedWith = (): AppError | undefined => pending.find((e): e is Extract<SessionEvent, { type: 'ended' }> => e.type === 'ended')?.error;
      this.parked = session;
      const outcome = await this.awaitPause(this.live, () => endedWith() !== undefined).finally(() => (this.parked = undefined));
      if (outcome !== 'take') {
        this.track(session.close());
        if (outcome === 'stopped') return;
        throw endedWith() ?? new AppError(ErrorCode.network, 'the next session ended before it took over');
      }
    }
    const previous = this.live;
    // Rollover: the new session starts exactly where the old one stops, so no audio is lost or repeated.
    // Otherwise it starts at the first frame not yet acknowledged.
    const takeOver = why === 'rollover' && previous !== undefined && !previous.ended;
    const { stretch, replayMs, lostMs } = this.timeline.begin(takeOver ? 'continue' : 'resume');
    const s: Live = { session, id: session.id, expiresAt: session.expiresAt, stretch, openedAt: this.now(), ended: false };
    holder = s;
    this.live = s;
    this.sums.sessions += 1;
    if (why === 'reconnect') this.sums.reconnects += 1;
    this.sums.lostMs += lostMs;
    if (takeOver) this.retire(previous);
    this.enter('open');
    this.emit({ type: 'session', sessionId: s.id, expiresAt: s.expiresAt, why, offsetMs: stretch.firstIndex * this.o.frameMs, replayMs, lostMs });
    for (const e of pending) this.onSessionEvent(s, e);
    this.rollover.schedule(s);
    this.send();
  }

  /**
   * Waits (bounded by the session's forced rollover) until the live session is in a pause: no turn in progress
   * and the last HANDOVER_QUIET_MS of audio quiet. 'take' also when the live session dropped meanwhile.
   */
  private async awaitPause(live: Live, ended: () => boolean): Promise<'take' | 'stopped' | 'failed'> {
    for (;;) {
      if (this.stopping()) return 'stopped';
      if (ended()) return 'failed';
      if (live.ended || live !== this.live) return 'take';
      if (rolloverForced(live, this.now(), this.forceMs)) return 'take';
      if (!this.timeline.turnInProgress && this.quietMs >= HANDOVER_QUIET_MS) return 'take';
      await sleep(HANDOVER_CHECK_MS, this.abort.signal);
    }
  }

  /** The old session of a rollover gets no more audio; Terminate flushes its turns, and it is never replayed. */
  private retire(previous: Live): void {
    this.track(
      previous.session.terminate(DRAIN_TIMEOUT_MS).then((result) => {
        this.count(previous, result);
        this.sessionEnded(previous, undefined);
      }),
    );
  }

  /** A session being ended: terminate() waits for it. */
  private track(done: Promise<unknown>): void {
    this.retiring.add(done);
    void done.finally(() => this.retiring.delete(done));
  }
}

export function createConnection(o: ConnectionOptions): Connection {
  const m = new ConnectionMachine(o);
  return {
    start: () => m.start(),
    push: (frame) => m.push(frame),
    forceEndpoint: () => m.forceEndpoint(),
    terminate: (timeoutMs) => m.terminate(timeoutMs),
    close: () => m.close(),
    settled: () => m.settled(),
    releaseUnheard: () => m.releaseUnheard(),
    get sessionId() {
      return m.sessionId;
    },
    get state() {
      return m.state;
    },
    get totals() {
      return m.totals;
    },
    get attempt() {
      return m.attempt;
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
