import { describe, expect, it } from 'vitest';
import { editDistance, nearestKey } from '../../../src/core/edit-distance.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['format', 'format', 0],
    ['universal-3-6pro', 'universal-3-6-pro', 1],
    ['abc', 'abcdefgh', 5],
  ])('editDistance(%j, %j) = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe('nearestKey', () => {
  const keys = ['format', 'speech-model', 'keyterms', 'max-turn-silence', 'output'];
  it.each([
    ['formt', 'format'],
    ['FORMAT', 'format'],
    ['speechmodel', 'speech-model'],
    ['keyterm', 'keyterms'],
    ['max_turn_silence', 'max-turn-silence'],
    ['endpoint', undefined],
    ['x', undefined],
  ])('%s -> %s', (word, expected) => {
    expect(nearestKey(word, keys)).toBe(expected);
  });
});
