/**
 * RawOptions is derived from the option table (src/options/raw-options.ts): one optional field per entry's
 * `field`, typed by its kind of value. Most assertions here are types (expectTypeOf): `npm run typecheck`
 * (tsc -p tsconfig.json, run by .ci/run) fails when the table and the type disagree; the runtime ones check
 * what the types cannot see.
 */
import { Command } from 'commander';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { formatTomlValue } from '../../../src/core/toml-value.js';
import type { NotesRawOptions } from '../../../src/notes/options.js';
import { parseConfigFile } from '../../../src/options/config-toml.js';
import { readEnvironment } from '../../../src/options/environment.js';
import { addTableOptions } from '../../../src/options/program.js';
import type { KindValue, RawOptions, RawOptionsOf, ReadForOptions } from '../../../src/options/raw-options.js';
import type { ServiceRawOptions } from '../../../src/options/service.js';
import { OPTIONS, SETTING_FIELDS, type OptionSpec, type SettingField, type ValueKind } from '../../../src/options/table.js';

/** A planted table: one entry of each kind of value, a repeated one, and one that is not a setting. */
const PLANTED = [
  { field: 'aSwitch', value: { kind: 'switch' } },
  { field: 'aText', value: { kind: 'text', arg: '<t>' } },
  { field: 'aChoice', value: { kind: 'choice', arg: '<c>', values: ['x', 'y'] } },
  { field: 'anInteger', value: { kind: 'integer', arg: '<n>', min: 0, max: 9, unit: 'n' } },
  { field: 'aFraction', value: { kind: 'fraction', arg: '<f>' } },
  { field: 'aDuration', value: { kind: 'duration', arg: '<s>' } },
  { field: 'aFile', value: { kind: 'file', arg: '<file>' } },
  { field: 'aList', value: { kind: 'list', arg: '<a,b>' } },
  { field: 'somePhrases', value: { kind: 'phrases', arg: '<words>' }, repeat: true },
  { field: 'anOptional', value: { kind: 'optional', arg: '[x]' } },
  { field: 'aRepeatedText', value: { kind: 'text', arg: '<name>' }, repeat: true },
  { field: undefined, value: { kind: 'switch' } },
] as const satisfies ReadonlyArray<Pick<OptionSpec<string>, 'field' | 'value' | 'repeat'>>;

describe('RawOptions, derived from the option table', () => {
  it('gives an entry added to a table a field of the type of its kind of value', () => {
    expectTypeOf<RawOptionsOf<typeof PLANTED>>().toEqualTypeOf<{
      aSwitch?: boolean;
      aText?: string;
      aChoice?: string;
      anInteger?: string;
      aFraction?: string;
      aDuration?: string;
      aFile?: string;
      aList?: string;
      somePhrases?: string[];
      anOptional?: string | boolean;
      aRepeatedText?: string | string[];
    }>();
    expectTypeOf<RawOptionsOf<[...typeof PLANTED, { field: 'added'; value: { kind: 'duration' } }]>>().toHaveProperty('added');
    expectTypeOf<RawOptionsOf<[{ field: 'added'; value: { kind: 'duration' } }]>>().toEqualTypeOf<{ added?: string }>();
  });

  it('has a key for each field of the table, and for the values read for options, and no other', () => {
    expectTypeOf<keyof RawOptions>().toEqualTypeOf<SettingField | keyof ReadForOptions>();
    expectTypeOf<keyof ReadForOptions>().toEqualTypeOf<'keytermsFileText'>();
    expectTypeOf<RawOptions>().not.toHaveProperty('notAnOption');
    // Entries without a field (help, version, config, profile...) are not settings.
    expectTypeOf<RawOptions>().not.toHaveProperty('help');
    expectTypeOf<RawOptions>().not.toHaveProperty('profile');
  });

  it("types today's options by their entries", () => {
    expectTypeOf<RawOptions['once']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<RawOptions['color']>().toEqualTypeOf<boolean | undefined>(); // --no-color only
    expectTypeOf<RawOptions['formatTurns']>().toEqualTypeOf<boolean | undefined>(); // both forms
    expectTypeOf<RawOptions['apiKey']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<RawOptions['sampleRate']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<RawOptions['keyterms']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<RawOptions['typeWith']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<RawOptions['device']>().toEqualTypeOf<string | string[] | undefined>(); // repeatable text
    expectTypeOf<RawOptions['stopPhrase']>().toEqualTypeOf<string[] | undefined>(); // repeatable phrases
    expectTypeOf<RawOptions['notes']>().toEqualTypeOf<string | boolean | undefined>();
    expectTypeOf<RawOptions['captions']>().toEqualTypeOf<string | boolean | undefined>();
    expectTypeOf<RawOptions['keytermsFileText']>().toEqualTypeOf<string | undefined>();
  });

  it('gives the slices the same types: the notes (declared in notes/, below options/) and the service', () => {
    expectTypeOf<Pick<RawOptions, keyof NotesRawOptions>>().toEqualTypeOf<NotesRawOptions>();
    expectTypeOf<ServiceRawOptions>().toEqualTypeOf<Pick<RawOptions, keyof ServiceRawOptions>>();
    expectTypeOf<RawOptions>().toExtend<NotesRawOptions>();
  });

  it('fills each field from one entry only (two would merge their types without a word)', () => {
    const repeated = SETTING_FIELDS.filter((f, i) => SETTING_FIELDS.indexOf(f) !== i);
    expect(repeated).toEqual([]);
    expect(SETTING_FIELDS).toEqual(OPTIONS.flatMap((o) => (o.field === undefined ? [] : [o.field])));
    expect(SETTING_FIELDS).toContain('device');
    expect(SETTING_FIELDS).not.toContain('keytermsFileText');
  });
});

