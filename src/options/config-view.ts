/**
 * The plain data `live-transcribe config` and `config --init` show (render/config-messages.ts formats it),
 * taken from the option table and the merged settings: each value with its origin (flag, env, file, profile,
 * default). Pure.
 */
import type { SettingRow, SettingsView, StarterKey } from '../render/config-messages.js';
import { CONFIG_ENV, PROFILE_ENV } from './config-path.js';
import type { Settings } from './layers.js';
import { FILE_KEYS, OPTION_KEYS } from './schema.js';

const PROFILE_CHOSEN_BY = { flag: '--profile', env: PROFILE_ENV, file: 'default-profile' } as const;
const PATH_CHOSEN_BY = { flag: '--config', env: CONFIG_ENV, default: 'default place' } as const;

export function settingsView(settings: Pick<Settings, 'location' | 'file' | 'profile' | 'effective' | 'sources' | 'origins'>): SettingsView {
  const rows: SettingRow[] = [];
  for (const option of OPTION_KEYS) {
    if (option.field === undefined) continue;
    const value = settings.effective[option.field];
    // Options the file cannot set (token, force) are shown only when a flag gave them.
    if (option.notInFile !== undefined && value === undefined) continue;
    const source = settings.sources[option.field] ?? 'default';
    const line = settings.origins[option.field]?.line;
    const envName = source === 'env' && option.env !== undefined ? ` ${option.env}` : '';
    rows.push({
      key: option.key,
      value,
      secret: option.secret === true,
      defaultText: option.defaultText,
      source: `${source}${envName}${line === undefined ? '' : ` line ${line}`}`,
    });
  }
  return {
    path: settings.location.path,
    pathChosenBy: PATH_CHOSEN_BY[settings.location.chosenBy],
    fileFound: settings.file !== undefined,
    profile: settings.profile === undefined ? undefined : { name: settings.profile.name, chosenBy: PROFILE_CHOSEN_BY[settings.profile.chosenBy] },
    rows,
  };
}

/** Every key the file may set, for the starter file. */
export function starterKeys(): StarterKey[] {
  return FILE_KEYS.map((o) => ({
    key: o.key,
    description: o.description,
    ...(o.defaultText === undefined ? {} : { defaultText: o.defaultText }),
    ...(o.values === undefined ? {} : { values: o.values }),
    ...(o.example === undefined ? {} : { example: o.example }),
  }));
}
