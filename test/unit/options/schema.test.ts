import { describe, expect, it } from 'vitest';
import { createProgram } from '../../../src/cli.js';
import { FILE_KEYS, OPTION_KEYS, refusalReason } from '../../../src/options/schema.js';

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
      ['token', 'list-devices', 'force', 'list-models', 'config', 'profile', 'help', 'version'].map((k) => [k, true]),
    );
  });
});
