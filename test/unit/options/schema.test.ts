import { describe, expect, it } from 'vitest';
import { FILE_KEYS, OPTION_KEYS, refusalReason } from '../../../src/options/schema.js';
import { OPTIONS } from '../../../src/options/table.js';

describe('the config-file schema, from the option table', () => {
  it('has one key per option of the table, with the settings field it fills', () => {
    expect(OPTION_KEYS.map((o) => [o.key, o.field])).toEqual(OPTIONS.map((o) => [o.name, o.field]));
  });

  it('gives every file key an example of its own type, and every refused key a reason', () => {
    for (const option of FILE_KEYS) {
      const example = option.example;
      const type = Array.isArray(example) ? (option.type === 'phrases' ? 'phrases' : 'list') : typeof example;
      const accepted =
        option.type === 'number' && option.units !== undefined
          ? ['number', 'string']
          : option.type === 'switch-or-string'
            ? ['boolean', 'string']
            : [option.type];
      expect(accepted, option.key).toContain(type);
    }
    expect(OPTION_KEYS.filter((o) => !FILE_KEYS.includes(o)).map((o) => [o.key, refusalReason(o.key) !== undefined])).toEqual(
      [
        'token',
        'list-devices',
        'force',
        'list-models',
        'config',
        'profile',
        'path',
        'init',
        'batch',
        'notes-file',
        'list-llm-models',
        'toggle',
        'help',
        'version',
      ].map((k) => [k, true]),
    );
  });

  it('tells what to write for a negated flag', () => {
    expect(refusalReason('no-color')).toBe('write color = false');
    expect(refusalReason('no-format-turns')).toBe('write format-turns = false');
    expect(refusalReason('format')).toBeUndefined();
  });
});
