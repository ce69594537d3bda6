/**
 * The microphone, seen and heard: the level meter for the status bar, the silent-microphone warning (and the
 * line when sound returns), and the device's name for messages. One monitor per audio source; it reports
 * through `warn`/`info` and never decides anything about the run.
 */
import { createSilenceDetector, decayLevel, DEFAULT_SILENCE_THRESHOLD_DBFS, levelDbfs } from '../audio/level.js';
import type { AudioSource } from '../audio/source.js';
import { findDevice, listDevices, type AudioDevice } from '../devices/list-devices.js';
import { deviceLabel } from '../devices/device-label.js';
import { formatSilenceHint } from '../render/silence-hint.js';
import type { Exec } from '../system/exec.js';
import { formatLongSilence, formatSilenceWarning, formatSoundBack } from '../render/messages.js';

/** How long to wait for the device list before naming the device generically. */
const DEVICE_LOOKUP_MS = 500;
/**
 * Once sound has been heard, the microphone works: a pause between phrases is not a fault (issue 11.8), so
 * the warning comes again only after this much silence, as one line.
 */
export const LONG_SILENCE_MS = 60_000;
/** Sound counts as heard after this much audio clearly above the silence threshold (as the detector's hysteresis). */
const HEARD_AFTER_MS = 250;
const HEARD_DBFS = DEFAULT_SILENCE_THRESHOLD_DBFS + 6;

export interface MicMonitorOptions {
  source: Pick<AudioSource, 'live' | 'format'>;
  /** --device as given; undefined for the system default. */
  deviceName: string | undefined;
  /** Look the device up in the system's list (a microphone); false for files and stdin. */
  lookUpDevice: boolean;
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  exec: Exec;
  warn: (text: string) => void;
  info: (text: string) => void;
  now?: () => number;
}

export interface MicMonitor {
  /** One frame as captured (not the silence sent while paused). */
  push(frame: Buffer, frameMs: number): void;
  /** Forget the silence counted so far (after a pause). */
  reset(): void;
  /** The smoothed level, in dBFS. */
  readonly meterDbfs: number;
  /** The silent-microphone warning is in force. */
  readonly noSound: boolean;
  /** The device's name for messages; waits (bounded) for the device list first. */
  label(): Promise<string>;
}

export function createMicMonitor(o: MicMonitorOptions): MicMonitor {
  const now = o.now ?? (() => performance.now());
  let silence = createSilenceDetector();
  let heardMs = 0;
  let heard = false;
  let meterDbfs = -Infinity;
  let meterAt = 0;
  let noSound = false;
  let device: AudioDevice | undefined;
  const named = (): { deviceName?: string; device?: AudioDevice } => ({
    ...(o.deviceName === undefined ? {} : { deviceName: o.deviceName }),
    ...(device === undefined ? {} : { device }),
  });
  // Name the device in use from the system's device list, without holding up the connection: the commands
  // that list devices are spawned at the first captured frame (or the first label asked for), not before
  // connecting, where spawning them took time from the launch to the connection.
  let lookup: Promise<void> | undefined;
  const lookUp = (): Promise<void> =>
    (lookup ??= o.lookUpDevice
      ? listDevices({ platform: o.platform, env: o.env, exec: o.exec }).then(
          (l) => {
            device = findDevice(l.devices, o.deviceName);
          },
          () => undefined,
        )
      : Promise.resolve());

  const onTransition = (transition: 'silent' | 'sound'): void => {
    noSound = transition === 'silent';
    if (transition === 'sound') {
      o.info(formatSoundBack(deviceLabel(named())));
      return;
    }
    if (heard) {
      o.warn(formatLongSilence(deviceLabel(named()), silence.silentMs));
      return;
    }
    const hint = formatSilenceHint({
      platform: o.platform,
      ...named(),
      ...(o.env.TERM_PROGRAM === undefined ? {} : { termProgram: o.env.TERM_PROGRAM }),
      silentForMs: silence.silentMs,
    });
    o.warn(formatSilenceWarning(hint));
  };

  return {
    push(frame, frameMs) {
      if (lookup === undefined) void lookUp();
      const level = levelDbfs(frame, o.source.format.encoding);
      const t = now();
      meterDbfs = decayLevel(meterDbfs, level, t - meterAt);
      meterAt = t;
      if (!o.source.live) return;
      if (!heard && level >= HEARD_DBFS) {
        heardMs += frameMs;
        if (heardMs >= HEARD_AFTER_MS && !silence.silent) {
          heard = true;
          silence = createSilenceDetector({ afterMs: LONG_SILENCE_MS });
        }
      }
      const transition = silence.push(level, frameMs);
      if (transition !== undefined) onTransition(transition);
    },
    reset: () => silence.reset(),
    get meterDbfs() {
      return meterDbfs;
    },
    get noSound() {
      return noSound;
    },
    async label() {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([lookUp(), new Promise((r) => (timer = setTimeout(r, DEVICE_LOOKUP_MS)))]);
      clearTimeout(timer);
      return deviceLabel(named());
    },
  };
}
