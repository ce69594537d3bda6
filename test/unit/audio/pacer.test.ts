import { describe, expect, it } from 'vitest';
import { createPacer } from '../../../src/audio/pacer.js';

describe('createPacer', () => {
  it('sends frame i at start + i x frameMs, never earlier, and drains', async () => {
    let clock = 0;
    const sentAt: number[] = [];
    const pacer = createPacer({ frameMs: 50, send: () => sentAt.push(clock), now: () => clock });
    for (let i = 0; i < 5; i += 1) pacer.push(Buffer.alloc(1));
    expect(sentAt).toEqual([0]);
    expect(pacer.queued).toBe(4);
    // Advance the fake clock in steps; the pacer's real timers fire, and it must not run ahead of the clock.
    const drained = pacer.drained();
    while (sentAt.length < 5) {
      clock += 10;
      await new Promise((r) => setTimeout(r, 1));
    }
    await drained;
    sentAt.forEach((t, i) => expect(t).toBeGreaterThanOrEqual(i * 50));
    expect(pacer.queued).toBe(0);
  });
  it('calls onLow when the queue falls to the low-water mark, and stop() drops the rest', async () => {
    let clock = 0;
    let low = 0;
    const pacer = createPacer({ frameMs: 50, send: () => {}, now: () => clock, lowWater: 2, onLow: () => (low += 1) });
    for (let i = 0; i < 6; i += 1) pacer.push(Buffer.alloc(1));
    while (pacer.queued > 2) {
      clock += 50;
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(low).toBe(1);
    pacer.stop();
    expect(pacer.queued).toBe(0);
    await pacer.drained();
  });
});
