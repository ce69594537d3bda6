/**
 * The run's file names (`output`, `save-audio`) made ready (issue 24.2): date/time placeholders expanded
 * (options/path-pattern.ts), and a fixed name from the config file that is already taken refused here, before
 * anything starts, naming the profile, file and line it came from. Pure: the clock and `exists` come in.
 */
import { UsageError } from '../core/errors.js';
import { formatTakenFromFile } from '../render/setting-origin.js';
import type { MergedSettings } from './layers.js';
import { originOf } from './origin.js';
import { expandPathPattern, expandPlaceholders } from './path-pattern.js';
import type { RawOptions } from './raw-options.js';

export interface PathDeps {
  now: Date;
  exists: (path: string) => boolean;
}

export function resolveOutputPaths(settings: Pick<MergedSettings, 'options' | 'sources' | 'origins'>, deps: PathDeps): RawOptions {
  const options: RawOptions = { ...settings.options };
  const replace = options.force === true;
  for (const [field, key] of [
    ['output', 'output'],
    ['saveAudio', 'save-audio'],
  ] as const) {
    const template = options[field];
    if (template === undefined || template === '-' || template.trim() === '') continue;
    // Appending or replacing keeps the name of this minute; creating takes the next free one.
    const keepsName = replace || (field === 'output' && options.append === true);
    const path = keepsName ? expandPlaceholders(template, deps.now, key) : expandPathPattern(template, deps.now, key, deps.exists);
    const origin = originOf(settings, field);
    if (!keepsName && origin.kind === 'file' && deps.exists(path)) {
      const taken = formatTakenFromFile(path, key, origin);
      throw new UsageError(taken.message, taken.hint);
    }
    options[field] = path;
  }
  return options;
}
