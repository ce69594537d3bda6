/**
 * The replay timeline of a transcription that outlives its sessions (docs/service.md#audio, docs/service.md#reconnecting-and-rollover). Frames are
 * appended with absolute indexes; each session gets a stretch of them. The acknowledged point says what the
 * service has transcribed (a final's end; with no turn in progress, all but the last few seconds sent); what
 * lies after it is replayed to the next session, within a bound (oldest dropped first, the loss reported) and
 * never more than a set lead ahead of real time. Pure: no timers, no sockets; the caller brings the clock.
 */
import { GAP_PAUSE_MS, GAP_PAUSE_SEARCH_MS, pauseBoundary } from './gap-boundary.js';
import type { TurnMessage } from './protocol.js';

export interface TimelineOptions {
  frameMs: number;
  /** Audio kept for replay; beyond it the oldest goes first (default 120 s). */
  bufferMs?: number;
  /** How far a session may be ahead of real time while audio is replayed (default 8 s). */
  leadMs?: number;
  /** Issue 22 (the spool): unacknowledged frames pushed out of the bound, before they are dropped. */
  onLost?: (frames: Buffer[], firstIndex: number) => void;
  /**
   * Issue 22: whether a frame is quiet. With it, a session that resumes after a spooled gap starts its replay
   * at the first pause (gap-boundary.ts): the audio up to it goes to `onLost` with the rest of the gap.
   */
  isQuiet?: (frame: Buffer) => boolean;
  /** Whether `onLost` keeps what it is given now (the spool has room); default yes. */
  keepsLost?: () => boolean;
}

/** The part of the timeline given to one session: from `firstIndex`, sent up to (not including) `nextIndex`. */
export interface Stretch {
  readonly firstIndex: number;
  readonly nextIndex: number;
}

/** A new session's place on the timeline, with what it replays and what was lost since the last report. */
export interface Opening {
  stretch: Stretch;
  replayMs: number;
  lostMs: number;
}

/** What may be sent now, and how long to wait before the rest (undefined: nothing is held back). */
export interface Batch {
  frames: Buffer[];
  waitMs: number | undefined;
}

export interface Timeline {
  readonly frameMs: number;
  /** Absolute index of the oldest frame held. */
  readonly base: number;
  /** Absolute index the next appended frame gets. */
  readonly end: number;
  /** Frames below this index are transcribed (or silence long passed): never replayed. */
  readonly ackIndex: number;
  readonly turnInProgress: boolean;
  /** Adds one frame; returns its absolute index. */
  append(frame: Buffer): number;
  /**
   * Gives a new session its stretch and makes it the current one. `resume` (start, reconnect): from the first
   * frame not acknowledged. `continue` (rollover): exactly where the current stretch stops, which is then
   * taken as acknowledged (the old session finishes it).
   */
  begin(how: 'resume' | 'continue'): Opening;
  /** No session is current any more (it dropped): nothing is acknowledged as sent until the next begins. */
  detach(): void;
  /** Moves the acknowledged point for a turn of the current session; turns of any other stretch are ignored. */
  observeTurn(stretch: Stretch, turn: TurnMessage): void;
  /** The frames of the current stretch that may be sent now, `elapsedMs` after its session opened. */
  take(stretch: Stretch, elapsedMs: number): Batch;
  /** Frames not yet sent to this stretch. */
  behind(stretch: Stretch): number;
  /** Drops what is acknowledged, and beyond the bound the oldest (counted as lost if not acknowledged). */
  trim(): void;
  /** Audio not acknowledged (held for a next session, or lost past the bound and not yet reported), in ms. */
  untranscribedMs(): number;
  /**
   * Issue 22: the run ends with no session to replay into: every frame held that is not acknowledged is
   * handed to `onLost` (counted as lost), so what is in the replay buffer reaches the spool too.
   */
  releaseUnheard(): void;
}

