/**
 * config.toml's text -> a ConfigFile, every value checked against OPTION_KEYS with the file and line in the
 * error (throws UsageError, exit 2). Pure. Loaded only when there is a config file (config-load.ts), with the
 * TOML parser.
 */
import { parse, TomlDate, TomlError } from 'smol-toml';
import type { RawOptions } from './raw-options.js';
import { UsageError } from '../core/errors.js';
import { formatUnquotedStringHint } from '../render/toml-hints.js';
import { locateKeys, type KeyLines } from './key-lines.js';
import { sanitize, sanitizeBlock } from '../core/text.js';
import { nearestKey } from '../core/edit-distance.js';
import { formatTomlValue } from '../core/toml-value.js';
import { FILE_KEYS, fileKey, refusalReason, TOP_LEVEL_ONLY_KEYS, type OptionKey } from './schema.js';
import { unknownProfile, where, type ConfigFile, type FileLayer, type SettingOrigin } from './config-file.js';

type Table = Record<string, unknown>;

interface Context {
  path: string;
  lines: KeyLines;
}

export function parseConfigFile(text: string, path: string): ConfigFile {
  let document: Table;
  try {
    document = parse(text);
  } catch (err) {
    if (err instanceof TomlError) throw syntaxError(err, path, text);
    throw err;
  }
  const ctx: Context = { path, lines: locateKeys(text) };
  const file: ConfigFile = { path, defaults: parseLayer(document, [], ctx), profiles: parseProfiles(document.profiles, ctx) };
  const defaultProfile = document['default-profile'];
  if (defaultProfile !== undefined) {
    const origin = originOf(ctx, ['default-profile']);
    if (typeof defaultProfile !== 'string') {
      throw new UsageError(`${where(origin)}: default-profile must be a profile name in quotes, got ${describeValue(defaultProfile)}`);
    }
    if (!file.profiles.has(defaultProfile)) throw unknownProfile(defaultProfile, file, `${where(origin)}: default-profile`);
    file.defaultProfile = { name: defaultProfile, origin };
  }
  const apiKey = [file.defaults, ...file.profiles.values()].map((layer) => layer.origins.apiKey).find((o) => o !== undefined);
  if (apiKey !== undefined) file.apiKey = apiKey;
  return file;
}

function syntaxError(err: TomlError, path: string, text: string): UsageError {
  const reason = err.message.replace(/^Invalid TOML document: /, '').split('\n\n')[0] ?? err.message;
  // The quoted lines are the file's own: their control characters are shown, not sent to the terminal.
  // Issue 24.8: a bare word where a string goes gets the sentence that says so.
  const quotes = formatUnquotedStringHint(text.split(/\r?\n/)[err.line - 1] ?? '');
  // The quoted lines may hold the file's api-key (issue 19.2): never shown, also around a syntax error.
  const hide = maskSecrets(text);
  return new UsageError(
    hide(`${sanitize(path)} line ${err.line} column ${err.column}: ${sanitize(reason)}${quotes === undefined ? '' : ` (${quotes})`}`),
    hide(sanitizeBlock(err.codeblock.trimEnd())),
  );
}

