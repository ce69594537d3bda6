/** How messages name a recording device (pure): one wording for the run, doctor and the audio source. */
import type { AudioDevice } from './list-devices.js';
import { sanitize } from '../core/text.js';

export interface DeviceLabelOptions {
  /** --device as given; undefined for the default device. */
  deviceName?: string;
  /** The device as listed (listDevices + findDevice), when known. */
  device?: AudioDevice;
}

/**
 * The device's description when listed, else the name given (quoted), else `fallback` ("the default
 * microphone"; doctor says "the default device").
 */
export function deviceLabel(o: DeviceLabelOptions, fallback = 'the default microphone'): string {
  if (o.device !== undefined) {
    const d = sanitize(o.device.description);
    const n = sanitize(o.device.name);
    return d === n ? `"${n}"` : `"${d}" (${n})`;
  }
  return o.deviceName === undefined ? fallback : `"${sanitize(o.deviceName)}"`;
}
