import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createInterleaver, formatMultiChannelWavHeader, sampleAt } from '../../../src/audio/interleave.js';

/** 16-bit samples as a buffer. */
const pcm = (...samples: number[]): Buffer => {
  const b = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => b.writeInt16LE(s, i * 2));
  return b;
};
/** An interleaved buffer as [channel 0, channel 1, ...] per sample frame. */
const frames = (b: Buffer, channels: number): number[][] => {
  const out: number[][] = [];
  for (let i = 0; i < b.length; i += 2 * channels) out.push(Array.from({ length: channels }, (_, c) => b.readInt16LE(i + c * 2)));
  return out;
};

describe('createInterleaver', () => {
  it('writes a stretch once every running source has sent it, one channel per source', () => {
    const il = createInterleaver({ channels: 2, sampleRateHz: 1000 });
    expect(il.push(0, 0, pcm(1, 2, 3, 4)).length).toBe(0);
    expect(frames(il.push(1, 0, pcm(10, 20)), 2)).toEqual([
      [1, 10],
      [2, 20],
    ]);
    expect(frames(il.push(1, 2, pcm(30, 40, 50)), 2)).toEqual([
      [3, 30],
      [4, 40],
    ]);
    expect(il.writtenSamples).toBe(4);
    expect(frames(il.flush(), 2)).toEqual([[0, 50]]);
    expect(il.writtenSamples).toBe(5);
  });

  it('fills with silence a source that starts late and a gap within a source', () => {
    const il = createInterleaver({ channels: 2, sampleRateHz: 1000 });
    il.push(0, 0, pcm(1, 2, 3, 4, 5, 6));
    // Source 1 starts at sample 2, then skips samples 4 and 5.
    expect(frames(il.push(1, 2, pcm(30, 40)), 2)).toEqual([
      [1, 0],
      [2, 0],
      [3, 30],
      [4, 40],
    ]);
    expect(frames(il.push(1, 6, pcm(70)), 2)).toEqual([
      [5, 0],
      [6, 0],
    ]);
    expect(frames(il.flush(), 2)).toEqual([[0, 70]]);
  });

  it('a source that has sent audio and then lags more than maxLagMs is filled with silence, and its late audio for that stretch dropped', () => {
    const il = createInterleaver({ channels: 2, sampleRateHz: 1000, maxLagMs: 3 });
    expect(frames(il.push(1, 0, pcm(10)), 2)).toEqual([]);
    expect(frames(il.push(0, 0, pcm(1, 2, 3)), 2)).toEqual([[1, 10]]);
    expect(frames(il.push(0, 3, pcm(4, 5, 6)), 2)).toEqual([
      [2, 0],
      [3, 0],
    ]);
    // Source 1 stalled: what it sends for the stretch written is dropped, only what is new is kept.
    expect(frames(il.push(1, 1, pcm(20, 30, 40, 50)), 2)).toEqual([
      [4, 40],
      [5, 50],
    ]);
    expect(il.writtenSamples).toBe(5);
  });

  it('a source that has sent nothing yet holds the others beyond maxLagMs: its first audio, however late it comes, is kept where it belongs (issue 18)', () => {
    const il = createInterleaver({ channels: 2, sampleRateHz: 1000, maxLagMs: 3 });
    // Source 0's early buffer (its session began first) arrives at once; source 1's capture started at sample 2.
    expect(il.push(0, 0, pcm(1, 2, 3, 4, 5, 6, 7, 8)).length).toBe(0);
    expect(frames(il.push(1, 2, pcm(30, 40, 50, 60, 70, 80)), 2)).toEqual([
      [1, 0],
      [2, 0],
      [3, 30],
      [4, 40],
      [5, 50],
      [6, 60],
      [7, 70],
      [8, 80],
    ]);
  });

  it('a burst of held audio is no stall: a source sending its early frames one by one, far behind the other, loses none (issue 18)', () => {
    const il = createInterleaver({ channels: 2, sampleRateHz: 1000, maxLagMs: 3 });
    // At Begin source 0's held audio goes out at once, then source 1's (from sample 1), sample by sample.
    expect(il.push(0, 0, pcm(1, 2, 3, 4, 5, 6, 7, 8)).length).toBe(0);
    const out = [20, 30, 40, 50, 60, 70, 80].map((v, i) => il.push(1, i + 1, pcm(v)));
    expect(frames(Buffer.concat(out), 2)).toEqual([
      [1, 0],
      [2, 20],
      [3, 30],
      [4, 40],
      [5, 50],
      [6, 60],
      [7, 70],
      [8, 80],
    ]);
    // Then source 1 stalls: once source 0 sent more than maxLagMs since, its gap is silence.
    expect(frames(il.push(0, 8, pcm(9, 10, 11)), 2)).toEqual([]);
    expect(frames(il.push(0, 11, pcm(12)), 2)).toEqual([[9, 0]]);
  });

  it('a source that never sends is waited for at most maxStartWaitMs, then filled with silence', () => {
    const il = createInterleaver({ channels: 2, sampleRateHz: 1000, maxLagMs: 1, maxStartWaitMs: 4 });
    expect(frames(il.push(0, 0, pcm(1, 2, 3, 4)), 2)).toEqual([]);
    expect(frames(il.push(0, 4, pcm(5, 6)), 2)).toEqual([
      [1, 0],
      [2, 0],
    ]);
  });

  it('a source that ended holds nothing: the others are written as they come', () => {
    const il = createInterleaver({ channels: 2, sampleRateHz: 1000 });
    il.push(1, 0, pcm(10));
    il.push(0, 0, pcm(1, 2, 3));
    expect(frames(il.end(1), 2)).toEqual([
      [2, 0],
      [3, 0],
    ]);
    expect(frames(il.push(0, 3, pcm(4)), 2)).toEqual([[4, 0]]);
  });

  it('overlapping audio within one source is written once', () => {
    const il = createInterleaver({ channels: 1, sampleRateHz: 1000 });
    expect(frames(il.push(0, 0, pcm(1, 2, 3)), 1)).toEqual([[1], [2], [3]]);
    expect(frames(il.push(0, 1, pcm(9, 9, 4)), 1)).toEqual([[4]]);
  });

  it('mu-law: one byte a sample, silence is 0xFF', () => {
    const il = createInterleaver({ channels: 2, sampleRateHz: 1000, encoding: 'pcm_mulaw' });
    il.push(0, 0, Buffer.from([1, 2]));
    expect([...il.flush()]).toEqual([1, 0xff, 2, 0xff]);
  });

  it('refuses channels that do not exist', () => {
    expect(() => createInterleaver({ channels: 0, sampleRateHz: 16000 })).toThrow(RangeError);
    expect(() => createInterleaver({ channels: 2, sampleRateHz: 16000 }).push(2, 0, pcm(1))).toThrow(/no channel 2/);
  });

  it('sampleAt: ms on the timeline to samples', () => {
    expect(sampleAt(50, 16000)).toBe(800);
    expect(sampleAt(50, 22050)).toBe(1103);
  });
});

