/**
 * The connection through its injected edges: `open` hands out fake sessions driven by hand, the clock and the
 * timers are vitest's fakes (so every wait is stepped, never slept), and the backoff is chosen per test.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createConnection,
  HANDOVER_QUIET_MS,
  LATER_MS,
  type Connection,
  type ConnectionEvent,
  type ConnectionOptions,
} from '../../../src/streaming/connection.js';
import { describeHttpRejection, describeServerError, type TurnMessage } from '../../../src/streaming/protocol.js';
import type { Session, SessionEvent, TerminationResult } from '../../../src/streaming/session.js';
import { AppError, ErrorCode } from '../../../src/core/errors.js';
import { HandshakeTimeoutError } from '../../../src/streaming/close-codes.js';

const FRAME_MS = 50;
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

class FakeSession implements Session {
  readonly sent: Buffer[] = [];
  terminated = false;
  closed = false;
  constructor(
    readonly id: string,
    readonly expiresAt: number | undefined,
    private readonly onEvent: (e: SessionEvent) => void,
  ) {}
  sendAudio(frame: Buffer): void {
    if (!this.terminated && !this.closed) this.sent.push(frame);
  }
  forceEndpoint(): void {}
  terminate(): Promise<TerminationResult> {
    this.terminated = true;
    return Promise.resolve({ terminated: true, audioDurationS: undefined, sessionDurationS: undefined });
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
  /** The absolute frame indexes this session received (frames carry their index). */
  indexes(): number[] {
    return this.sent.map((f) => f.readUInt32LE(0));
  }
  turn(turn: TurnMessage): void {
    this.onEvent({ type: 'turn', turn });
  }
  drop(error: AppError): void {
    this.onEvent({ type: 'ended', error });
  }
  emit(e: SessionEvent): void {
    this.onEvent(e);
  }
}

/** One call of `open`: the test lets it begin or refuses it. */
interface Attempt {
  begin(expiresAt?: number): FakeSession;
  refuse(error: AppError): void;
}

function harness(options: Partial<ConnectionOptions> = {}) {
  const attempts: Attempt[] = [];
  const events: ConnectionEvent[] = [];
  let pushed = 0;
  const conn: Connection = createConnection({
    frameMs: FRAME_MS,
    backoffMs: () => 10,
    // pushLoud's frames carry a sample at byte 4; push's are zero there.
    isQuiet: (frame) => frame.length < 6 || frame.readInt16LE(4) === 0,
    now: () => Date.now(),
    onEvent: (e) => events.push(e),
    open: ({ onEvent }) =>
      new Promise<Session>((resolve, reject) => {
        attempts.push({
          begin(expiresAt) {
            const s = new FakeSession(`s${attempts.length}`, expiresAt, onEvent);
            resolve(s);
            return s;
          },
          refuse: reject,
        });
      }),
    ...options,
  });
  return {
    conn,
    events,
    attempts,
    /** The n-th (0-based) call of open, once it has happened. */
    attempt(n: number): Attempt {
      const a = attempts[n];
      if (a === undefined) throw new Error(`open was called ${attempts.length} times, not ${n + 1}`);
      return a;
    },
    /** Frames in real time: the clock moves one frame per frame (timers due meanwhile fire). */
    async push(n: number): Promise<void> {
      for (let i = 0; i < n; i++) {
        const frame = Buffer.alloc(8);
        frame.writeUInt32LE(pushed++, 0);
        conn.push(frame);
        await vi.advanceTimersByTimeAsync(FRAME_MS);
      }
    },
    /** Like push, with loud frames (speech: the rollover must not hand over in it). */
    async pushLoud(n: number): Promise<void> {
      for (let i = 0; i < n; i++) {
        const frame = Buffer.alloc(8);
        frame.writeUInt32LE(pushed++, 0);
        frame.writeInt16LE(20_000, 4);
        frame.writeInt16LE(-20_000, 6);
        conn.push(frame);
        await vi.advanceTimersByTimeAsync(FRAME_MS);
      }
    },
    of<T extends ConnectionEvent['type']>(type: T): Extract<ConnectionEvent, { type: T }>[] {
      return events.filter((e): e is Extract<ConnectionEvent, { type: T }> => e.type === type);
    },
  };
}

