/**
 * What `doctor` checks, chosen exactly as a run chooses it: the merged settings (flags > environment >
 * profile > file > defaults, options/layers.ts) give the key, host, device and sample rate, each checked by
 * the run's own parsers, and with where each came from (issue 24.1). Pure: throws UsageError.
 */
import { DEFAULT_HOST } from '../core/defaults.js';
import type { MergedSettings } from './layers.js';
import { originOf, type Origin } from './origin.js';
import { parseApiHost, parseSampleRate } from './resolve.js';
import { tokenCommandCredentials } from './service.js';
import type { RawOptions } from './raw-options.js';

export interface DoctorSettings {
  options: RawOptions;
  endpoint: string;
  sampleRateHz?: number;
  /** Where the key (or token) came from, when not its own flag. */
  keyOrigin: Origin;
  /** The rows of doctor's "what is checked" lines. */
  rows: Array<{ what: string; value: string | undefined; origin: Origin }>;
}

/** doctor tests one device: the last --device given (or the file's). */
export function lastDevice(device: string | string[] | undefined): string | undefined {
  return typeof device === 'string' ? device : device?.at(-1);
}

const KEY_ROW = { apiKey: 'key', token: 'token', tokenCommand: 'token command' } as const;

export function doctorSettings(settings: Pick<MergedSettings, 'options' | 'sources' | 'origins'>): DoctorSettings {
  const options = settings.options;
  const endpoint = parseApiHost(options.apiHost ?? DEFAULT_HOST);
  // The run's rule: a token command excludes a key or token (refused with both), and is what the run uses.
  const tokenCommand = tokenCommandCredentials(options) !== undefined;
  const keyField = tokenCommand ? 'tokenCommand' : settings.sources.token !== undefined && settings.sources.token !== 'default' ? 'token' : 'apiKey';
  const keyOrigin = originOf(settings, keyField);
  const device = lastDevice(options.device);
  return {
    options,
    endpoint,
    ...(options.sampleRate === undefined ? {} : { sampleRateHz: parseSampleRate(options.sampleRate) }),
    keyOrigin,
    rows: [
      { what: KEY_ROW[keyField], value: undefined, origin: keyOrigin },
      { what: 'host', value: endpoint, origin: originOf(settings, 'apiHost') },
      { what: 'device', value: device ?? 'the default device', origin: originOf(settings, 'device') },
    ],
  };
}