describe('formatMultiChannelWavHeader', () => {
  it('describes N channels: channel count, byte rate and block align', () => {
    const h = formatMultiChannelWavHeader(64000, 16000, 2);
    expect(h.length).toBe(44);
    expect(h.readUInt16LE(22)).toBe(2);
    expect(h.readUInt32LE(28)).toBe(64000);
    expect(h.readUInt16LE(32)).toBe(4);
    expect(h.readUInt32LE(40)).toBe(64000);
    expect(h.readUInt32LE(4)).toBe(36 + 64000);
    const m = formatMultiChannelWavHeader(3000, 8000, 3, 'pcm_mulaw');
    expect(m.length).toBe(58);
    expect(m.readUInt32LE(46)).toBe(1000); // fact: samples per channel
  });

  const dir = mkdtempSync(join(tmpdir(), 'interleave-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('SoX reads a two-channel file written from the interleaver, each channel as it was sent', () => {
    const il = createInterleaver({ channels: 2, sampleRateHz: 16000 });
    const second = 16000;
    const tone = Buffer.alloc(second * 2);
    for (let i = 0; i < second; i += 1) tone.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16000)), i * 2);
    const audio = [il.push(0, 0, tone), il.push(1, sampleAt(500, 16000), tone.subarray(0, 8000 * 2)), il.flush()];
    const data = Buffer.concat(audio);
    const path = join(dir, 'two.wav');
    writeFileSync(path, Buffer.concat([formatMultiChannelWavHeader(data.length, 16000, 2), data]));
    expect(execFileSync('soxi', ['-c', path], { encoding: 'utf8' }).trim()).toBe('2');
    expect(execFileSync('soxi', ['-s', path], { encoding: 'utf8' }).trim()).toBe('16000');
    // Channel 2 is silent for its first half second, then the tone: its RMS is that of half a tone.
    const rms = (channel: number, trim: string[]): number => {
      const r = spawnSync('sox', [path, '-n', 'remix', String(channel), ...trim, 'stat'], { encoding: 'utf8' });
      return Number(/RMS\s+amplitude:\s+([\d.]+)/.exec(r.stderr)?.[1]);
    };
    expect(rms(2, ['trim', '0', '0.5'])).toBe(0);
    expect(rms(1, ['trim', '0', '0.5'])).toBeGreaterThan(0.1);
    expect(rms(2, ['trim', '0.5', '0.5'])).toBeCloseTo(rms(1, ['trim', '0', '0.5']), 3);
  });
});
