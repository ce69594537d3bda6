/**
 * The one parser of each kind of value (options/table.ts ValueSpec). A value goes through the same function
 * whether it was typed as a flag, set in the environment or written in the config file: the message names
 * the flag (`--sample-rate ...`), and options/layers.ts explainFileError rewrites it to the file, line and key
 * when the value came from the file. Pure: throws UsageError.
 */
import { UsageError } from '../core/errors.js';
import * as say from '../render/usage-messages.js';
import { optionNamed, type OptionSpec } from './table.js';

function refuse(r: say.Refusal): never {
  throw new UsageError(r.message, r.hint);
}

function spec(name: string): OptionSpec {
  const option = optionNamed(name);
  if (option === undefined) throw new Error(`no option --${name} in the table`);
  return option;
}

/** A whole number in [min, max]. */
export function parseInteger(flag: string, text: string, min: number, max: number, unit: string): number {
  const t = text.trim();
  if (!/^\d+$/.test(t)) refuse(say.formatNotAWholeNumber(flag, text, unit));
  const value = Number(t);
  if (value < min || value > max) refuse(say.formatOutOfRange(flag, value, min, max, unit));
  return value;
}

/** A number from 0 to 1. */
export function parseUnitInterval(flag: string, text: string): number {
  const t = text.trim();
  const value = /^(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : Number.NaN;
  if (!(value >= 0 && value <= 1)) refuse(say.formatNotAUnitInterval(flag, text));
  return value;
}

/** Seconds as a positive number, with an optional unit: 90, 1.5, 90s, 2m, 1h. */
export function parseSeconds(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?$/i.exec(text.trim());
  const unit = m?.[2]?.toLowerCase() ?? 's';
  const value = m === null ? Number.NaN : Number(m[1]) * (unit === 'ms' ? 0.001 : unit === 'm' ? 60 : unit === 'h' ? 3600 : 1);
  if (!(value > 0)) refuse(say.formatNotADuration(flag, text));
  return value;
}

/** One of a closed list, exactly (surrounding blanks ignored). */
export function parseChoice<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  const found = choices.find((c) => c === text.trim());
  return found ?? refuse(say.formatUnknownChoice(flag, text, choices));
}

/** The number an integer, fraction or duration option holds (a duration in seconds), checked by its kind. */
export function numberValue(name: string, text: string): number {
  const option = spec(name);
  const flag = `--${name}`;
  switch (option.value.kind) {
    case 'integer':
      return parseInteger(flag, text, option.value.min, option.value.max, option.value.unit);
    case 'fraction':
      return parseUnitInterval(flag, text);
    case 'duration':
      return parseSeconds(flag, text);
    default:
      throw new Error(`--${name} does not hold a number`);
  }
}

/** The value of a closed-choice option, checked against the table's list. */
export function choiceValue<T extends string>(name: string, text: string): T {
  const option = spec(name);
  if (option.value.kind !== 'choice') throw new Error(`--${name} is not a choice`);
  return parseChoice(`--${name}`, text, option.value.values as readonly T[]);
}