/** Lets pending promise chains and timers due now run. */
const settle = (ms = 0): Promise<unknown> => vi.advanceTimersByTimeAsync(ms);

const partial = (startMs: number): TurnMessage => ({
  type: 'Turn',
  turnOrder: 0,
  endOfTurn: false,
  formatted: false,
  transcript: 'so',
  endOfTurnConfidence: 0,
  words: [{ text: 'so', startMs, endMs: startMs + 200, confidence: 0.9, final: false }],
});
const final = (startMs: number, endMs: number): TurnMessage => ({
  ...partial(startMs),
  endOfTurn: true,
  transcript: 'so there',
  words: [
    { text: 'so', startMs, endMs: startMs + 200, confidence: 0.9, final: true },
    { text: 'there', startMs: endMs - 200, endMs, confidence: 0.9, final: true },
  ],
});
const lost = (): AppError => new AppError(ErrorCode.network, 'the connection to the service was lost', { closeCode: 1006 });

/** A connection with its first session begun. */
async function started(options: Partial<ConnectionOptions> = {}, expiresAt?: number) {
  const h = harness(options);
  const starting = h.conn.start();
  await settle();
  const first = h.attempt(0).begin(expiresAt);
  await starting;
  return { ...h, first };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createConnection: start', () => {
  it('resolves on the first Begin and sends the audio to that session', async () => {
    const h = await started();
    await h.push(10);
    expect(h.conn.state).toBe('open');
    expect(h.conn.sessionId).toBe('s1');
    expect(h.first.indexes()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(h.of('session')).toEqual([{ type: 'session', sessionId: 's1', expiresAt: undefined, why: 'start', offsetMs: 0, replayMs: 0, lostMs: 0 }]);
  });

  it('a drop before Begin is retried within the start budget', async () => {
    const h = harness({ startAttempts: 2 });
    const starting = h.conn.start();
    await settle();
    h.attempt(0).refuse(lost());
    await settle(10);
    h.attempt(1).refuse(lost());
    await settle(10);
    h.attempt(2).begin();
    await starting;
    expect(h.of('reconnecting').map((e) => [e.attempt, e.maxAttempts])).toEqual([
      [1, 2],
      [2, 2],
    ]);
    expect(h.conn.state).toBe('open');
  });

  it('a first handshake that times out (accepted, never answered) is not retried (issue 19.8)', async () => {
    const h = harness({ startAttempts: 2 });
    const starting = h.conn.start();
    const failed = expect(starting).rejects.toBeInstanceOf(HandshakeTimeoutError);
    await settle();
    h.attempt(0).refuse(new HandshakeTimeoutError(5, undefined));
    await failed;
    expect(h.attempts).toHaveLength(1);
    expect(h.of('reconnecting')).toEqual([]);
  });

  it('after a drop, a handshake timeout is retried like any outage', async () => {
    const h = await started();
    h.first.drop(lost());
    await settle(10);
    h.attempt(1).refuse(new HandshakeTimeoutError(5, undefined));
    await settle(10);
    h.attempt(2).begin();
    await settle();
    expect(h.conn.state).toBe('open');
  });

  it('rejects with the last error once the start budget is spent', async () => {
    const h = harness({ startAttempts: 1 });
    const starting = h.conn.start();
    const outcome = starting.then(
      () => 'started',
      (e: unknown) => e,
    );
    await settle();
    h.attempt(0).refuse(lost());
    await settle(10);
    h.attempt(1).refuse(new AppError(ErrorCode.network, 'the service refused the connection'));
    expect(await outcome).toMatchObject({ message: 'the service refused the connection' });
    expect(h.attempts).toHaveLength(2);
    expect(h.conn.state).toBe('closed');
  });
});