/** With no turn in progress, audio older than this is taken as heard (silence the service passed over). */
export const IDLE_ACK_MARGIN_MS = 3000;
/** A partial's first word may start up to ~1 s early (it absorbs silence, docs/service.md#turns): replay from before it. */
export const TURN_START_MARGIN_MS = 1000;
export const DEFAULT_BUFFER_MS = 120_000;
export const DEFAULT_LEAD_MS = 8000;
/** Dropping frames copies the array: do it in batches. */
const DROP_BATCH = 64;

interface MutableStretch {
  firstIndex: number;
  nextIndex: number;
}

/**
 * How long to wait before frame `nextIndex` of a stretch may go: 0 when it stays within `leadMs` of real
 * time (the session's audio clock is `(frames sent) * frameMs`, its real clock `elapsedMs`).
 */
export function leadWaitMs(stretch: Stretch, elapsedMs: number, frameMs: number, leadMs: number): number {
  const aheadMs = (stretch.nextIndex - stretch.firstIndex + 1) * frameMs - elapsedMs;
  return aheadMs > leadMs ? aheadMs - leadMs : 0;
}

export function createTimeline(o: TimelineOptions): Timeline {
  return new ReplayTimeline(o);
}

class ReplayTimeline implements Timeline {
  readonly frameMs: number;
  private readonly bufferFrames: number;
  private readonly leadMs: number;
  /** frames[i] is absolute frame base + i. */
  private frames: Buffer[] = [];
  base = 0;
  /** Frames below this are gone (pushed out of the bound), even while still held until a batch is dropped. */
  private floor = 0;
  ackIndex = 0;
  turnInProgress = false;
  private turnStartIndex = 0;
  private lostFrames = 0;
  private reportedLost = 0;
  private current: MutableStretch | undefined;
  private readonly onLost: TimelineOptions['onLost'];
  private readonly isQuiet: TimelineOptions['isQuiet'];
  private readonly keepsLost: () => boolean;
  /** A pause, in frames (0 without isQuiet). */
  private readonly pauseFrames: number;

  constructor(o: TimelineOptions) {
    this.onLost = o.onLost;
    this.isQuiet = o.isQuiet;
    this.keepsLost = o.keepsLost ?? (() => true);
    this.pauseFrames = o.isQuiet === undefined ? 0 : Math.ceil(GAP_PAUSE_MS / o.frameMs);
    this.frameMs = o.frameMs;
    this.bufferFrames = Math.max(1, Math.round((o.bufferMs ?? DEFAULT_BUFFER_MS) / o.frameMs));
    this.leadMs = o.leadMs ?? DEFAULT_LEAD_MS;
  }

  get end(): number {
    return this.base + this.frames.length;
  }

  private msToFrames(ms: number): number {
    return Math.floor(ms / this.frameMs);
  }

  private acknowledge(index: number): void {
    this.ackIndex = Math.max(this.ackIndex, index);
  }

  append(frame: Buffer): number {
    this.frames.push(frame);
    return this.end - 1;
  }

  trim(): void {
    const current = this.current;
    if (!this.turnInProgress && current !== undefined) this.acknowledge(current.nextIndex - this.msToFrames(IDLE_ACK_MARGIN_MS));
    // Never drop what the current session has not been sent yet.
    let keepFrom = Math.min(this.ackIndex, current?.nextIndex ?? this.ackIndex);
    if (this.end - keepFrom > this.bufferFrames) {
      const from = this.end - this.bufferFrames;
      // Unacknowledged audio pushed out of the bound is lost (counted once: below the floor it is gone).
      const lostFrom = Math.max(keepFrom, this.ackIndex, this.floor);
      this.lostFrames += Math.max(0, from - lostFrom);
      // The spool gets what no session was sent: audio sent to the live session is the service's to transcribe.
      const spoolFrom = current === undefined ? lostFrom : Math.max(lostFrom, current.nextIndex);
      if (from > spoolFrom) this.onLost?.(this.frames.slice(spoolFrom - this.base, from - this.base), spoolFrom);
      this.floor = Math.max(this.floor, from);
      keepFrom = from;
    }
    // With isQuiet, a pause's worth of frames stays held behind: afterGap looks back at them.
    const drop = Math.min(this.frames.length, Math.max(0, keepFrom - this.pauseFrames - this.base));
    if (drop > DROP_BATCH || drop === this.frames.length) {
      this.frames = this.frames.slice(drop);
      this.base += drop;
    }
  }

