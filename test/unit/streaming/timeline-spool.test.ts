/** The timeline's spool hook (issue 22): every lost frame handed over once, in order, none that was acknowledged. */
import { describe, expect, it } from 'vitest';
import { createTimeline } from '../../../src/streaming/timeline.js';

const FRAME_MS = 50;
const frame = (i: number): Buffer => Buffer.from([i & 0xff, (i >> 8) & 0xff]);

describe('timeline onLost', () => {
  it('hands over exactly the frames reported lost, each once, with their indexes', () => {
    const lost: Array<{ first: number; n: number; frames: Buffer[] }> = [];
    const t = createTimeline({ frameMs: FRAME_MS, bufferMs: 1000, onLost: (frames, first) => lost.push({ first, n: frames.length, frames }) });
    for (let i = 0; i < 100; i++) {
      t.append(frame(i));
      t.trim();
    }
    const opening = t.begin('resume');
    const handed = lost.flatMap((l) => l.frames);
    expect(handed.length * FRAME_MS).toBe(opening.lostMs); // 80 frames = 4000 ms
    expect(handed).toEqual(Array.from({ length: 80 }, (_, i) => frame(i)));
    expect(lost[0]!.first).toBe(0);
    // Consecutive calls continue where the last stopped.
    for (let k = 1; k < lost.length; k++) expect(lost[k]!.first).toBe(lost[k - 1]!.first + lost[k - 1]!.n);
  });

  it('hands over nothing while a session takes the audio', () => {
    const lost: number[] = [];
    const t = createTimeline({ frameMs: FRAME_MS, bufferMs: 1000, onLost: (frames) => lost.push(frames.length) });
    const { stretch } = t.begin('resume');
    for (let i = 0; i < 200; i++) {
      t.append(frame(i));
      t.take(stretch, 1e9);
    }
    expect(lost).toEqual([]);
  });

  it('releaseUnheard: at the end of a run with no session, the unacknowledged frames still held are handed over too', () => {
    const lost: Array<{ first: number; frames: Buffer[] }> = [];
    const t = createTimeline({ frameMs: FRAME_MS, bufferMs: 1000, onLost: (frames, first) => lost.push({ first, frames }) });
    const { stretch } = t.begin('resume');
    for (let i = 0; i < 10; i++) t.append(frame(i));
    t.take(stretch, 1e9);
    // The service transcribed the first 5 frames (a final ending at 250 ms), then the session dropped.
    t.observeTurn(stretch, {
      type: 'Turn',
      turnOrder: 0,
      endOfTurn: true,
      formatted: false,
      transcript: 'so',
      endOfTurnConfidence: 1,
      words: [{ text: 'so', startMs: 0, endMs: 250, confidence: 1, final: true }],
    });
    t.detach();
    for (let i = 10; i < 50; i++) {
      t.append(frame(i));
      t.trim();
    }
    t.releaseUnheard();
    const handed = lost.flatMap((l) => l.frames);
    // Frames 5..49: each once, in order, none of the acknowledged ones; the last 20 from the replay buffer.
    expect(handed).toEqual(Array.from({ length: 45 }, (_, i) => frame(i + 5)));
    expect(lost[0]!.first).toBe(5);
    t.releaseUnheard();
    expect(lost.flatMap((l) => l.frames)).toHaveLength(45);
    expect(t.begin('resume').lostMs).toBe(45 * FRAME_MS);
  });

  it('releaseUnheard hands over nothing while a session is current', () => {
    const lost: number[] = [];
    const t = createTimeline({ frameMs: FRAME_MS, onLost: (frames) => lost.push(frames.length) });
    t.begin('resume');
    for (let i = 0; i < 10; i++) t.append(frame(i));
    t.releaseUnheard();
    expect(lost).toEqual([]);
  });
});

describe('timeline: the boundary between a spooled gap and the replay (issue 22)', () => {
  // Frames whose first byte is 1 are speech, 0 quiet (the frame's index in the other bytes).
  const speech = (i: number): Buffer => Buffer.from([1, i & 0xff, (i >> 8) & 0xff]);
  const quiet = (i: number): Buffer => Buffer.from([0, i & 0xff, (i >> 8) & 0xff]);
  const indexOf = (f: Buffer): number => f[1]! + (f[2]! << 8);
  /** 80 frames of outage with a replay bound of 20 frames: a phrase at 55..68 straddles the bound (60). */
  function outage(opts: { isQuiet?: boolean; keepsLost?: boolean } = {}) {
    const lost: Array<{ first: number; frames: Buffer[] }> = [];
    const t = createTimeline({
      frameMs: FRAME_MS,
      bufferMs: 1000,
      onLost: (frames, first) => lost.push({ first, frames }),
      ...(opts.isQuiet === false ? {} : { isQuiet: (f: Buffer) => f[0] === 0 }),
      ...(opts.keepsLost === undefined ? {} : { keepsLost: () => opts.keepsLost === true }),
    });
    for (let i = 0; i < 80; i++) {
      t.append(i >= 55 && i < 69 ? speech(i) : quiet(i));
      t.trim();
    }
    return { t, lost };
  }

  it('a phrase across the bound: the gap takes all of it and ends in the pause after it, where the replay starts', () => {
    const { t, lost } = outage();
    const opening = t.begin('resume');
    const spooled = lost.flatMap((l) => l.frames).map(indexOf);
    // The gap holds the whole phrase (55..68) and runs on to the middle of the pause after it (69..79).
    expect(spooled).toEqual(Array.from({ length: 74 }, (_, i) => i));
    expect(opening.stretch.firstIndex).toBe(74);
    expect(opening.replayMs).toBe((80 - 74) * FRAME_MS);
    expect(opening.lostMs).toBe(74 * FRAME_MS);
    // The replay sends from the boundary on: no frame both spooled and replayed.
    expect(t.take(opening.stretch, 1e9).frames.map(indexOf)).toEqual(Array.from({ length: 6 }, (_, i) => 74 + i));
  });

  it('a bound just before a phrase (in a pause that began before it): the replay starts at the bound, the phrase stays live', () => {
    const lost: number[] = [];
    const t = createTimeline({ frameMs: FRAME_MS, bufferMs: 1000, onLost: (f) => lost.push(...f.map(indexOf)), isQuiet: (f) => f[0] === 0 });
    // A phrase at 62..71: the bound (60) falls 2 frames before it, in a pause of 2 s (a pause follows it too).
    for (let i = 0; i < 80; i++) {
      t.append(i >= 62 && i < 72 ? speech(i) : quiet(i));
      t.trim();
    }
    expect(t.begin('resume').stretch.firstIndex).toBe(60);
    expect(lost).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('without a way to tell quiet audio, or with the spool full, the boundary stays at the bound (nothing more is dropped)', () => {
    for (const o of [{ isQuiet: false }, { keepsLost: false }]) {
      const { t, lost } = outage(o);
      const opening = t.begin('resume');
      expect(lost.flatMap((l) => l.frames)).toHaveLength(60);
      expect(opening.stretch.firstIndex).toBe(60);
    }
  });

  it('an outage within the bound (nothing spooled): the replay starts at the acknowledged point, as before', () => {
    const lost: number[] = [];
    const t = createTimeline({ frameMs: FRAME_MS, bufferMs: 1000, onLost: (f) => lost.push(f.length), isQuiet: (f) => f[0] === 0 });
    for (let i = 0; i < 15; i++) {
      t.append(i < 10 ? speech(i) : quiet(i));
      t.trim();
    }
    expect(t.begin('resume').stretch.firstIndex).toBe(0);
    expect(lost).toEqual([]);
  });
});