describe('createConnection: reconnects', () => {
  it('a drop mid-turn replays from a second before the turn started', async () => {
    const h = await started();
    await h.push(100); // 5 s
    h.first.turn(partial(3000)); // the turn starts at frame 60: replay from frame 40
    await h.push(20);
    h.first.drop(lost());
    await settle();
    expect(h.conn.state).toBe('reconnecting');
    expect(h.of('session-ended')).toEqual([{ type: 'session-ended', sessionId: 's1' }]);
    await settle(10);
    const second = h.attempt(1).begin();
    await settle();
    expect(h.of('session')[1]).toEqual({
      type: 'session',
      sessionId: 's2',
      expiresAt: undefined,
      why: 'reconnect',
      offsetMs: 40 * FRAME_MS,
      replayMs: 80 * FRAME_MS,
      lostMs: 0,
    });
    expect(second.indexes()).toEqual(Array.from({ length: 80 }, (_, i) => 40 + i));
    // Turns of the new session are placed on the timeline at its offset.
    second.turn(final(0, 1000));
    expect(h.of('turn').at(-1)).toMatchObject({ sessionId: 's2', offsetMs: 2000 });
  });

  it('a drop with no turn in progress replays the last 3 s', async () => {
    const h = await started();
    await h.push(100);
    h.first.turn(final(0, 1000));
    h.first.drop(lost());
    await settle(10);
    const second = h.attempt(1).begin();
    await settle();
    expect(second.indexes()[0]).toBe(40);
    expect(h.of('session')[1]).toMatchObject({ why: 'reconnect', replayMs: 3000 });
  });

  it('a reconnect that fails before Begin is tried again', async () => {
    const h = await started({ maxAttempts: 3 });
    h.first.drop(lost());
    await settle(10);
    h.attempt(1).refuse(new AppError(ErrorCode.timeout, 'the service did not start the session within 15 s'));
    await settle(10);
    h.attempt(2).begin();
    await settle();
    expect(h.of('reconnecting').map((e) => e.attempt)).toEqual([1, 2]);
    expect(h.of('session').map((e) => e.why)).toEqual(['start', 'reconnect']);
    expect(h.of('failed')).toEqual([]);
  });

  it("the budget running out ends the connection with 'failed'", async () => {
    const h = await started({ maxAttempts: 2 });
    h.first.drop(lost());
    await settle(10);
    h.attempt(1).refuse(lost());
    await settle(10);
    h.attempt(2).refuse(lost());
    await settle(1000);
    expect(h.attempts).toHaveLength(3);
    expect(h.of('failed')).toHaveLength(1);
    expect(h.of('failed')[0]!.error.message).toBe('gave up reconnecting after 2 attempts: the connection to the service was lost');
    expect(h.conn.state).toBe('closed');
  });

  it('the budget resets after a healthy session of 5 s, not after a shorter one', async () => {
    const h = await started({ maxAttempts: 2 });
    h.first.drop(lost());
    await settle(10);
    h.attempt(1).refuse(lost());
    await settle(10);
    const second = h.attempt(2).begin(); // attempt 2 of 2
    await h.push(100); // 5 s: healthy
    second.drop(lost());
    await settle(10);
    expect(h.of('reconnecting').map((e) => e.attempt)).toEqual([1, 2, 1]);
    const third = h.attempt(3).begin();
    await h.push(20); // 1 s: not healthy
    third.drop(lost());
    await settle(10);
    expect(h.of('reconnecting').map((e) => e.attempt)).toEqual([1, 2, 1, 2]);
    h.attempt(4).refuse(lost());
    await settle(1000);
    expect(h.of('failed')).toHaveLength(1);
    expect(h.attempts).toHaveLength(5);
  });

  it('--reconnect-attempts 0: the first drop fails the connection', async () => {
    const h = await started({ maxAttempts: 0 });
    h.first.drop(lost());
    await settle(1000);
    expect(h.of('failed').map((e) => e.error.message)).toEqual(['the connection to the service was lost']);
    expect(h.attempts).toHaveLength(1);
  });
});

