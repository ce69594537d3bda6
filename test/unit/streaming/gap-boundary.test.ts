/** Where a spooled gap ends and the replay begins (issue 22): in the first pause, so no phrase is cut in two. */
import { describe, expect, it } from 'vitest';
import { pauseBoundary } from '../../../src/streaming/gap-boundary.js';

/** 'x' speech, '.' quiet, one character a frame. */
const quietOf =
  (audio: string) =>
  (i: number): boolean =>
    audio[i] === '.';

describe('pauseBoundary', () => {
  it('a bound in the middle of a phrase: the middle of the first pause after it', () => {
    //            0123456789012345
    const audio = 'xxxx.xx......xxx';
    // A stop of one frame between words is not a pause; frames 7..12 are: the cut is in their middle.
    expect(pauseBoundary(quietOf(audio), 2, audio.length, 4)).toBe(7 + 3);
  });

  it('a bound already in a pause: stays in it', () => {
    const audio = '......xxxx';
    expect(pauseBoundary(quietOf(audio), 0, audio.length, 4)).toBe(3);
  });

  it('a pause that runs to the end of the range: the middle of what there is', () => {
    expect(pauseBoundary(quietOf('xx........'), 0, 10, 4)).toBe(2 + 4);
    expect(pauseBoundary(quietOf('xx........'), 0, 6, 4)).toBe(2 + 2);
  });

  it('no pause within the search: undefined (the boundary stays)', () => {
    const audio = 'xxx..xxx..xxx...';
    expect(pauseBoundary(quietOf(audio), 0, audio.length, 4)).toBeUndefined();
    // A pause past `to` is not looked at.
    expect(pauseBoundary(quietOf('xxxx....'), 0, 5, 4)).toBeUndefined();
  });

  it('a bound in a pause that began before it: the bound itself, not the next pause (the phrase after stays whole)', () => {
    //            0123456789
    const audio = 'x.....xxxx....';
    // Frames 1..5 are a pause; the bound is at 4, just before the phrase at 6..9.
    expect(pauseBoundary(quietOf(audio), 4, audio.length, 4, 0)).toBe(4);
    // Without the frames before the bound to look at, only 4..5 are seen: not a pause; the next one is 10..13.
    expect(pauseBoundary(quietOf(audio), 4, audio.length, 4)).toBe(12);
  });

  it('an empty range: undefined', () => {
    expect(pauseBoundary(() => true, 5, 5, 4)).toBeUndefined();
  });
});
