/**
 * What `live-transcribe config` prints, and the starter file `config --init` writes. Pure: plain data in
 * (options/config-view.ts builds it from the option table and the settings), strings out. Secrets are masked
 * with the one rule of core/secrets.ts.
 */
import { maskSecret } from '../core/secrets.js';
import { formatTomlValue } from '../core/toml-value.js';

type Value = string | number | boolean | readonly string[];

/** One setting: its key, its value (undefined: the built-in default) and where it came from, in words. */
export interface SettingRow {
  key: string;
  value: Value | undefined;
  secret: boolean;
  defaultText: string | undefined;
  /** 'flag', 'env ASSEMBLYAI_API_KEY', 'file line 3', 'profile work line 4', 'default'. */
  source: string;
}

export interface SettingsView {
  path: string;
  /** What chose the path: '--config', 'LIVE_TRANSCRIBE_CONFIG', 'default place'. */
  pathChosenBy: string;
  fileFound: boolean;
  /** The profile and what chose it ('--profile', 'LIVE_TRANSCRIBE_PROFILE', 'default-profile'). */
  profile: { name: string; chosenBy: string } | undefined;
  rows: readonly SettingRow[];
}

/** `live-transcribe config`: the file, the profile, then every setting, its value and where it came from. */
export function formatSettings(view: SettingsView): string {
  const fileState = view.fileFound ? '' : ' (not found: live-transcribe config --init creates it)';
  const head = [
    `config file: ${view.path} (${view.pathChosenBy})${fileState}`,
    `profile:     ${view.profile === undefined ? '(none)' : `${view.profile.name} (${view.profile.chosenBy})`}`,
  ];
  const rows = view.rows.map(settingRow);
  const keyWidth = Math.max(...rows.map((r) => r[0].length));
  const valueWidth = Math.min(40, Math.max(...rows.map((r) => r[1].length)));
  const lines = rows.map(([key, value, source]) => `${key.padEnd(keyWidth)}  ${value.padEnd(valueWidth)}  ${source}`.trimEnd());
  return `${head.join('\n')}\n\n${lines.join('\n')}\n`;
}

function settingRow(row: SettingRow): [string, string, string] {
  if (row.value === undefined) return [row.key, row.defaultText ?? '-', 'default'];
  const text =
    typeof row.value === 'string'
      ? row.secret
        ? maskSecret(row.value)
        : row.value
      : typeof row.value === 'object'
        ? formatTomlValue(row.value)
        : String(row.value);
  return [row.key, text, row.source];
}

/** `config --path`. */
export function formatConfigPath(path: string): string {
  return `${path}\n`;
}

export function formatInitDone(path: string): string {
  return `wrote ${path} (readable only by you); every setting in it is commented out: remove the # to use one\n`;
}

export function formatInitRefused(path: string): string {
  return `error: ${path} already exists; config --init never replaces a file\n  edit it, or move it away and run config --init again\n`;
}

/** One key of the starter file. */
export interface StarterKey {
  key: string;
  description: string;
  defaultText?: string;
  values?: readonly string[];
  example?: Value;
}

/** The commented starter file: every key with its description, default and an example. */
export function formatStarterFile(keys: readonly StarterKey[], profileEnv: string): string {
  const header = [
    '# live-transcribe settings (TOML). Keys are the long flag names without --.',
    '# Precedence: flags > environment > the chosen profile > the keys at the top of this file > built-in defaults.',
    `# Choose a profile with --profile NAME, ${profileEnv}=NAME, or default-profile.`,
    '# An api-key is refused unless only you can read this file (chmod 600); ASSEMBLYAI_API_KEY also works.',
    '# Remove the # in front of a line to use it.',
    '',
    '# The profile used when none is chosen.',
    '# default-profile = "meeting"',
  ];
  const lines = keys.flatMap((key) => ['', `# ${describeKey(key)}`, `# ${key.key} = ${formatTomlValue(key.example ?? '')}`]);
  const profile = [
    '',
    '# A profile: its keys override the ones above when it is chosen.',
    '# [profiles.meeting]',
    '# format = "srt"',
    '# output = "meeting.srt"',
    '# keyterms = ["AssemblyAI"]',
  ];
  return `${[...header, ...lines, ...profile].join('\n')}\n`;
}

function describeKey(key: StarterKey): string {
  const values = key.values === undefined ? '' : `; one of: ${key.values.join(', ')}`;
  const byDefault = key.defaultText === undefined ? '' : ` (default: ${key.defaultText})`;
  return `${key.description}${byDefault}${values}`;
}
