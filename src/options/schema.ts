/**
 * The config file's schema, derived from the option table (options/table.ts): which keys a file may set, the
 * TOML type each takes, which options it refuses (and why). config-file.ts checks a file against it; the
 * starter file (`config --init`) and `live-transcribe config` list it. Pure data plus lookups.
 */
import type { RawOptions } from './raw-options.js';
import { allowedValues, OPTIONS, type OptionSpec } from './table.js';

/** The TOML type of a key. 'phrases': a list of strings kept apart (commas included), like a repeated flag. */
export type OptionType = 'string' | 'boolean' | 'list' | 'number' | 'phrases' | 'switch-or-string';

export interface OptionKey {
  /** The long flag without `--`, which is also the key in config.toml. */
  key: string;
  type: OptionType;
  /** The settings field the key fills; undefined for options that are not settings (help, config...). */
  field: keyof RawOptions | undefined;
  description: string;
  /** Set when the key is refused in the file: why, and what to do instead. */
  notInFile?: string;
  /** The value shown in the starter file (commented out). */
  example?: string | number | boolean | readonly string[];
  /** The built-in default, as `config` shows it. */
  defaultText?: string;
  /** number keys: a string with a unit is accepted too, described here. */
  units?: string;
  /** The values the option accepts, when it is a closed choice. */
  values?: readonly string[];
  /** The value is a secret: never shown whole. */
  secret?: boolean;
  /** The environment variable that sets it too. */
  env?: string;
}

const DURATION_UNITS = 'seconds, or a string with a unit ("90s", "2m", "1h")';

/** The TOML type of an option's value. */
export function fileType(option: OptionSpec): OptionType {
  switch (option.value.kind) {
    case 'switch':
      return 'boolean';
    case 'integer':
    case 'fraction':
    case 'duration':
      return 'number';
    case 'list':
      return 'list';
    case 'phrases':
      return 'phrases';
    case 'optional':
      return 'switch-or-string';
    default:
      return 'string';
  }
}

function keyOf(option: OptionSpec): OptionKey {
  const values = allowedValues(option);
  return {
    key: option.name,
    type: fileType(option),
    field: option.field,
    description: option.help,
    ...(option.file === true ? {} : { notInFile: option.file }),
    ...(option.example === undefined ? {} : { example: option.example }),
    ...(option.default === undefined
      ? option.value.kind === 'switch' && option.field !== undefined
        ? { defaultText: 'false' }
        : {}
      : { defaultText: option.default }),
    ...(option.value.kind === 'duration' ? { units: DURATION_UNITS } : {}),
    ...(values === undefined ? {} : { values }),
    ...(option.secret === true ? { secret: true } : {}),
    ...(option.env === undefined ? {} : { env: option.env }),
  };
}

/** Every option of the table, as a config-file key (refused ones included, with their reason). */
export const OPTION_KEYS: readonly OptionKey[] = OPTIONS.map(keyOf);

/** Negated flags people may write as keys, and the key to write instead. */
const NEGATED_KEYS: Readonly<Record<string, string>> = Object.fromEntries(
  OPTIONS.filter((o) => o.negate !== undefined).map((o) => [`no-${o.name}`, `${o.name} = false`]),
);

/** The keys with a meaning in the file only: at the top level, never in a profile. */
export const TOP_LEVEL_ONLY_KEYS = ['default-profile', 'profiles'] as const;

/** The keys a config file may set (in the top level or a profile). */
export const FILE_KEYS: readonly OptionKey[] = OPTION_KEYS.filter((o) => o.notInFile === undefined && o.field !== undefined);

export function fileKey(key: string): OptionKey | undefined {
  return FILE_KEYS.find((o) => o.key === key);
}

/** Why a known option or a negated flag cannot be a key in the file, or undefined. */
export function refusalReason(key: string): string | undefined {
  const negated = NEGATED_KEYS[key];
  if (negated !== undefined) return `write ${negated}`;
  return OPTION_KEYS.find((o) => o.key === key)?.notInFile;
}