/** The value of every `api-key =` / `token =` in a file that does not parse, found leniently: replaced by `***`. */
function maskSecrets(text: string): (shown: string) => string {
  const values = new Set<string>();
  for (const m of text.matchAll(/["']?(?:api-key|token)["']?[ \t]*=[ \t]*([^\r\n]*)/g)) {
    for (const part of (m[1] ?? '').split(/["'\s#,{}[\]]+/)) if (part.length >= 4) values.add(part);
  }
  const longestFirst = [...values].sort((a, b) => b.length - a.length);
  return (shown) => longestFirst.reduce((t, v) => t.split(v).join('***'), shown);
}

function parseProfiles(value: unknown, ctx: Context): Map<string, FileLayer> {
  const profiles = new Map<string, FileLayer>();
  if (value === undefined) return profiles;
  if (!isTable(value)) throw new UsageError(`${where(originOf(ctx, ['profiles']))}: profiles must be tables, e.g. [profiles.work]`);
  for (const [name, table] of Object.entries(value)) {
    if (!isTable(table)) {
      throw new UsageError(
        `${where(originOf(ctx, ['profiles', name]))}: profile "${name}" must be a table of settings`,
        `write it as [profiles.${name}] followed by its keys`,
      );
    }
    profiles.set(name, parseLayer(table, ['profiles', name], ctx));
  }
  return profiles;
}

/** One table's keys -> RawOptions; `at` is [] for the top level, ['profiles', NAME] for a profile. */
function parseLayer(table: Table, at: readonly string[], ctx: Context): FileLayer {
  const layer: FileLayer = { options: {}, origins: {} };
  for (const [key, value] of Object.entries(table)) {
    if (at.length === 0 && (TOP_LEVEL_ONLY_KEYS as readonly string[]).includes(key)) continue;
    const origin = originOf(ctx, [...at, key]);
    const option = fileKey(key);
    if (option === undefined || option.field === undefined) throw unknownKey(key, value, at, origin);
    setField(layer.options, option.field, parseValue(option, value, origin));
    layer.origins[option.field] = origin;
  }
  return layer;
}

function unknownKey(key: string, value: unknown, at: readonly string[], origin: SettingOrigin): UsageError {
  const inTable = at.length === 0 ? '' : ` in [${at.join('.')}]`;
  if ((TOP_LEVEL_ONLY_KEYS as readonly string[]).includes(key)) {
    return new UsageError(`${where(origin)}: ${key} belongs at the top of the file, not${inTable}`);
  }
  if (at.length === 0 && isTable(value)) {
    return new UsageError(`${where(origin)}: unknown table [${key}]`, 'profiles are [profiles.NAME] tables; other settings are top-level keys');
  }
  const refusal = refusalReason(key);
  if (refusal !== undefined) return new UsageError(`${where(origin)}: ${key} cannot be set in the config file`, refusal);
  const candidates = [...FILE_KEYS.map((o) => o.key), ...(at.length === 0 ? TOP_LEVEL_ONLY_KEYS : [])];
  const suggestion = nearestKey(key, candidates);
  return new UsageError(
    `${where(origin)}: unknown key "${key}"${inTable}`,
    suggestion === undefined ? 'keys are the long flag names without --, as live-transcribe --help lists them' : `did you mean "${suggestion}"?`,
  );
}

/** A TOML value -> what commander would give for the flag: a string as typed, or a boolean for a switch. */
function parseValue(option: OptionKey, value: unknown, origin: SettingOrigin): string | boolean | string[] {
  switch (option.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      break;
    case 'string':
      if (typeof value === 'string') return value;
      break;
    case 'number':
      if (typeof value === 'number') return String(value);
      if (typeof value === 'string' && option.units !== undefined) return value;
      break;
    case 'list':
      if (typeof value === 'string') return value;
      if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) {
        const withComma = value.find((v) => v.includes(','));
        if (withComma !== undefined)
          throw new UsageError(`${where(origin)}: ${option.key}: "${withComma}" contains a comma`, 'give each term as its own string');
        return value.join(',');
      }
      break;
    case 'switch-or-string':
      if (typeof value === 'boolean' || typeof value === 'string') return value;
      break;
    case 'phrases':
      if (typeof value === 'string') return [value];
      if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
      break;
  }
  throw new UsageError(`${where(origin)}: ${option.key} must be ${allowedText(option)}, got ${describeValue(value)}`);
}

/** What a key accepts, in words, for wrong-type errors. */
export function allowedText(option: OptionKey): string {
  const example = option.example === undefined ? '' : ` (e.g. ${option.key} = ${formatTomlValue(option.example)})`;
  switch (option.type) {
    case 'boolean':
      return 'true or false';
    case 'switch-or-string':
      return `true, false or a string in quotes${example}`;
    case 'list':
      return `a list of strings${example} or one comma-separated string`;
    case 'phrases':
      return `a list of strings${example} or one string`;
    case 'number':
      return option.units === undefined ? `a number${example}` : `a number of ${option.units}`;
    case 'string':
      return option.values === undefined ? `a string in quotes${example}` : `one of ${option.values.map((v) => `"${v}"`).join(', ')}`;
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (value instanceof TomlDate) return 'a date';
  return 'a table';
}

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof TomlDate);
}

function setField(options: RawOptions, field: keyof RawOptions, value: string | boolean | string[]): void {
  (options as Record<string, string | boolean | string[]>)[field] = value;
}

function originOf(ctx: Context, path: readonly string[]): SettingOrigin {
  return { file: ctx.path, line: ctx.lines.lineOf(path), key: path[path.length - 1] ?? '' };
}
