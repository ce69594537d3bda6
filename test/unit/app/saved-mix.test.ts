import { describe, expect, it } from 'vitest';
import { createSavedMix } from '../../../src/app/saved-mix.js';

const samples = (...v: number[]): Buffer => {
  const b = Buffer.alloc(v.length * 2);
  v.forEach((x, i) => b.writeInt16LE(x, i * 2));
  return b;
};
const read = (b: Buffer): number[] => Array.from({ length: b.length / 2 }, (_, i) => b.readInt16LE(i * 2));

describe('saved audio of several sources', () => {
  it('interleaves one channel per source, each from where its capture started on the run\'s timeline', () => {
    const written: Buffer[] = [];
    const mix = createSavedMix({ channels: 2, sampleRateHz: 1000, encoding: 'pcm_s16le', out: { write: (b) => written.push(Buffer.from(b)) } });
    const a = mix.writerFor(0, () => 0);
    const b = mix.writerFor(1, () => 2); // starts 2 ms (2 samples at 1 kHz) later
    a.write(samples(1, 2, 3));
    b.write(samples(7, 8));
    a.write(samples(4));
    mix.flush();
    expect(read(Buffer.concat(written))).toEqual([1, 0, 2, 0, 3, 7, 4, 8]);
  });

  it('a source that ended is silence from there; the others go on', () => {
    const written: Buffer[] = [];
    const mix = createSavedMix({ channels: 2, sampleRateHz: 1000, encoding: 'pcm_s16le', out: { write: (b) => written.push(Buffer.from(b)) } });
    const a = mix.writerFor(0, () => 0);
    mix.writerFor(1, () => 0).write(samples(5));
    mix.end(1);
    a.write(samples(1, 2, 3));
    mix.flush();
    expect(read(Buffer.concat(written))).toEqual([1, 5, 2, 0, 3, 0]);
  });
});
