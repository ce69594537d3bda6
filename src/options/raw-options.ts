/**
 * The shape of the settings before they are resolved, DERIVED from the option table (options/table.ts): one
 * optional field per entry's `field`, typed by its kind of value. Strings as typed (or as the file and the
 * environment gave them), booleans for switches. Nothing here is declared a second time: an entry added to the
 * table is a field here, with its type. Types only.
 */
import type { OptionTable, ValueKind } from './table.js';

/** What commander, the environment and the config file give for one value of each kind (values.ts checks it later). */
export interface KindValue {
  switch: boolean;
  text: string;
  choice: string;
  integer: string;
  fraction: string;
  duration: string;
  file: string;
  /** Comma-separated words: the file's list of strings arrives joined (config-file.ts). */
  list: string;
  /** Phrases keep their commas: always a list, from the flags (repeated) and the file (one string or a list). */
  phrases: string[];
  /** `--notes` alone is true, `--notes "PROMPT"` the text; the file: true, false or a string. */
  optional: string | boolean;
}

/** The fields of an entry that decide its type. */
interface TypedEntry {
  field: string | undefined;
  value: { kind: ValueKind };
  repeat?: true;
}

/**
 * One entry's value. `repeat`: commander collects every value given into a list; the config file and a caller
 * that gives it once hand over one value (`--device`: `string | string[]`).
 */
type ValueOf<E extends TypedEntry> = E extends { repeat: true } ? KindValue[E['value']['kind']] | string[] : KindValue[E['value']['kind']];

/** The settings of any table: one optional field per entry that has a `field`. */
export type RawOptionsOf<Table extends readonly TypedEntry[]> = {
  [E in Table[number] as E['field'] extends string ? E['field'] : never]?: ValueOf<E>;
};

/**
 * Fields that are NOT options (no flag, key or variable sets them): what cli.ts reads for an option before the
 * resolve step, so that the resolve step stays pure. Declared here by hand because the table cannot say it.
 */
export interface ReadForOptions {
  /** The text of the --keyterms-file file (cli.ts `withKeytermsFile`). */
  keytermsFileText?: string;
}

/** What the resolve step takes: the table's settings (program.opts(), the environment, the file) and what was read for them. */
export type RawOptions = RawOptionsOf<OptionTable> & ReadForOptions;

export type Env = Readonly<Record<string, string | undefined>>;
