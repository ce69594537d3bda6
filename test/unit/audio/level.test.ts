import { describe, expect, it } from 'vitest';
import { createSilenceDetector, decayLevel, DITHER_PEAK_DBFS, levelDbfs, peakDbfs, type SilenceTransition } from '../../../src/audio/level.js';
import { pcmLevelDbfs } from '../../support/audio.js';

function s16(samples: number[]): Buffer {
  const b = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => b.writeInt16LE(s, i * 2));
  return b;
}

function sine(amplitude: number, n = 1600, periodSamples = 32): Buffer {
  return s16(Array.from({ length: n }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * i) / periodSamples))));
}

/** What SoX's dither makes of silence: values in {-1, 0, 1} (measured on the virtual microphone). */
function dither(n = 800): Buffer {
  return s16(Array.from({ length: n }, (_, i) => [0, 1, 0, -1, 0, 0][i % 6]!));
}

describe('levelDbfs / peakDbfs', () => {
  it('is 0 dBFS for a full-scale square wave and about -3 dBFS for a full-scale sine', () => {
    expect(levelDbfs(s16([-32768, -32768, -32768, -32768]))).toBe(0);
    expect(levelDbfs(sine(32767))).toBeCloseTo(-3.01, 1);
    expect(peakDbfs(sine(32767))).toBeCloseTo(0, 2);
  });

  it('is -Infinity for digital silence and empty input', () => {
    expect(levelDbfs(Buffer.alloc(3200))).toBe(-Infinity);
    expect(levelDbfs(Buffer.alloc(0))).toBe(-Infinity);
    expect(peakDbfs(Buffer.alloc(3200))).toBe(-Infinity);
  });

  it('puts dithered silence near -96 dBFS, far below the silence threshold', () => {
    expect(levelDbfs(dither())).toBeLessThan(-90);
    expect(peakDbfs(dither())).toBeLessThanOrEqual(DITHER_PEAK_DBFS);
  });

  it('ignores a trailing odd byte and reads chunks at odd byte offsets', () => {
    const even = sine(1000, 100);
    const odd = Buffer.concat([even, Buffer.from([0x7f])]);
    expect(levelDbfs(odd)).toBe(levelDbfs(even));
    const shifted = Buffer.concat([Buffer.from([0]), even]).subarray(1);
    expect(shifted.byteOffset % 2).toBe(1);
    expect(levelDbfs(shifted)).toBe(levelDbfs(even));
    expect(levelDbfs(Buffer.from([5]))).toBe(-Infinity);
  });

  it('agrees with the test suite reference implementation', () => {
    for (const b of [sine(100), sine(9000), dither(), s16([1, -2, 3, -4, 5])]) {
      expect(levelDbfs(b)).toBeCloseTo(pcmLevelDbfs(b), 10);
    }
  });

  it('decodes mu-law: 0xFF is silence, 0x00 and 0x80 are near full scale', () => {
    expect(levelDbfs(Buffer.alloc(160, 0xff), 'pcm_mulaw')).toBe(-Infinity);
    expect(levelDbfs(Buffer.alloc(160, 0x00), 'pcm_mulaw')).toBeCloseTo(20 * Math.log10(32124 / 32768), 5);
    expect(peakDbfs(Buffer.alloc(160, 0x80), 'pcm_mulaw')).toBeCloseTo(20 * Math.log10(32124 / 32768), 5);
    // 0x7F and 0xFF are the two zeros of G.711.
    expect(levelDbfs(Buffer.from([0x7f, 0xff]), 'pcm_mulaw')).toBe(-Infinity);
  });
});

describe('decayLevel', () => {
  it('rises at once and falls at the release rate, never below the current level', () => {
    expect(decayLevel(-40, -20, 50)).toBe(-20);
    expect(decayLevel(-20, -80, 100)).toBe(-22); // 20 dB/s
    expect(decayLevel(-20, -21, 1000)).toBe(-21);
    expect(decayLevel(-Infinity, -50, 50)).toBe(-50);
    expect(decayLevel(-20, -Infinity, 500, 40)).toBe(-40);
  });
});

describe('createSilenceDetector', () => {
  const feed = (d: ReturnType<typeof createSilenceDetector>, level: number, frames: number): SilenceTransition[] => {
    const out: SilenceTransition[] = [];
    for (let i = 0; i < frames; i++) {
      const t = d.push(level, 50);
      if (t !== undefined) out.push(t);
    }
    return out;
  };

  it("says 'silent' once after 4 s below -60 dBFS, and not again while it lasts", () => {
    const d = createSilenceDetector();
    expect(feed(d, -96, 79)).toEqual([]); // 3.95 s
    expect(d.silent).toBe(false);
    expect(feed(d, -96, 1)).toEqual(['silent']);
    expect(d.silent).toBe(true);
    expect(feed(d, -Infinity, 200)).toEqual([]);
  });

  it('restarts the count whenever sound comes', () => {
    const d = createSilenceDetector({ afterMs: 1000 });
    expect(feed(d, -90, 19)).toEqual([]);
    expect(feed(d, -30, 1)).toEqual([]);
    expect(feed(d, -90, 19)).toEqual([]);
    expect(d.silentMs).toBe(950);
    expect(feed(d, -90, 1)).toEqual(['silent']);
  });

  it("says 'sound' once when clear sound has lasted 250 ms, then arms again", () => {
    const d = createSilenceDetector({ afterMs: 1000 });
    expect(feed(d, -90, 20)).toEqual(['silent']);
    expect(feed(d, -20, 4)).toEqual([]); // 200 ms
    expect(feed(d, -20, 1)).toEqual(['sound']);
    expect(feed(d, -20, 100)).toEqual([]);
    expect(feed(d, -90, 20)).toEqual(['silent']); // muted again later: reported again
  });

  it('does not flap on a click or on a level hovering at the threshold', () => {
    const d = createSilenceDetector({ afterMs: 1000 });
    feed(d, -90, 20);
    // A click: one loud frame between silent ones.
    for (let i = 0; i < 20; i++) {
      expect(d.push(-10, 50)).toBeUndefined();
      expect(d.push(-90, 50)).toBeUndefined();
    }
    // Hovering just above the threshold but below threshold + hysteresis: still silent.
    expect(feed(d, -58, 100)).toEqual([]);
    expect(d.silent).toBe(true);
    // Above -54 dBFS for 250 ms in total (frames in the hysteresis band neither count nor reset).
    expect(feed(d, -50, 3)).toEqual([]);
    expect(feed(d, -58, 3)).toEqual([]);
    expect(feed(d, -50, 2)).toEqual(['sound']);
  });

  it('counts NaN as silence, ignores negative or NaN durations, and resets', () => {
    const d = createSilenceDetector({ afterMs: 100 });
    expect(d.push(Number.NaN, 50)).toBeUndefined();
    expect(d.push(-90, -50)).toBeUndefined();
    expect(d.push(-90, Number.NaN)).toBeUndefined();
    expect(d.push(-90, 50)).toBe('silent');
    d.reset();
    expect(d.silent).toBe(false);
    expect(d.silentMs).toBe(0);
    expect(d.push(-90, 100)).toBe('silent');
  });

  it('takes its threshold and timings from options', () => {
    const d = createSilenceDetector({ thresholdDbfs: -40, afterMs: 200, hysteresisDb: 0, soundAfterMs: 50 });
    expect(feed(d, -45, 4)).toEqual(['silent']);
    expect(feed(d, -40, 1)).toEqual(['sound']);
  });
});
