import { describe, expect, it } from 'vitest';
import { createTimeline, leadWaitMs, type Timeline } from '../../../src/streaming/timeline.js';
import type { TurnMessage } from '../../../src/streaming/protocol.js';

const FRAME_MS = 50;
const frame = (i: number): Buffer => Buffer.from([i & 0xff, (i >> 8) & 0xff]);
const fill = (t: Timeline, n: number): void => {
  for (let i = 0; i < n; i++) t.append(frame(t.end));
};
/** A turn whose words span [startMs, endMs] on the session's own clock. */
const turn = (endOfTurn: boolean, startMs: number, endMs: number): TurnMessage => ({
  type: 'Turn',
  turnOrder: 0,
  endOfTurn,
  formatted: false,
  transcript: 'hello there',
  endOfTurnConfidence: 0.9,
  words: [
    { text: 'hello', startMs, endMs: startMs + 100, confidence: 0.9, final: true },
    { text: 'there', startMs: endMs - 100, endMs, confidence: 0.9, final: endOfTurn },
  ],
});
/** A timeline with `sent` frames appended and all sent to one session (no lead bound in the way). */
function sentTimeline(sent: number, options: { bufferMs?: number } = {}) {
  const t = createTimeline({ frameMs: FRAME_MS, ...options });
  const { stretch } = t.begin('resume');
  fill(t, sent);
  const batch = t.take(stretch, 1e9);
  return { t, stretch, batch };
}

