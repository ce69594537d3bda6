import { describe, expect, it } from 'vitest';
import { formatSilenceHint } from '../../../src/render/silence-hint.js';
import { deviceLabel } from '../../../src/devices/device-label.js';
import type { AudioDevice } from '../../../src/devices/list-devices.js';

const muted: AudioDevice = {
  name: 'alsa_input.pci-0000_00_1f.3.analog-stereo',
  description: 'Built-in Audio Analog Stereo',
  driver: 'pulseaudio',
  isMuted: true,
  isDefault: true,
};
const monitor: AudioDevice = { name: 'virtmic.monitor', description: 'Monitor of Null Output', driver: 'pulseaudio', isMonitor: true };

describe('formatSilenceHint', () => {
  it('names the device and the time, and on macOS the permission of the terminal app first', () => {
    expect(formatSilenceHint({ platform: 'darwin', termProgram: 'iTerm.app', silentForMs: 4000 })).toEqual({
      message: 'no sound from the default microphone for 4 s',
      causes: [
        'macOS gives silence to apps without microphone permission: System Settings > Privacy & Security > Microphone, allow iTerm, then restart it',
        'the input is muted or its level is zero: System Settings > Sound > Input',
        'another input is the default: pick one with --device (see --list-devices)',
      ],
    });
    expect(formatSilenceHint({ platform: 'darwin', termProgram: 'Apple_Terminal' }).causes[0]).toContain('allow Terminal,');
    expect(formatSilenceHint({ platform: 'darwin', termProgram: 'SomeNewTerm' }).causes[0]).toContain('allow SomeNewTerm,');
    expect(formatSilenceHint({ platform: 'darwin' }).causes[0]).toContain('allow your terminal app,');
  });

  it('on Windows: the privacy switch for desktop apps', () => {
    const h = formatSilenceHint({ platform: 'win32', deviceName: 'Microphone (Yeti' });
    expect(h.message).toBe('no sound from "Microphone (Yeti"');
    expect(h.causes[0]).toMatch(/Let desktop apps access your microphone/);
  });

  it('on Linux: a muted source (with the command to unmute it), or the wrong default source', () => {
    expect(formatSilenceHint({ platform: 'linux', device: muted })).toEqual({
      message: 'no sound from "Built-in Audio Analog Stereo" (alsa_input.pci-0000_00_1f.3.analog-stereo)',
      causes: [
        'it is muted: unmute it with  pactl set-source-mute alsa_input.pci-0000_00_1f.3.analog-stereo 0  (or in the sound settings)',
        'PulseAudio/PipeWire records from another default source: pick the microphone with --device (see --list-devices), or  pactl set-default-source <name>',
        'a hardware mute switch or key is on',
      ],
    });
    const generic = formatSilenceHint({ platform: 'linux' });
    expect(generic.causes[0]).toMatch(/muted or its volume is 0/);
    expect(generic.causes[1]).toMatch(/another default source/);
  });

  it('says when the device is a monitor, not a microphone', () => {
    const h = formatSilenceHint({ platform: 'linux', deviceName: 'virtmic.monitor', device: monitor });
    expect(h.causes[0]).toMatch(/^it is a monitor: it records what an output plays/);
    expect(h.causes.join('\n')).not.toMatch(/another default source/);
  });

  it('quotes odd names for the shell and strips control characters', () => {
    const h = formatSilenceHint({
      platform: 'linux',
      device: { name: "my mic's\u001b[2J", description: 'x\u0007', driver: 'pulseaudio', isMuted: true },
    });
    expect(h.causes[0]).toContain(`pactl set-source-mute "my mic's[2J" 0`);
    expect(JSON.stringify(h)).not.toMatch(/\\u00(1b|07)/);
  });
});

describe('deviceLabel', () => {
  it('prefers the description, then the name given, then "the default microphone"', () => {
    expect(deviceLabel({ device: monitor })).toBe('"Monitor of Null Output" (virtmic.monitor)');
    expect(deviceLabel({ device: { name: 'Mic', description: 'Mic', driver: 'coreaudio' } })).toBe('"Mic"');
    expect(deviceLabel({ deviceName: 'hw:1,0' })).toBe('"hw:1,0"');
    expect(deviceLabel({})).toBe('the default microphone');
  });
});
