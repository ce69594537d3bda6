import { describe, expect, it } from 'vitest';
import { createEchoFilter, findEchoSource, isEchoOf, normaliseWords, textSimilarity, type TimedText } from '../../../src/transcript/echo.js';
import { createTurnMerger, type MergeItem } from '../../../src/transcript/merge.js';

const at = (text: string, startMs: number, endMs: number): TimedText => ({ text, startMs, endMs });

describe('normaliseWords and textSimilarity', () => {
  it('compares words without case, accents and punctuation', () => {
    expect(normaliseWords('  Café, au LAIT! — s’il vous plaît…')).toEqual(['cafe', 'au', 'lait', 's', 'il', 'vous', 'plait']);
    expect(textSimilarity('Can you hear me?', 'can you hear me')).toBe(1);
  });

  it.each([
    ['a few words missed by the microphone', 'we should ship the release on friday', 'we should ship release on friday', 0.85],
    ['one word misheard', 'the budget is due next week', 'the budget is do next week', 0.8],
    ['the same words reordered (Jaccard)', 'next week the budget is due', 'the budget is due next week', 1],
  ])('alike: %s', (_name, a, b, atLeast) => {
    expect(textSimilarity(a, b)).toBeGreaterThanOrEqual(atLeast);
  });

  it.each([
    ['another sentence', 'we should ship the release on friday', 'i think the tests are still failing'],
    ['an answer to it', 'are you coming tomorrow', 'yes i will be there at nine'],
    ['nothing to compare', '', ''],
  ])('not alike: %s', (_name, a, b) => {
    expect(textSimilarity(a, b)).toBeLessThan(0.6);
  });
});

describe('isEchoOf / findEchoSource', () => {
  const system = at('We should ship the release on Friday.', 10_000, 12_500);

  it('drops a real echo: the same words from the microphone at the same moment, a little late', () => {
    expect(isEchoOf(at('we should ship the release on friday', 10_150, 12_700), system)).toBe(true);
    // The sources' word times may be apart by some hundreds of ms.
    expect(isEchoOf(at('ship the release on friday', 12_900, 13_600), system)).toBe(true);
  });

  it('keeps a different sentence said at the same time (the user talking over the others)', () => {
    expect(isEchoOf(at('sorry, can you say that again', 10_200, 12_000), system)).toBe(false);
  });

  it('keeps the same sentence said much later (the user repeating it on purpose)', () => {
    expect(isEchoOf(at('we should ship the release on friday', 30_000, 32_500), system)).toBe(false);
    expect(isEchoOf(at('we should ship the release on friday', 5_000, 8_900), system)).toBe(false);
  });

  it('margin and similarity can be set', () => {
    const later = at('we should ship the release on friday', 14_000, 16_000);
    expect(isEchoOf(later, system)).toBe(false);
    expect(isEchoOf(later, system, { marginMs: 2_000 })).toBe(true);
    expect(isEchoOf(at('we should ship it on monday', 10_000, 12_000), system, { minSimilarity: 0.3 })).toBe(true);
    expect(isEchoOf(at('we should ship it on monday', 10_000, 12_000), system)).toBe(false);
  });

  it('findEchoSource names the turn repeated', () => {
    const turns = [at('good morning everyone', 0, 1_500), system];
    expect(findEchoSource(at('we should ship the release on friday', 10_100, 12_600), turns)).toBe(system);
    expect(findEchoSource(at('good morning', 20_000, 21_000), turns)).toBeUndefined();
  });
});

describe('createEchoFilter with the merger', () => {
  it('drops the microphone echo, keeps both sides otherwise, never drops a system-audio turn', () => {
    const drop = createEchoFilter<string>({ microphones: ['mic'], systems: ['sys'], text: (v) => v });
    const merger = createTurnMerger<string>({ sources: ['mic', 'sys'], now: () => 0, drop, overlapMs: 1000 });
    const item = (source: string, startMs: number, endMs: number, value: string): MergeItem<string> => ({ source, startMs, endMs, value });
    const out: MergeItem<string>[] = [];
    const gone: MergeItem<string>[] = [];
    const take = (r: { released: MergeItem<string>[]; dropped: MergeItem<string>[] }): void => {
      out.push(...r.released);
      gone.push(...r.dropped);
    };
    take(merger.open('sys', 1_000));
    // The microphone's echo is final first: it waits for the system-audio turn in progress.
    take(merger.final(item('mic', 1_100, 3_100, 'the numbers look good this quarter')));
    take(merger.final(item('sys', 1_000, 3_000, 'The numbers look good this quarter.')));
    take(merger.final(item('mic', 3_500, 4_500, 'great, thanks')));
    take(merger.final(item('sys', 7_000, 8_000, 'great, thanks')));
    take(merger.end('mic'));
    take(merger.end('sys'));
    expect(out.map((i) => `${i.source}: ${i.value}`)).toEqual([
      'sys: The numbers look good this quarter.',
      'mic: great, thanks',
      'sys: great, thanks',
    ]);
    expect(gone.map((i) => `${i.source}: ${i.value}`)).toEqual(['mic: the numbers look good this quarter']);
  });
});
