/**
 * One transcript from several sources (issue 13): the final turns of every source, released in the order
 * they were spoken, by their times on the run's timeline, not by when they arrive. A pure state machine:
 * the caller feeds what each source reports and emits what comes out; time comes from an injected clock.
 *
 * A turn of source S starting at t is released once no other source can still produce a turn that starts
 * before it: each other source has ended, or has a turn in progress that starts after t, or (no turn in
 * progress) has sent audio past t + lagMs. A turn is never held longer than maxHoldMs, so a stalled source
 * (reconnecting, or its service late) cannot hold the transcript: past that bound the order is by arrival.
 */

export interface MergeItem<T> {
  /** Which source said it (one of TurnMergerOptions.sources). */
  source: string;
  /** Its audio on the run's timeline (ms). */
  startMs: number;
  endMs: number;
  value: T;
}

export interface MergeResult<T> {
  /** To write now, in order. */
  released: MergeItem<T>[];
  /** Taken out by the `drop` filter (an echo, say), in order. */
  dropped: MergeItem<T>[];
}

export interface TurnMergerOptions<T> {
  /** Every source of the run, from the start: one not heard from yet holds the others. */
  sources: readonly string[];
  /** Milliseconds of a monotonic clock. */
  now: () => number;
  /** The longest a turn is held waiting for the other sources (default 3000 ms). */
  maxHoldMs?: number;
  /** How long after audio is sent a turn in it may still start, unseen (default 1000 ms: a turn's first partial comes some hundreds of ms after its first word). */
  lagMs?: number;
  /**
   * With a `drop` filter: a turn also waits for another source's turn in progress that starts before its
   * own end plus this margin, so that the filter sees both (an echo overlaps what it repeats).
   */
  overlapMs?: number;
  /** Decides, as a turn is released, to drop it instead; `others` are the other sources' turns held or lately released. */
  drop?: (item: MergeItem<T>, others: readonly MergeItem<T>[]) => boolean;
}

export interface TurnMerger<T> {
  /** A final turn of its source. It also means that source's audio was heard through its end. */
  final(item: MergeItem<T>): MergeResult<T>;
  /** Audio of `source` sent through `sentMs` of the run's timeline. */
  progress(source: string, sentMs: number): MergeResult<T>;
  /**
   * A turn of `source` is in progress since `startMs` (its first word), or none is (undefined). Call it
   * after the turns before it went to final() (the assembler commits a held final before the next partial).
   */
  open(source: string, startMs: number | undefined): MergeResult<T>;
  /** `source` will report nothing more (ended, failed, stopped): it holds nothing from now on. */
  end(source: string): MergeResult<T>;
  /** Releases the turns held for maxHoldMs; call it at nextDeadlineMs(). */
  tick(): MergeResult<T>;
  /** Releases everything held, in order (the run is ending). */
  flush(): MergeResult<T>;
  /** When the next held turn reaches maxHoldMs (on the `now` clock), or undefined when none is held. */
  nextDeadlineMs(): number | undefined;
  readonly held: number;
}

export const DEFAULT_MAX_HOLD_MS = 3000;
export const DEFAULT_LAG_MS = 1000;
/** Released turns kept for the drop filter's `others`. */
const RECENT_KEPT = 32;

interface SourceState {
  /** No turn will start before this (ms). */
  watermarkMs: number;
  openStartMs: number | undefined;
  ended: boolean;
}

interface Held<T> {
  item: MergeItem<T>;
  seq: number;
  heldSinceMs: number;
}

export function createTurnMerger<T>(o: TurnMergerOptions<T>): TurnMerger<T> {
  const maxHoldMs = o.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
  const lagMs = o.lagMs ?? DEFAULT_LAG_MS;
  const states = new Map<string, SourceState>(
    o.sources.map((s) => [s, { watermarkMs: Number.NEGATIVE_INFINITY, openStartMs: undefined, ended: false }]),
  );
  const held: Held<T>[] = [];
  let recent: MergeItem<T>[] = [];
  let seq = 0;

  const stateOf = (source: string): SourceState => {
    const s = states.get(source);
    if (s === undefined) throw new Error(`unknown source ${source}: give every source to createTurnMerger`);
    return s;
  };

  const blocked = (item: MergeItem<T>): boolean => {
    const openLimit = o.drop !== undefined && o.overlapMs !== undefined ? item.endMs + o.overlapMs : item.startMs;
    for (const [source, s] of states) {
      if (source === item.source || s.ended) continue;
      if (s.openStartMs !== undefined ? s.openStartMs <= openLimit : s.watermarkMs < item.startMs) return true;
    }
    return false;
  };

  const take = (count: number, out: MergeResult<T>): void => {
    for (const { item } of held.splice(0, count)) {
      const others = [...recent, ...held.map((h) => h.item)].filter((x) => x.source !== item.source);
      if (o.drop?.(item, others) === true) {
        out.dropped.push(item);
        continue;
      }
      out.released.push(item);
      recent.push(item);
    }
    if (recent.length > RECENT_KEPT) recent = recent.slice(-RECENT_KEPT);
  };

  const release = (all = false): MergeResult<T> => {
    const out: MergeResult<T> = { released: [], dropped: [] };
    const now = o.now();
    // Everything up to the last turn held too long goes, in order: it was spoken before that one.
    let expired = -1;
    held.forEach((h, i) => {
      if (all || now - h.heldSinceMs >= maxHoldMs) expired = i;
    });
    take(expired + 1, out);
    while (held[0] !== undefined && !blocked(held[0].item)) take(1, out);
    return out;
  };

  return {
    final(item) {
      const s = stateOf(item.source);
      s.watermarkMs = Math.max(s.watermarkMs, item.endMs);
      s.openStartMs = undefined;
      held.push({ item, seq: seq++, heldSinceMs: o.now() });
      held.sort((a, b) => a.item.startMs - b.item.startMs || a.seq - b.seq);
      return release();
    },
    progress(source, sentMs) {
      const s = stateOf(source);
      s.watermarkMs = Math.max(s.watermarkMs, sentMs - lagMs);
      return release();
    },
    open(source, startMs) {
      const s = stateOf(source);
      s.openStartMs = startMs;
      if (startMs !== undefined) s.watermarkMs = Math.max(s.watermarkMs, startMs);
      return release();
    },
    end(source) {
      stateOf(source).ended = true;
      return release();
    },
    tick: () => release(),
    flush: () => release(true),
    nextDeadlineMs: () => (held.length === 0 ? undefined : Math.min(...held.map((h) => h.heldSinceMs)) + maxHoldMs),
    get held() {
      return held.length;
    },
  };
}