describe('createConnection: keepTrying (issue 22: without a limit while the audio is kept)', () => {
  it('an outage far longer than the budget is retried until the service is back; the attempts say no limit', async () => {
    const h = await started({ maxAttempts: 6, keepTrying: () => true, backoffMs: (n) => Math.min(40, 10 * n) });
    h.first.drop(lost());
    for (let i = 1; i <= 20; i++) {
      await settle(40);
      h.attempt(i).refuse(lost());
    }
    await settle(40);
    h.attempt(21).begin();
    await settle();
    expect(h.of('failed')).toEqual([]);
    expect(h.of('reconnecting').map((e) => e.attempt)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(h.of('reconnecting').every((e) => e.maxAttempts === Number.POSITIVE_INFINITY)).toBe(true);
    // The backoff is still used (capped here at 40 ms by the test's setting).
    expect(
      h
        .of('reconnecting')
        .map((e) => e.delayMs)
        .slice(0, 5),
    ).toEqual([10, 20, 30, 40, 40]);
    expect(h.of('session').map((e) => e.why)).toEqual(['start', 'reconnect']);
  });

  it('once it says no (the spool is full), the budget applies to the attempts made: the next failure gives up', async () => {
    let room = true;
    const h = await started({ maxAttempts: 6, keepTrying: () => room });
    h.first.drop(lost());
    for (let i = 1; i <= 9; i++) {
      await settle(10);
      h.attempt(i).refuse(lost());
    }
    await settle(10);
    room = false;
    h.attempt(10).refuse(lost());
    await settle(1000);
    expect(h.attempts).toHaveLength(11);
    expect(h.of('failed').map((e) => e.error.message)).toEqual(['gave up reconnecting after 10 attempts: the connection to the service was lost']);
    expect(h.conn.state).toBe('closed');
  });

  it('the start uses it only when asked for the start (--keep-recording)', async () => {
    const asked: string[] = [];
    const h = harness({ startAttempts: 2, keepTrying: (why) => (asked.push(why), why === 'start') });
    const starting = h.conn.start();
    for (let i = 0; i < 5; i++) {
      await settle(10);
      h.attempt(i).refuse(lost());
    }
    await settle(10);
    h.attempt(5).begin();
    await starting;
    expect(asked.every((w) => w === 'start')).toBe(true);
    expect(h.of('reconnecting').map((e) => [e.why, e.attempt, e.maxAttempts])).toEqual(
      [1, 2, 3, 4, 5].map((n) => ['start', n, Number.POSITIVE_INFINITY]),
    );
  });

  it('terminate during an outage hands the replay buffer to onLostAudio (nothing captured is dropped)', async () => {
    const handed: number[] = [];
    const h = await started({ backoffMs: () => 60_000, onLostAudio: (frames) => handed.push(...frames.map((f) => f.readUInt32LE(0))) });
    await h.push(10);
    h.first.drop(lost());
    await h.push(30);
    expect(handed).toEqual([]);
    await h.conn.terminate(1000);
    // Nothing was acknowledged: every frame pushed (0..39) goes to the spool, once, in order.
    expect(handed).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('an outage that ends the connection (a reconnect refused for good) hands the replay buffer to onLostAudio too', async () => {
    const handed: number[] = [];
    const h = await started({
      backoffMs: () => 10,
      keepTrying: () => true,
      onLostAudio: (frames) => handed.push(...frames.map((f) => f.readUInt32LE(0))),
    });
    await h.push(10);
    h.first.drop(lost());
    await h.push(30);
    await settle(20);
    h.attempt(1).refuse(describeServerError(1008, 'Unauthorized Connection: Invalid API key'));
    await settle(20);
    expect(h.of('failed')).toHaveLength(1);
    expect(handed).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('releaseUnheard (a forced stop) during an outage hands the replay buffer over once; with a live session, nothing', async () => {
    const handed: number[] = [];
    const h = await started({ backoffMs: () => 60_000, onLostAudio: (frames) => handed.push(...frames.map((f) => f.readUInt32LE(0))) });
    await h.push(10);
    h.conn.releaseUnheard();
    expect(handed).toEqual([]);
    h.first.drop(lost());
    await h.push(30);
    h.conn.releaseUnheard();
    h.conn.releaseUnheard();
    expect(handed).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('--reconnect-attempts 0 still never reconnects, whatever it says', async () => {
    const h = await started({ maxAttempts: 0, keepTrying: () => true });
    h.first.drop(lost());
    await settle(1000);
    expect(h.attempts).toHaveLength(1);
    expect(h.of('failed')).toHaveLength(1);
  });
});

describe('createConnection: what is never retried, and what is retried later', () => {
  const never: [string, AppError][] = [
    ['1008 invalid key', describeServerError(1008, 'Unauthorized Connection: Invalid API key')],
    ['3006', describeServerError(3006, "User Input Validation Error: Invalid 'sample_rate'")],
    ['3007', describeServerError(3007, 'Input Duration Error: Input Duration Violation: 25.0 ms')],
    ['HTTP 401', describeHttpRejection(401, '{"error":"Invalid API key"}')],
    ['HTTP 403', describeHttpRejection(403, 'blocked')],
  ];

  it.each(never)('%s at start: one session tried, start rejects', async (_, error) => {
    const h = harness({ startAttempts: 2 });
    const outcome = h.conn.start().then(
      () => 'started',
      (e: unknown) => e,
    );
    await settle();
    h.attempt(0).refuse(error);
    expect(await outcome).toBe(error);
    await settle(10_000);
    expect(h.attempts).toHaveLength(1);
    expect(h.of('reconnecting')).toEqual([]);
  });

  it.each(never)("%s after Begin: no new session, 'failed' with that error", async (_, error) => {
    const h = await started({ maxAttempts: 6 });
    await h.push(10);
    h.first.drop(error);
    await settle(10_000);
    expect(h.attempts).toHaveLength(1);
    expect(h.of('failed')).toEqual([{ type: 'failed', error }]);
    expect(h.of('reconnecting')).toEqual([]);
  });

  it.each([
    ['3009', describeServerError(3009, 'Unauthorized Connection: Too many concurrent sessions')],
    ['1008 too many concurrent sessions', describeServerError(1008, 'Unauthorized connection: Too many concurrent sessions')],
  ])('%s: retried, only after the longer wait', async (_, error) => {
    const h = harness({ startAttempts: 2 });
    const starting = h.conn.start();
    await settle();
    h.attempt(0).refuse(error);
    await settle();
    expect(h.of('reconnecting')).toEqual([{ type: 'reconnecting', why: 'start', attempt: 1, maxAttempts: 2, delayMs: LATER_MS, error }]);
    await settle(LATER_MS - 1);
    expect(h.attempts).toHaveLength(1);
    await settle(1);
    h.attempt(1).begin();
    await starting;
    expect(h.conn.state).toBe('open');
  });

  it('3008 (maximum duration) is retried at once', async () => {
    const h = await started();
    await h.push(10);
    h.first.drop(describeServerError(3008, 'Session Expired: Maximum session duration exceeded'));
    await settle();
    expect(h.of('reconnecting')).toMatchObject([{ attempt: 1, delayMs: 10 }]);
    await settle(10);
    h.attempt(1).begin();
    await settle();
    expect(h.of('session').map((e) => e.why)).toEqual(['start', 'reconnect']);
  });
});

describe('createConnection: replay bounds', () => {
  it('no outage, no audio lost in the totals', async () => {
    const h = await started();
    await h.push(100);
    expect(h.conn.totals.lostMs).toBe(0);
  });

  it('an outage longer than 2 minutes drops the oldest audio and reports the loss', async () => {
    const h = await started({ backoffMs: () => 200_000 });
    await h.push(100);
    h.first.turn(final(0, 5000)); // everything sent so far is acknowledged
    h.first.drop(lost());
    await h.push(2500); // 125 s while waiting to reconnect
    await settle(200_000);
    const second = h.attempt(1).begin();
    await settle();
    expect(h.of('session')[1]).toMatchObject({ why: 'reconnect', replayMs: 120_000, lostMs: 5000, offsetMs: (100 + 100) * FRAME_MS });
    expect(second.indexes()[0]).toBe(200);
    // The run's totals keep the sum, for the summary and exit code 6 (the transcript has a hole).
    expect(h.conn.totals.lostMs).toBe(5000);
  });

  it('a replay runs at most 8 s ahead of real time', async () => {
    const h = await started({ backoffMs: () => 30_000 });
    await h.push(10);
    h.first.turn(final(0, 500));
    h.first.drop(lost());
    await h.push(400); // 20 s of backlog
    await settle(30_000);
    const opened = Date.now();
    const second = h.attempt(1).begin();
    await settle();
    expect(second.sent).toHaveLength(8000 / FRAME_MS);
    for (const ms of [500, 1000, 5000]) {
      await settle(ms);
      const aheadMs = second.sent.length * FRAME_MS - (Date.now() - opened);
      expect(aheadMs).toBeLessThanOrEqual(8000);
      expect(aheadMs).toBeGreaterThan(7000);
    }
  });
});

describe('createConnection: rollover', () => {
  it('opens the next session in the last minute, and it takes over at the first pause after its Begin', async () => {
    const expiresAt = (T0 + 10 * 60_000) / 1000;
    const h = await started({}, expiresAt);
    await h.push(20);
    h.first.turn(partial(100));
    // The second half of the last minute: 9.5 min in. Opened at once (its Begin takes ~1.2 s).
    await settle(9.5 * 60_000 - 20 * FRAME_MS);
    expect(h.attempts).toHaveLength(2);
    const second = h.attempt(1).begin(expiresAt + 600);
    await h.push(4);
    // The turn is still going: the new session waits, the old one gets the audio.
    expect(h.first.terminated).toBe(false);
    expect(h.first.sent).toHaveLength(24);
    h.first.turn(final(100, 900));
    await h.push(HANDOVER_QUIET_MS / FRAME_MS);
    expect(h.first.terminated).toBe(true);
    const at = h.first.sent.length;
    expect(h.of('session')[1]).toMatchObject({ sessionId: 's2', why: 'rollover', replayMs: 0, offsetMs: at * FRAME_MS });
    expect(h.of('session-ended')).toEqual([{ type: 'session-ended', sessionId: 's1' }]);
    expect(at).toBe(25); // the audio was quiet already: the first check after the final
    await h.push(5);
    // Not a frame lost or repeated across the two.
    expect([...h.first.indexes(), ...second.indexes()]).toEqual(Array.from({ length: 37 }, (_, i) => i));
    expect(h.conn.sessionId).toBe('s2');
  });

  it('a pause when the next session is opened that is over by its Begin: it waits for the next pause (issue 19.1)', async () => {
    const expiresAt = (T0 + 10 * 60_000) / 1000;
    const h = await started({}, expiresAt);
    await h.push(20);
    await settle(9.5 * 60_000 - 20 * FRAME_MS);
    expect(h.attempts).toHaveLength(2);
    // Speech resumes while the next session is opening; the service has sent no partial for it yet.
    await h.pushLoud(6);
    const second = h.attempt(1).begin(expiresAt + 600);
    await h.pushLoud(4);
    expect(h.first.terminated).toBe(false);
    h.first.turn(partial(100));
    await h.pushLoud(10);
    h.first.turn(final(100, 900));
    // Not yet: the audio must have been quiet for a while too.
    await h.push(HANDOVER_QUIET_MS / FRAME_MS - 2);
    expect(h.first.terminated).toBe(false);
    await h.push(2);
    expect(h.first.terminated).toBe(true);
    await h.push(3);
    // The whole phrase went to the old session; the new one starts in the pause after it.
    const at = h.first.sent.length;
    expect(at).toBe(20 + 20 + HANDOVER_QUIET_MS / FRAME_MS);
    expect(second.indexes()).toEqual([at, at + 1, at + 2]);
  });

  it('without a pause, it rolls over anyway near the end', async () => {
    const expiresAt = (T0 + 10 * 60_000) / 1000;
    const h = await started({}, expiresAt);
    h.first.turn(partial(100));
    await settle(9.5 * 60_000);
    expect(h.attempts).toHaveLength(2);
    h.attempt(1).begin(expiresAt + 600);
    // Forced 10 s before the end.
    await settle(20_000 - 1000);
    expect(h.first.terminated).toBe(false);
    await settle(1000);
    expect(h.first.terminated).toBe(true);
    expect(h.conn.sessionId).toBe('s2');
  });

  it('a stop while the next session waits for a pause ends that session too', async () => {
    const expiresAt = (T0 + 10 * 60_000) / 1000;
    const h = await started({}, expiresAt);
    h.first.turn(partial(100));
    await settle(9.5 * 60_000);
    const second = h.attempt(1).begin(expiresAt + 600);
    await settle(100);
    const done = h.conn.terminate(1000);
    await settle(100);
    await done;
    expect(h.first.terminated).toBe(true);
    expect(second.closed).toBe(true);
  });
});

describe('createConnection: terminate and close', () => {
  it('terminate ends the live session and reports it ended', async () => {
    const h = await started();
    await h.push(5);
    const result = await h.conn.terminate(1000);
    expect(result.terminated).toBe(true);
    expect(h.first.terminated).toBe(true);
    expect(h.conn.state).toBe('closed');
    expect(h.of('session-ended')).toEqual([{ type: 'session-ended', sessionId: 's1' }]);
  });

  it('terminate during an outage: not terminated, with the audio held for the next session as never transcribed (issue 19.8)', async () => {
    const h = await started({ backoffMs: () => 5000 });
    await h.push(10);
    h.first.turn(final(0, 500)); // frames 0-9 are transcribed
    await h.push(20); // 1 s, no final yet
    h.first.drop(lost());
    await settle();
    await h.push(20); // 1 s more while down
    const result = await h.conn.terminate(1000);
    expect(result.terminated).toBe(false);
    expect(result.untranscribedMs).toBe(2000);
  });

  it('settled() waits out a reconnect and resolves once the next session is open', async () => {
    const h = await started({ backoffMs: () => 100 });
    let open = false;
    void h.conn.settled().then(() => (open = true));
    await settle();
    expect(open).toBe(true);
    h.first.drop(lost());
    await settle();
    let settled = false;
    void h.conn.settled().then(() => (settled = true));
    await settle(100);
    expect(settled).toBe(false);
    h.attempt(1).begin();
    await settle();
    expect(settled).toBe(true);
  });

  it('close during an outage stops reconnecting', async () => {
    const h = await started({ backoffMs: () => 5000 });
    h.first.drop(lost());
    await settle();
    await h.conn.close();
    await settle(60_000);
    expect(h.attempts).toHaveLength(1);
    expect(h.conn.state).toBe('closed');
    expect(h.of('failed')).toEqual([]);
  });
});

describe('createConnection: a session that cannot be renewed (a used --token, docs/service.md#temporary-tokens)', () => {
  const used = (): AppError => new AppError(ErrorCode.auth, 'the token was used');

  it('a drop is not retried: failed with the renewal error, no new session opened', async () => {
    const h = await started({ renewal: (why) => (why === 'reconnect' ? used() : undefined) });
    await h.push(2);
    h.first.drop(lost());
    await settle(1000);
    expect(h.attempts).toHaveLength(1);
    expect(h.of('reconnecting')).toHaveLength(0);
    expect(h.of('failed')).toEqual([{ type: 'failed', error: expect.objectContaining({ message: 'the token was used' }) }]);
  });

  it('a rollover is not attempted: cannot-renew at the pause, the live session goes on', async () => {
    const expiresAt = (T0 + 10 * 60_000) / 1000;
    const h = await started({ renewal: (why) => (why === 'rollover' ? used() : undefined) }, expiresAt);
    await h.push(2);
    await settle(9.6 * 60_000);
    expect(h.attempts).toHaveLength(1);
    expect(h.of('cannot-renew')).toEqual([{ type: 'cannot-renew', error: expect.objectContaining({ message: 'the token was used' }) }]);
    expect(h.first.terminated).toBe(false);
    expect(h.conn.state).toBe('open');
  });

  it('forwards SpeakerRevision and the client own warnings with the session id', async () => {
    const h = await started();
    h.first.emit({ type: 'speaker-revision', revisions: [{ turnOrder: 0, speaker: 'B' }] });
    h.first.emit({ type: 'warning', message: 'asked for x', client: true });
    expect(h.of('speaker-revision')).toEqual([{ type: 'speaker-revision', sessionId: 's1', revisions: [{ turnOrder: 0, speaker: 'B' }] }]);
    expect(h.of('warning')).toEqual([{ type: 'warning', message: 'asked for x', client: true }]);
  });
});
