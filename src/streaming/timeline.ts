/**
 * The replay timeline of a transcription that outlives its sessions (PROTOCOL.md §4.1, §7). Frames are
 * appended with absolute indexes; each session gets a stretch of them. The acknowledged point says what the
 * service has transcribed (a final's end; with no turn in progress, all but the last few seconds sent); what
 * lies after it is replayed to the next session, within a bound (oldest dropped first, the loss reported) and
 * never more than a set lead ahead of real time. Pure: no timers, no sockets; the caller brings the clock.
 */
import type { TurnMessage } from './protocol.js';

export interface TimelineOptions {
  frameMs: number;
  /** Audio kept for replay; beyond it the oldest goes first (default 120 s). */
  bufferMs?: number;
  /** How far a session may be ahead of real time while audio is replayed (default 8 s). */
  leadMs?: number;
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
}

/** With no turn in progress, audio older than this is taken as heard (silence the service passed over). */
export const IDLE_ACK_MARGIN_MS = 3000;
/** A partial's first word may start up to ~1 s early (it absorbs silence, §3.2): replay from before it. */
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
  const { frameMs } = o;
  const bufferFrames = Math.max(1, Math.round((o.bufferMs ?? DEFAULT_BUFFER_MS) / frameMs));
  const leadMs = o.leadMs ?? DEFAULT_LEAD_MS;
  const msToFrames = (ms: number): number => Math.floor(ms / frameMs);
  // frames[i] is absolute frame base + i.
  let frames: Buffer[] = [];
  let base = 0;
  /** Frames below this are gone (pushed out of the bound), even while still held until a batch is dropped. */
  let floor = 0;
  let ackIndex = 0;
  let turnInProgress = false;
  let turnStartIndex = 0;
  let lostFrames = 0;
  let reportedLost = 0;
  let current: MutableStretch | undefined;
  const end = (): number => base + frames.length;
  const acknowledge = (index: number): void => {
    ackIndex = Math.max(ackIndex, index);
  };

  const trim = (): void => {
    if (!turnInProgress && current !== undefined) acknowledge(current.nextIndex - msToFrames(IDLE_ACK_MARGIN_MS));
    // Never drop what the current session has not been sent yet.
    let keepFrom = Math.min(ackIndex, current?.nextIndex ?? ackIndex);
    if (end() - keepFrom > bufferFrames) {
      const from = end() - bufferFrames;
      // Unacknowledged audio pushed out of the bound is lost (counted once: below the floor it is gone).
      lostFrames += Math.max(0, from - Math.max(keepFrom, ackIndex, floor));
      floor = Math.max(floor, from);
      keepFrom = from;
    }
    const drop = Math.min(frames.length, Math.max(0, keepFrom - base));
    if (drop > DROP_BATCH || drop === frames.length) {
      frames = frames.slice(drop);
      base += drop;
    }
  };

  const begin = (how: 'resume' | 'continue'): Opening => {
    let firstIndex: number;
    if (how === 'continue' && current !== undefined) {
      firstIndex = current.nextIndex;
      acknowledge(firstIndex);
    } else {
      firstIndex = Math.min(Math.max(ackIndex, floor, base), end());
      turnInProgress = false;
    }
    current = { firstIndex, nextIndex: firstIndex };
    const lostMs = (lostFrames - reportedLost) * frameMs;
    reportedLost = lostFrames;
    return { stretch: current, replayMs: (end() - firstIndex) * frameMs, lostMs };
  };

  const observeTurn = (stretch: Stretch, turn: TurnMessage): void => {
    if (stretch !== current) return;
    const last = turn.words[turn.words.length - 1];
    const first = turn.words[0];
    // Never past what this session was actually sent, whatever times the service reports.
    const sent = (ms: number): number => Math.min(stretch.firstIndex + msToFrames(ms), stretch.nextIndex);
    if (turn.endOfTurn) {
      turnInProgress = false;
      if (last !== undefined) acknowledge(sent(last.endMs));
    } else if (first !== undefined) {
      if (!turnInProgress) turnStartIndex = sent(Math.max(0, first.startMs - TURN_START_MARGIN_MS));
      turnInProgress = true;
      acknowledge(Math.min(turnStartIndex, stretch.nextIndex));
    }
  };

  const take = (stretch: Stretch, elapsedMs: number): Batch => {
    const out: Buffer[] = [];
    if (stretch !== current) return { frames: out, waitMs: undefined };
    const s = current;
    s.nextIndex = Math.max(s.nextIndex, floor, base);
    while (s.nextIndex < end()) {
      const waitMs = leadWaitMs(s, elapsedMs, frameMs, leadMs);
      if (waitMs > 0) return { frames: out, waitMs };
      out.push(frames[s.nextIndex - base]!);
      s.nextIndex += 1;
    }
    trim();
    return { frames: out, waitMs: undefined };
  };

  return {
    frameMs,
    get base() {
      return base;
    },
    get end() {
      return end();
    },
    get ackIndex() {
      return ackIndex;
    },
    get turnInProgress() {
      return turnInProgress;
    },
    append(frame: Buffer): number {
      frames.push(frame);
      return end() - 1;
    },
    begin,
    detach(): void {
      current = undefined;
    },
    observeTurn,
    take,
    behind: (stretch) => Math.max(0, end() - Math.max(stretch.nextIndex, floor, base)),
    trim,
  };
}
