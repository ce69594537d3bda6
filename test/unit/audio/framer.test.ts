import { describe, expect, it } from 'vitest';
import { createFramer, frameBytesFor } from '../../../src/audio/framer.js';

describe('frameBytesFor', () => {
  it.each([
    [16000, 1600],
    [8000, 800],
    [44100, 4410],
    [48000, 4800],
    [22050, 2206],
  ])('%i Hz -> %i bytes, never under 50 ms', (rate, bytes) => {
    expect(frameBytesFor(rate)).toBe(bytes);
    expect((frameBytesFor(rate) / 2 / rate) * 1000).toBeGreaterThanOrEqual(50);
  });
});

describe('framer', () => {
  it('re-frames arbitrary chunks (odd sizes included) into whole frames, preserving every byte', () => {
    const framer = createFramer(1600);
    const input = Buffer.alloc(10_007);
    for (let i = 0; i < input.length; i += 1) input[i] = i % 251;
    const frames: Buffer[] = [];
    const sizes = [1, 979, 4096, 3, 2000, 1600, 1328];
    let offset = 0;
    for (const size of sizes) {
      frames.push(...framer.push(input.subarray(offset, offset + size)));
      offset += size;
    }
    expect(offset).toBe(input.length);
    expect(frames.every((f) => f.length === 1600)).toBe(true);
    expect(frames).toHaveLength(6);
    expect(framer.buffered).toBe(10_007 - 9600);
    const last = framer.flush();
    expect(last).toHaveLength(1600);
    const all = Buffer.concat([...frames, last!]);
    expect(all.subarray(0, input.length).equals(input)).toBe(true);
    expect(all.subarray(input.length).every((b) => b === 0)).toBe(true);
    expect(framer.flush()).toBeUndefined();
  });

  it('does not reuse a frame buffer after handing it out', () => {
    const framer = createFramer(4);
    const [a] = framer.push(Buffer.from([1, 2, 3, 4]));
    framer.push(Buffer.from([9, 9, 9, 9]));
    expect([...a!]).toEqual([1, 2, 3, 4]);
  });
});
