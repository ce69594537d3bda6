/**
 * Where one setting came from, as plain data (render/setting-origin.ts says it in words): a flag, a variable,
 * the config file's top level or a profile in it (with the file and line), or the built-in default. Pure.
 */
import type { Settings } from './layers.js';
import type { RawOptions } from './raw-options.js';
import { OPTIONS } from './table.js';
import type { Origin } from '../core/origin.js';

export type { Origin } from '../core/origin.js';

export function originOf(settings: Pick<Settings, 'sources' | 'origins'>, field: keyof RawOptions): Origin {
  const option = OPTIONS.find((o) => o.field === field);
  const source = settings.sources[field] ?? 'default';
  if (source === 'flag') return { kind: 'flag', flag: `--${option?.name ?? field}` };
  if (source === 'env') return { kind: 'env', variable: option?.env ?? 'the environment' };
  if (source === 'default') return { kind: 'default' };
  const at = settings.origins[field];
  const profile = source.startsWith('profile ') ? source.slice('profile '.length) : undefined;
  return { kind: 'file', file: at?.file ?? 'the config file', line: at?.line, ...(profile === undefined ? {} : { profile }) };
}
