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
});
