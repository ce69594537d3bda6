/**
 * What a config file holds (config.toml -> RawOptions layers: the top-level keys and each [profiles.NAME] table,
 * each value with where it was written), and the errors that name a place in it. Parsed by config-toml.ts,
 * read by config-load.ts.
 */
import type { RawOptions } from './raw-options.js';
import { UsageError } from '../core/errors.js';
import { nearestKey } from '../core/edit-distance.js';

/** Where a value from the file was written. */
export interface SettingOrigin {
  file: string;
  line: number | undefined;
  key: string;
}

export type FieldOrigins = Partial<Record<keyof RawOptions, SettingOrigin>>;

/** One layer of settings: values shaped as commander gives them, and where each was written. */
export interface FileLayer {
  options: RawOptions;
  origins: FieldOrigins;
}

export interface ConfigFile {
  path: string;
  defaults: FileLayer;
  profiles: ReadonlyMap<string, FileLayer>;
  defaultProfile?: { name: string; origin: SettingOrigin };
  /** The first api-key in the file (top level or a profile), for the permission check. */
  apiKey?: SettingOrigin;
}

export interface ConfigFileSystem {
  readFile(path: string): Promise<string>;
  stat(path: string): Promise<{ mode: number }>;
}

/** The error for a profile name the file does not define, listing those it does. */
export function unknownProfile(name: string, file: ConfigFile, subject = 'profile'): UsageError {
  const names = [...file.profiles.keys()];
  const suggestion = nearestKey(name, names);
  return new UsageError(
    `${subject} "${name}" is not in ${file.path}`,
    names.length === 0
      ? 'the file defines no profiles: add a [profiles.NAME] table'
      : `profiles in the file: ${names.join(', ')}${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}`,
  );
}

/** "FILE line N", or just the file when the line is not known. */
export function where(origin: SettingOrigin): string {
  return origin.line === undefined ? origin.file : `${origin.file} line ${origin.line}`;
}