/**
 * The types above are claims about what the sources hand over; these guards say the same at run time (the
 * `satisfies` ties each to its type: a guard of another type does not compile).
 */
const isString = (v: unknown): v is string => typeof v === 'string';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const IS: { [K in ValueKind]: (v: unknown) => v is KindValue[K] } = {
  switch: isBoolean,
  text: isString,
  choice: isString,
  integer: isString,
  fraction: isString,
  duration: isString,
  file: isString,
  list: isString,
  phrases: isStrings,
  optional: (v): v is string | boolean => isString(v) || isBoolean(v),
};
/** The run-time form of ValueOf (raw-options.ts): a repeated option may also be a list. */
const fits = (option: OptionSpec, v: unknown): boolean => IS[option.value.kind](v) || (option.repeat === true && isStrings(v));

const SETTINGS = OPTIONS.filter((o): o is OptionSpec & { field: SettingField } => o.field !== undefined);

/** What commander gives for the option's flags, given as a user would (a value where it takes one; repeated ones twice). */
function fromFlags(option: OptionSpec & { field: SettingField }): unknown[] {
  const argvs: string[][] =
    option.value.kind === 'switch'
      ? [[option.negate === 'only' ? `--no-${option.name}` : `--${option.name}`]]
      : option.value.kind === 'optional'
        ? [[`--${option.name}`], [`--${option.name}`, 'some words']]
        : [[`--${option.name}`, 'value'], ...(option.repeat === true ? [[`--${option.name}`, 'a', `--${option.name}`, 'b']] : [])];
  if (option.negate === 'also') argvs.push([`--no-${option.name}`]);
  const command = option.commands[0] ?? 'run';
  return argvs.map((argv) => addTableOptions(new Command(), command, 'all').exitOverride().parse(argv, { from: 'user' }).opts()[option.field]);
}

describe('what the flags, the file and the environment hand over fits the derived types', () => {
  it.each(SETTINGS.map((o) => [o.name, o] as const))('--%s', (_, option) => {
    const values = fromFlags(option);
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) expect(fits(option, v), `${option.field}: ${JSON.stringify(v)}`).toBe(true);
  });

  it.each(SETTINGS.filter((o) => o.file === true).map((o) => [o.name, o] as const))('%s = (the example) in the config file', (_, option) => {
    expect(option.example, 'a key of the file has an example').toBeDefined();
    const file = parseConfigFile(`${option.name} = ${formatTomlValue(option.example ?? '')}\n`, '/tmp/config.toml');
    const v: unknown = file.defaults.options[option.field];
    expect(v).toBeDefined();
    expect(fits(option, v), `${option.field}: ${JSON.stringify(v)}`).toBe(true);
  });

  it.each(SETTINGS.filter((o) => o.env !== undefined).map((o) => [o.env, o] as const))('%s in the environment', (variable, option) => {
    const v: unknown = readEnvironment({ [variable ?? '']: '1' })[option.field];
    expect(v).toBeDefined();
    expect(fits(option, v), `${option.field}: ${JSON.stringify(v)}`).toBe(true);
  });

  it('the guards refuse what the types refuse', () => {
    const device = SETTINGS.find((o) => o.field === 'device');
    const once = SETTINGS.find((o) => o.field === 'once');
    expect(device !== undefined && fits(device, ['a', 'b']) && fits(device, 'a') && !fits(device, true)).toBe(true);
    expect(once !== undefined && fits(once, true) && !fits(once, 'true') && !fits(once, ['x'])).toBe(true);
  });
});
