/**
 * Settings from every source, merged: flags > environment > chosen profile > top-level keys > built-in
 * defaults. The result is RawOptions for resolveConfig (the same validation as flags), where each value came
 * from, and where in the file, so a UsageError can be rewritten to name the file and line.
 */
import type { Env, RawOptions } from './raw-options.js';
import { UsageError } from '../core/errors.js';
import { unknownProfile, where, type ConfigFile, type ConfigFileSystem, type FieldOrigins, type SettingOrigin } from './config-file.js';
import { loadConfigFile } from './config-load.js';
import { PROFILE_ENV, resolveConfigPath, type ConfigPath } from './config-path.js';
import { readEnvironment } from './environment.js';
import { SETTING_FIELDS } from './table.js';
import { OPTION_KEYS } from './schema.js';

export type SettingSource = 'flag' | 'env' | `profile ${string}` | 'file' | 'default';

export interface SettingsLayer {
  source: Exclude<SettingSource, 'default'>;
  options: RawOptions;
  origins?: FieldOrigins;
}

export interface MergedSettings {
  /** For resolveConfig(options, env): every value but those from the environment, which resolveConfig reads itself. */
  options: RawOptions;
  /** options plus the values from the environment: what is in effect, for `config`. */
  effective: RawOptions;
  /** Where each setting came from; 'default' for every setting no source gave. */
  sources: Record<keyof RawOptions, SettingSource>;
  /** The file and line of each value taken from the file. */
  origins: FieldOrigins;
}

/**
 * Settings that exclude each other: a higher layer choosing one alternative drops the lower layers'
 * others, so `--input x.wav` overrides `device = "..."` in the file instead of conflicting with it.
 */
const ALTERNATIVES: ReadonlyArray<ReadonlyArray<ReadonlyArray<keyof RawOptions>>> = [
  [['apiKey'], ['token']],
  [['input', 'encoding'], ['device']],
  [['append'], ['force']],
];

/** Layers from lowest to highest precedence -> one set of options. Pure. */
export function mergeLayers(layers: readonly SettingsLayer[]): MergedSettings {
  const effective: Record<string, string | boolean | string[]> = {};
  const sources = Object.fromEntries(SETTING_FIELDS.map((f) => [f, 'default'])) as Record<keyof RawOptions, SettingSource>;
  const origins: FieldOrigins = {};
  for (const layer of layers) {
    const fields = (Object.keys(layer.options) as Array<keyof RawOptions>).filter((f) => layer.options[f] !== undefined);
    for (const dropped of displacedBy(fields)) {
      delete effective[dropped];
      sources[dropped] = 'default';
      delete origins[dropped];
    }
    for (const field of fields) {
      effective[field] = layer.options[field] as string | boolean | string[];
      sources[field] = layer.source;
      const origin = layer.origins?.[field];
      if (origin === undefined) delete origins[field];
      else origins[field] = origin;
    }
  }
  const options = Object.fromEntries(Object.entries(effective).filter(([f]) => sources[f as keyof RawOptions] !== 'env')) as RawOptions;
  return { options, effective: effective as RawOptions, sources, origins };
}

function displacedBy(fields: ReadonlyArray<keyof RawOptions>): Array<keyof RawOptions> {
  return ALTERNATIVES.flatMap((alternatives) =>
    alternatives.flatMap((chosen, i) => (chosen.some((f) => fields.includes(f)) ? alternatives.filter((_, j) => j !== i).flat() : [])),
  );
}

/**
 * The options given on the command line. commander fills defaults too (`--no-color` makes color true);
 * `sourceOf` is program.getOptionValueSource, and only values typed on the command line ('cli') count.
 */
export function flagLayer(opts: RawOptions, sourceOf: (field: string) => string | undefined): SettingsLayer {
  const options: Record<string, string | boolean | string[]> = {};
  for (const field of SETTING_FIELDS) {
    const value = opts[field];
    if (value !== undefined && sourceOf(field) === 'cli') options[field] = value;
  }
  return { source: 'flag', options: options as RawOptions };
}

