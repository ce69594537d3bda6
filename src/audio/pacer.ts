/**
 * Sends frames of recorded audio (files, standard input) no faster than real time: frame i leaves at
 * start + i x frameMs, on a drift-free schedule (docs/service.md#audio, docs/service.md#limits: audio sent faster is refused).
 * A live microphone needs no pacer: it is real time already.
 */

export interface PacerOptions {
  frameMs: number;
  send: (frame: Buffer) => void;
  /** Called when the queue falls to `lowWater` frames, so the reader can resume. */
  onLow?: () => void;
  lowWater?: number;
  now?: () => number;
}

export interface Pacer {
  push(frame: Buffer): void;
  /** Frames waiting to be sent. */
  readonly queued: number;
  /** Resolves when every pushed frame has been sent. */
  drained(): Promise<void>;
  /** Holds the queue (pause); release() goes on from there without a burst. */
  hold(): void;
  release(): void;
  /** Drops what is queued and stops the schedule. */
  stop(): void;
}

export function createPacer(o: PacerOptions): Pacer {
  const now = o.now ?? (() => performance.now());
  const lowWater = o.lowWater ?? 10;
  const queue: Buffer[] = [];
  let head = 0;
  let startedAt: number | undefined;
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  let waiters: (() => void)[] = [];
  let stopped = false;
  let held = false;

  const settle = (): void => {
    if (head < queue.length) return;
    queue.length = 0;
    head = 0;
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
  };

  const pump = (): void => {
    timer = undefined;
    if (stopped || held) return;
    const before = queue.length - head;
    while (head < queue.length) {
      startedAt ??= now();
      const due = startedAt + sent * o.frameMs;
      const wait = due - now();
      if (wait > 0) {
        timer = setTimeout(pump, wait);
        break;
      }
      const frame = queue[head]!;
      head += 1;
      sent += 1;
      o.send(frame);
    }
    if (head > 256) {
      // Keep the array small over hours of audio.
      queue.splice(0, head);
      head = 0;
    }
    const after = queue.length - head;
    if (before > lowWater && after <= lowWater) o.onLow?.();
    settle();
  };

  return {
    push(frame: Buffer): void {
      if (stopped) return;
      queue.push(frame);
      if (timer === undefined) pump();
    },
    get queued() {
      return queue.length - head;
    },
    drained(): Promise<void> {
      if (stopped || head >= queue.length) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    hold(): void {
      held = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
    release(): void {
      if (!held) return;
      held = false;
      // Re-base the schedule: the time held is not owed as a burst.
      if (startedAt !== undefined) startedAt = now() - sent * o.frameMs;
      pump();
    },
    stop(): void {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      queue.length = 0;
      head = 0;
      settle();
    },
  };
}