  untranscribedMs(): number {
    const held = Math.max(0, this.end - Math.max(this.ackIndex, this.floor, this.base));
    return (held + this.lostFrames - this.reportedLost) * this.frameMs;
  }

  releaseUnheard(): void {
    if (this.current !== undefined) return;
    const from = Math.max(this.ackIndex, this.floor, this.base);
    if (this.end <= from) return;
    this.lostFrames += this.end - from;
    this.onLost?.(this.frames.slice(from - this.base), from);
    this.floor = this.end;
  }

  begin(how: 'resume' | 'continue'): Opening {
    let firstIndex: number;
    if (how === 'continue' && this.current !== undefined) {
      firstIndex = this.current.nextIndex;
      this.acknowledge(firstIndex);
    } else {
      firstIndex = this.afterGap(Math.min(Math.max(this.ackIndex, this.floor, this.base), this.end));
      this.turnInProgress = false;
    }
    this.current = { firstIndex, nextIndex: firstIndex };
    const lostMs = (this.lostFrames - this.reportedLost) * this.frameMs;
    this.reportedLost = this.lostFrames;
    return { stretch: this.current, replayMs: (this.end - firstIndex) * this.frameMs, lostMs };
  }

  /**
   * A resume right after a spooled gap (the replay starts at the bound, past anything acknowledged): the start
   * moves to the first pause, the audio before it handed to `onLost` (the gap's file ends in the pause too).
   */
  private afterGap(from: number): number {
    const isQuiet = this.isQuiet;
    if (isQuiet === undefined || this.onLost === undefined || from !== this.floor || from <= this.ackIndex || from < this.base) return from;
    if (!this.keepsLost()) return from;
    const to = Math.min(this.end, from + this.msToFrames(GAP_PAUSE_SEARCH_MS));
    const cut = pauseBoundary((i) => isQuiet(this.frames[i - this.base]!), from, to, this.pauseFrames, this.base);
    if (cut === undefined || cut <= from) return from;
    this.onLost(this.frames.slice(from - this.base, cut - this.base), from);
    this.lostFrames += cut - from;
    this.floor = cut;
    return cut;
  }

  detach(): void {
    this.current = undefined;
  }

  observeTurn(stretch: Stretch, turn: TurnMessage): void {
    if (stretch !== this.current) return;
    const last = turn.words[turn.words.length - 1];
    const first = turn.words[0];
    // Never past what this session was actually sent, whatever times the service reports.
    const sent = (ms: number): number => Math.min(stretch.firstIndex + this.msToFrames(ms), stretch.nextIndex);
    if (turn.endOfTurn) {
      this.turnInProgress = false;
      if (last !== undefined) this.acknowledge(sent(last.endMs));
    } else if (first !== undefined) {
      if (!this.turnInProgress) this.turnStartIndex = sent(Math.max(0, first.startMs - TURN_START_MARGIN_MS));
      this.turnInProgress = true;
      this.acknowledge(Math.min(this.turnStartIndex, stretch.nextIndex));
    }
  }

  take(stretch: Stretch, elapsedMs: number): Batch {
    const out: Buffer[] = [];
    const s = this.current;
    if (stretch !== s || s === undefined) return { frames: out, waitMs: undefined };
    s.nextIndex = Math.max(s.nextIndex, this.floor, this.base);
    while (s.nextIndex < this.end) {
      const waitMs = leadWaitMs(s, elapsedMs, this.frameMs, this.leadMs);
      if (waitMs > 0) return { frames: out, waitMs };
      out.push(this.frames[s.nextIndex - this.base]!);
      s.nextIndex += 1;
    }
    this.trim();
    return { frames: out, waitMs: undefined };
  }

  behind(stretch: Stretch): number {
    return Math.max(0, this.end - Math.max(stretch.nextIndex, this.floor, this.base));
  }
}
