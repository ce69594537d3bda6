/**
 * What `live-transcribe config` prints, and the starter file `config --init` writes. Pure: strings in,
 * strings out; secrets are masked here and nowhere else.
 */
import type { RawOptions } from '../options/config.js';
import { formatTomlValue, type FieldOrigins } from '../options/config-file.js';
import type { ConfigPath } from '../options/config-path.js';
import { CONFIG_ENV, PROFILE_ENV } from '../options/config-path.js';
import { FILE_KEYS, OPTION_KEYS, type OptionKey } from '../options/option-keys.js';
import type { ChosenProfile, SettingSource } from '../options/layers.js';

/** The first 4 characters and an ellipsis; short values (which may be mostly secret) show nothing at all. */
export function maskSecret(value: string): string {
  return value.length < 12 ? '…' : `${value.slice(0, 4)}…`;
}

export interface SettingsView {
  location: ConfigPath;
  fileFound: boolean;
  profile: ChosenProfile | undefined;
  effective: RawOptions;
  sources: Partial<Record<keyof RawOptions, SettingSource>>;
  origins: FieldOrigins;
}

const PROFILE_CHOSEN_BY = { flag: '--profile', env: PROFILE_ENV, file: 'default-profile' } as const;
const PATH_CHOSEN_BY = { flag: '--config', env: CONFIG_ENV, default: 'default place' } as const;

/** `live-transcribe config`: the file, the profile, then every setting, its value and where it came from. */
export function formatSettings(view: SettingsView): string {
  const fileState = view.fileFound ? '' : ' (not found: live-transcribe config --init creates it)';
  const head = [
    `config file: ${view.location.path} (${PATH_CHOSEN_BY[view.location.chosenBy]})${fileState}`,
    `profile:     ${view.profile === undefined ? '(none)' : `${view.profile.name} (${PROFILE_CHOSEN_BY[view.profile.chosenBy]})`}`,
  ];
  // Options the file cannot set (token, force) are shown only when a flag gave them.
  const shown = OPTION_KEYS.filter((o) => o.field !== undefined && (o.notInFile === undefined || view.effective[o.field] !== undefined));
  const rows = shown.flatMap((option) => (option.field === undefined ? [] : [settingRow(option, option.field, view)]));
  const keyWidth = Math.max(...rows.map((r) => r[0].length));
  const valueWidth = Math.min(40, Math.max(...rows.map((r) => r[1].length)));
  const lines = rows.map(([key, value, source]) => `${key.padEnd(keyWidth)}  ${value.padEnd(valueWidth)}  ${source}`.trimEnd());
  return `${head.join('\n')}\n\n${lines.join('\n')}\n`;
}

function settingRow(option: OptionKey, field: keyof RawOptions, view: SettingsView): [string, string, string] {
  const value = view.effective[field];
  const source = view.sources[field] ?? 'default';
  if (value === undefined) return [option.key, option.defaultText ?? '-', 'default'];
  const text = typeof value === 'boolean' ? String(value) : Array.isArray(value) ? formatTomlValue(value) : option.secret === true ? maskSecret(value) : value;
  const origin = view.origins[field];
  const line = origin?.line === undefined ? '' : ` line ${origin.line}`;
  const envName = source === 'env' ? (field === 'apiKey' ? ' ASSEMBLYAI_API_KEY' : ' NO_COLOR') : '';
  return [option.key, text, `${source}${envName}${line}`];
}

/** `config --path`. */
export function formatConfigPath(location: ConfigPath): string {
  return `${location.path}\n`;
}

export function formatInitDone(path: string): string {
  return `wrote ${path} (readable only by you); every setting in it is commented out: remove the # to use one\n`;
}

export function formatInitRefused(path: string): string {
  return `error: ${path} already exists; config --init never replaces a file\n  edit it, or move it away and run config --init again\n`;
}

/** The commented starter file: every key of OPTION_KEYS with its description, default and an example. */
export function formatStarterFile(): string {
  const header = [
    '# live-transcribe settings (TOML). Keys are the long flag names without --.',
    '# Precedence: flags > environment > the chosen profile > the keys at the top of this file > built-in defaults.',
    `# Choose a profile with --profile NAME, ${PROFILE_ENV}=NAME, or default-profile.`,
    '# An api-key is refused unless only you can read this file (chmod 600); ASSEMBLYAI_API_KEY also works.',
    '# Remove the # in front of a line to use it.',
    '',
    '# The profile used when none is chosen.',
    '# default-profile = "meeting"',
  ];
  const keys = FILE_KEYS.flatMap((option) => ['', `# ${describeKey(option)}`, `# ${option.key} = ${formatTomlValue(option.example ?? '')}`]);
  const profile = ['', '# A profile: its keys override the ones above when it is chosen.', '# [profiles.meeting]', '# format = "srt"', '# output = "meeting.srt"', '# keyterms = ["AssemblyAI"]'];
  return `${[...header, ...keys, ...profile].join('\n')}\n`;
}

function describeKey(option: OptionKey): string {
  const values = option.values === undefined ? '' : `; one of: ${option.values.join(', ')}`;
  const byDefault = option.defaultText === undefined ? '' : ` (default: ${option.defaultText})`;
  return `${option.description}${byDefault}${values}`;
}