/** The variables of the table's options (ASSEMBLYAI_API_KEY, NO_COLOR), as settings. */
export function envLayer(env: Env): SettingsLayer {
  return { source: 'env', options: readEnvironment(env) };
}

export interface ChosenProfile {
  name: string;
  chosenBy: 'flag' | 'env' | 'file';
}

/** --profile, else LIVE_TRANSCRIBE_PROFILE, else default-profile; an unknown name is a UsageError. */
export function chooseProfile(file: ConfigFile | undefined, flag: string | undefined, env: Env, path: string): ChosenProfile | undefined {
  const fromEnv = env[PROFILE_ENV];
  const requested: ChosenProfile | undefined =
    flag !== undefined ? { name: flag, chosenBy: 'flag' } : fromEnv !== undefined && fromEnv !== '' ? { name: fromEnv, chosenBy: 'env' } : undefined;
  if (requested === undefined) return file?.defaultProfile === undefined ? undefined : { name: file.defaultProfile.name, chosenBy: 'file' };
  if (file === undefined) {
    throw new UsageError(`profile "${requested.name}": there is no config file at ${path}`, 'create one with: live-transcribe config --init');
  }
  if (!file.profiles.has(requested.name))
    throw unknownProfile(requested.name, file, requested.chosenBy === 'env' ? `${PROFILE_ENV}: profile` : 'profile');
  return requested;
}

/** The file's layers (top level, then the chosen profile), lowest first. */
export function fileLayers(file: ConfigFile | undefined, profile: ChosenProfile | undefined): SettingsLayer[] {
  if (file === undefined) return [];
  const layers: SettingsLayer[] = [{ source: 'file', ...file.defaults }];
  const chosen = profile === undefined ? undefined : file.profiles.get(profile.name);
  if (profile !== undefined && chosen !== undefined) layers.push({ source: `profile ${profile.name}`, ...chosen });
  return layers;
}

export interface SettingsRequest {
  /** flagLayer(program.opts(), ...) */
  flags: SettingsLayer;
  /** --config FILE */
  configFlag?: string | undefined;
  /** --profile NAME */
  profileFlag?: string | undefined;
}

export interface SettingsDeps {
  env: Env;
  platform: string;
  homedir: string;
  fs: ConfigFileSystem;
}

export interface Settings extends MergedSettings {
  location: ConfigPath;
  /** undefined: no file at the default place. */
  file: ConfigFile | undefined;
  profile: ChosenProfile | undefined;
}

/** Finds, reads and merges everything; throws UsageError for a bad file, an unknown profile or an exposed key. */
export async function loadSettings(request: SettingsRequest, deps: SettingsDeps): Promise<Settings> {
  const location = resolveConfigPath({ flag: request.configFlag, env: deps.env, platform: deps.platform, homedir: deps.homedir });
  const file = await loadConfigFile(location, deps.fs, deps.platform);
  const profile = chooseProfile(file, request.profileFlag, deps.env, location.path);
  const merged = mergeLayers([...fileLayers(file, profile), envLayer(deps.env), request.flags]);
  return { ...merged, location, file, profile };
}

/**
 * A UsageError from resolveConfig about a value that came from the file, rewritten to name the file, line
 * and key: `config.toml line 3: format: unknown format "srt2"`. Other errors are returned as they are.
 */
export function explainFileError(err: UsageError, merged: Pick<MergedSettings, 'origins'>): UsageError {
  for (const match of err.message.matchAll(/--([a-z][a-z-]*)/g)) {
    const option = OPTION_KEYS.find((o) => o.key === match[1]);
    const origin: SettingOrigin | undefined = option?.field === undefined ? undefined : merged.origins[option.field];
    if (option === undefined || origin === undefined) continue;
    const message = err.message.replace(`--${option.key}`, option.key);
    const subject = message.startsWith(option.key) ? '' : `${option.key}: `;
    return new UsageError(`${where(origin)}: ${subject}${message}`, err.hint);
  }
  return err;
}
