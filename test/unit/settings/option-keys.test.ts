import { describe, expect, it } from 'vitest';
import { createProgram } from '../../../src/cli.js';
import { editDistance, FILE_KEYS, nearestKey, OPTION_KEYS, refusalReason } from '../../../src/settings/option-keys.js';

describe('OPTION_KEYS', () => {
  const program = createProgram('0.0.0');
  const flags = program.options.map((o) => ({ key: (o.long ?? '').replace(/^--(no-)?/, ''), field: o.attributeName() }));

  it('describes every long flag of createProgram(), with the RawOptions field commander fills', () => {
    for (const flag of flags) {
      const option = OPTION_KEYS.find((o) => o.key === flag.key);
      expect(option, flag.key).toBeDefined();
      if (option?.field !== undefined) expect(option.field, flag.key).toBe(flag.field);
    }
  });

  it('names only flags that exist (help is commander\'s own)', () => {
    const known = new Set([...flags.map((f) => f.key), 'help']);
    expect(OPTION_KEYS.map((o) => o.key).filter((k) => !known.has(k))).toEqual([]);
  });

  it('gives every file key an example of its own type, and every refused key a reason', () => {
    for (const option of FILE_KEYS) {
      const example = option.example;
      const type = Array.isArray(example) ? (option.type === 'phrases' ? 'phrases' : 'list') : typeof example;
      expect(option.type === 'number' && option.units !== undefined ? ['number', 'string'] : [option.type], option.key).toContain(type);
    }
    expect(OPTION_KEYS.filter((o) => !FILE_KEYS.includes(o)).map((o) => [o.key, refusalReason(o.key) !== undefined])).toEqual(
      ['token', 'force', 'batch', 'list-models', 'list-devices', 'config', 'profile', 'help', 'version'].map((k) => [k, true]),
    );
  });
});

describe('nearestKey', () => {
  const keys = FILE_KEYS.map((o) => o.key);
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

  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['format', 'format', 0],
  ])('editDistance(%j, %j) = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});