describe('createTimeline', () => {
  it('gives appended frames absolute indexes that survive drops', () => {
    const t = createTimeline({ frameMs: FRAME_MS, bufferMs: 1000 });
    expect([t.append(frame(0)), t.append(frame(1)), t.append(frame(2))]).toEqual([0, 1, 2]);
    fill(t, 200);
    t.trim();
    expect(t.end).toBe(203);
    expect(t.base).toBeGreaterThan(0);
    expect(t.append(frame(203))).toBe(203);
  });

  it.each([
    // [frames sent, final ending at ms, acknowledged index]
    [100, 1000, 20],
    [100, 4990, 99],
    // Never past what was sent, whatever the service says.
    [40, 10_000, 40],
  ])('after %i frames sent, a final ending at %i ms acknowledges up to frame %i', (sent, endMs, ack) => {
    const t = createTimeline({ frameMs: FRAME_MS });
    const { stretch } = t.begin('resume');
    // A turn in progress from the start: nothing is taken as heard from the idle margin.
    t.observeTurn(stretch, turn(false, 0, 200));
    fill(t, sent);
    t.take(stretch, 1e9);
    expect(t.ackIndex).toBe(0);
    t.observeTurn(stretch, turn(true, 0, endMs));
    expect(t.ackIndex).toBe(ack);
    expect(t.turnInProgress).toBe(false);
  });

  it('with no turn in progress, takes everything but the last 3 s as heard', () => {
    const { t } = sentTimeline(200);
    expect(t.ackIndex).toBe(200 - 3000 / FRAME_MS);
    expect(t.begin('resume')).toMatchObject({ stretch: { firstIndex: 140 }, replayMs: 3000, lostMs: 0 });
  });

  it('with a turn in progress, replays from a second before its first word', () => {
    const { t, stretch } = sentTimeline(130);
    expect(t.ackIndex).toBe(70);
    t.observeTurn(stretch, turn(false, 6000, 6400));
    fill(t, 100);
    t.take(stretch, 1e9);
    expect(t.turnInProgress).toBe(true);
    // (6000 - 1000) / 50 = frame 100; not moved by the idle margin while the turn goes on.
    expect(t.ackIndex).toBe(100);
    const next = t.begin('resume');
    expect(next.stretch.firstIndex).toBe(100);
    expect(next.replayMs).toBe(130 * FRAME_MS);
    expect(t.turnInProgress).toBe(false);
  });

  it('a turn that starts after the idle point moves the acknowledged point to its start', () => {
    const t = createTimeline({ frameMs: FRAME_MS });
    const { stretch } = t.begin('resume');
    fill(t, 400);
    t.take(stretch, 1e9);
    t.observeTurn(stretch, turn(false, 19_000, 19_500)); // frame (19000 - 1000) / 50 = 360
    const next = t.begin('resume');
    expect(next.stretch.firstIndex).toBe(360); // past the idle point (400 - 60 = 340)
    expect(next.replayMs).toBe(40 * FRAME_MS);
  });

  it('ignores turns of a stretch that is no longer current', () => {
    const { t, stretch: old } = sentTimeline(100);
    const ack = t.ackIndex;
    const { stretch } = t.begin('continue');
    expect(stretch.firstIndex).toBe(100);
    expect(t.ackIndex).toBe(100);
    t.observeTurn(old, turn(false, 0, 100));
    expect(t.turnInProgress).toBe(false);
    expect(ack).toBeLessThan(100);
    fill(t, 10);
    expect(t.take(old, 1e9).frames).toEqual([]);
    expect(t.take(stretch, 1e9).frames).toHaveLength(10);
  });

  it.each([
    // [bufferMs, frames appended during an outage, lost ms, replay ms]
    [120_000, 2400, 0, 120_000],
    [120_000, 2500, 5000, 120_000],
    [120_000, 3000, 30_000, 120_000],
    [1000, 100, 4000, 1000],
  ])('bound %i ms, %i frames with no session: %i ms lost, %i ms replayed', (bufferMs, appended, lostMs, replayMs) => {
    const t = createTimeline({ frameMs: FRAME_MS, bufferMs });
    for (let i = 0; i < appended; i++) {
      t.append(frame(i));
      t.trim();
    }
    const next = t.begin('resume');
    expect(next.lostMs).toBe(lostMs);
    expect(next.replayMs).toBe(replayMs);
    // The replay starts with the oldest frame kept, and a loss is reported once.
    const batch = t.take(next.stretch, 1e9);
    expect(batch.frames[0]).toEqual(frame(appended - replayMs / FRAME_MS));
    expect(t.begin('resume').lostMs).toBe(0);
  });

  it('never drops what the current session has not been sent (within the bound)', () => {
    const t = createTimeline({ frameMs: FRAME_MS, bufferMs: 10_000 });
    const { stretch } = t.begin('resume');
    fill(t, 150);
    t.trim();
    expect(t.behind(stretch)).toBe(150);
    expect(t.take(stretch, 1e9).frames).toHaveLength(150);
  });

  it('keeps a replay within 8 s of real time', () => {
    const t = createTimeline({ frameMs: FRAME_MS });
    fill(t, 1000); // 50 s waiting for a session
    const { stretch, replayMs } = t.begin('resume');
    expect(replayMs).toBe(50_000);
    const first = t.take(stretch, 0);
    expect(first.frames).toHaveLength(8000 / FRAME_MS);
    expect(first.waitMs).toBe(FRAME_MS);
    const second = t.take(stretch, 1000);
    expect(second.frames).toHaveLength(1000 / FRAME_MS);
    expect(t.behind(stretch)).toBe(1000 - 180);
    // Audio sent is never more than 8 s ahead of the time since the session opened.
    expect(stretch.nextIndex * FRAME_MS - 1000).toBeLessThanOrEqual(8000);
    expect(t.take(stretch, 1e9)).toMatchObject({ waitMs: undefined });
    expect(t.behind(stretch)).toBe(0);
  });

  it('honours another lead', () => {
    const t = createTimeline({ frameMs: FRAME_MS, leadMs: 1000 });
    fill(t, 100);
    expect(t.take(t.begin('resume').stretch, 0).frames).toHaveLength(20);
  });
});

describe('leadWaitMs', () => {
  it.each([
    // [first, next, elapsed ms, lead ms, wait ms]
    [0, 0, 0, 8000, 0],
    [0, 159, 0, 8000, 0],
    [0, 160, 0, 8000, 50],
    [0, 200, 1000, 8000, 1050],
    [100, 260, 0, 8000, 50],
    [0, 1000, 60_000, 8000, 0],
  ])('stretch from %i, next %i, %i ms after opening, lead %i: wait %i ms', (firstIndex, nextIndex, elapsedMs, leadMs, waitMs) => {
    expect(leadWaitMs({ firstIndex, nextIndex }, elapsedMs, FRAME_MS, leadMs)).toBe(waitMs);
  });
});
