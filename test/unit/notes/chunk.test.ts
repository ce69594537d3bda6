import { describe, expect, it } from 'vitest';
import { lastLines, splitLines, transcriptBudgetChars } from '../../../src/notes/chunk.js';

describe('transcriptBudgetChars', () => {
  it('is the context less the answer and the instructions, at 3 characters a token', () => {
    expect(transcriptBudgetChars(10_000, 1000)).toBe((10_000 - 1000 - 600) * 3);
    expect(transcriptBudgetChars(undefined, 4096)).toBe((32_000 - 4096 - 600) * 3);
    expect(transcriptBudgetChars(500, 400)).toBe(200); // never below a floor
  });
});

describe('splitLines', () => {
  it('keeps a transcript that fits in one part', () => {
    expect(splitLines(['a', 'b'], 100)).toEqual([['a', 'b']]);
  });
  it('splits between lines, in order, each part within the budget', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i} xxxx`); // 11-12 chars, 12-13 with the newline
    const parts = splitLines(lines, 40);
    expect(parts.flat()).toEqual(lines);
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts) expect(p.join('\n').length + 1).toBeLessThanOrEqual(40);
  });
  it('cuts a line longer than a part into pieces', () => {
    const parts = splitLines(['x'.repeat(25)], 10);
    expect(parts.flat().join('')).toBe('x'.repeat(25));
    for (const p of parts) expect(p.join('\n').length).toBeLessThan(10);
  });
});

describe('lastLines', () => {
  it('keeps the most recent lines that fit, and says how many were left out', () => {
    expect(lastLines(['aaaa', 'bbbb', 'cccc'], 10)).toEqual({ lines: ['bbbb', 'cccc'], dropped: 1 });
    expect(lastLines(['a', 'b'], 100)).toEqual({ lines: ['a', 'b'], dropped: 0 });
  });
});
