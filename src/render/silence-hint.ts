/**
 * What to say when the microphone delivers silence: the device, and the platform's likely causes, most
 * likely first (pure). Used by the run-time warning and by `doctor`.
 */
import type { AudioDevice } from '../devices/list-devices.js';
import { sanitize, shellQuote } from '../core/text.js';
import { deviceLabel } from '../devices/device-label.js';

export { deviceLabel } from '../devices/device-label.js';

export interface SilenceHintOptions {
  platform: NodeJS.Platform;
  /** --device as given; undefined for the default device. */
  deviceName?: string;
  /** The device as listed (listDevices + findDevice), when known: adds "muted" and "monitor" causes. */
  device?: AudioDevice;
  /** TERM_PROGRAM (macOS): names the terminal app that needs the microphone permission. */
  termProgram?: string;
  /** How long it has been silent, for the message. */
  silentForMs?: number;
}

export interface SilenceHint {
  /** One line, e.g. `no sound from "MacBook Pro Microphone" for 4 s`. */
  message: string;
  /** Likely causes with what to do, one per line, most likely first. */
  causes: string[];
}

const TERMINAL_APPS: Record<string, string> = {
  Apple_Terminal: 'Terminal',
  'iTerm.app': 'iTerm',
  vscode: 'Visual Studio Code',
  WezTerm: 'WezTerm',
  ghostty: 'Ghostty',
  WarpTerminal: 'Warp',
  Hyper: 'Hyper',
  Tabby: 'Tabby',
  alacritty: 'Alacritty',
  kitty: 'kitty',
};

export function formatSilenceHint(o: SilenceHintOptions): SilenceHint {
  const label = deviceLabel(o);
  const seconds = o.silentForMs === undefined ? '' : ` for ${Math.round(o.silentForMs / 1000)} s`;
  const message = `no sound from ${label}${seconds}`;
  const causes: string[] = [];
  const d = o.device;
  if (d?.isMuted === true) {
    causes.push(
      d.driver === 'pulseaudio'
        ? `it is muted: unmute it with  pactl set-source-mute ${shellQuote(d.name)} 0  (or in the sound settings)`
        : 'it is muted: unmute it in the sound settings',
    );
  }
  if (d?.isMonitor === true) {
    causes.push('it is a monitor: it records what an output plays, not a microphone; choose a microphone with --device (see --list-devices)');
  }
  switch (o.platform) {
    case 'darwin': {
      const app = o.termProgram === undefined ? undefined : (TERMINAL_APPS[o.termProgram] ?? sanitize(o.termProgram));
      causes.push(
        `macOS gives silence to apps without microphone permission: System Settings > Privacy & Security > Microphone, allow ${app ?? 'your terminal app'}, then restart it`,
        'the input is muted or its level is zero: System Settings > Sound > Input',
        'another input is the default: pick one with --device (see --list-devices)',
      );
      break;
    }
    case 'win32':
      causes.push(
        'Windows blocks the microphone for desktop apps: Settings > Privacy & security > Microphone, turn on "Let desktop apps access your microphone"',
        'the microphone is muted or disabled: Settings > System > Sound > Input',
        'another input is the default: pick one with --device (see --list-devices)',
      );
      break;
    default:
      if (d?.isMuted !== true) causes.push('the source is muted or its volume is 0: check pavucontrol (Input Devices) or  pactl list sources');
      if (o.deviceName === undefined && d?.isMonitor !== true) {
        causes.push(
          'PulseAudio/PipeWire records from another default source: pick the microphone with --device (see --list-devices), or  pactl set-default-source <name>',
        );
      }
      causes.push('a hardware mute switch or key is on');
  }
  return { message, causes };
}
