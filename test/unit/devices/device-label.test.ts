import { describe, expect, it } from 'vitest';
import { deviceLabel, type DeviceLabelOptions } from '../../../src/devices/device-label.js';

describe('deviceLabel', () => {
  it.each([
    [{}, undefined, 'the default microphone'],
    [{}, 'the default device', 'the default device'],
    [{ deviceName: 'hw:1,0' }, 'the default device', '"hw:1,0"'],
    [{ deviceName: 'mic\u001b[2J' }, undefined, '"mic[2J"'],
    [{ deviceName: 'x', device: { name: 'm', description: 'm', driver: 'pulseaudio' } }, undefined, '"m"'],
    [{ device: { name: 'alsa_input.usb', description: 'USB Mic', driver: 'pulseaudio' } }, undefined, '"USB Mic" (alsa_input.usb)'],
  ] as [DeviceLabelOptions, string | undefined, string][])('%j (default %j) -> %s', (o, fallback, expected) => {
    expect(deviceLabel(o, fallback)).toBe(expected);
  });
});
