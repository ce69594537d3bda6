import { describe, expect, it } from 'vitest';
import { streamColors } from '../../../src/options/color.js';

describe('streamColors: the one decision of each stream colour', () => {
  const supported = { stdoutColorLevel: 2, stderrColorLevel: 3 } as const;

  it('keeps what each stream supports when nothing turns colour off', () => {
    expect(streamColors(supported, {}, {})).toEqual(supported);
    expect(streamColors(supported, { color: true }, { NO_COLOR: '' })).toEqual(supported); // an empty NO_COLOR is unset
    expect(streamColors({ stdoutColorLevel: 0, stderrColorLevel: 1 }, {}, {})).toEqual({ stdoutColorLevel: 0, stderrColorLevel: 1 });
  });

  it('turns both streams off for --no-color (flag, file or profile) and for NO_COLOR, which wins over FORCE_COLOR', () => {
    const none = { stdoutColorLevel: 0, stderrColorLevel: 0 };
    expect(streamColors(supported, { color: false }, {})).toEqual(none);
    expect(streamColors(supported, {}, { NO_COLOR: '1' })).toEqual(none);
    // FORCE_COLOR reached the edge's detection (the supported levels); NO_COLOR still turns it off.
    expect(streamColors(supported, {}, { NO_COLOR: '1', FORCE_COLOR: '3' })).toEqual(none);
  });

  it("takes a run's Config as it is (color: false | undefined)", () => {
    expect(streamColors(supported, { color: undefined }, {})).toEqual(supported);
  });
});
