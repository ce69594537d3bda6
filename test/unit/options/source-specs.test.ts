import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { parseDeviceArg, resolveSources, type SourceFlags } from '../../../src/options/source-specs.js';

describe('parseDeviceArg: where the label starts', () => {
  it.each([
    ['alsa_input.usb-Blue_Yeti', { device: 'alsa_input.usb-Blue_Yeti' }],
    ['alsa_input.usb-Blue_Yeti=Me', { device: 'alsa_input.usb-Blue_Yeti', label: 'Me' }],
    ['Blue Yeti = Anna Lee ', { device: 'Blue Yeti', label: 'Anna Lee' }],
    ['bluez_input.00:1B:66:AA:BB:CC.0=Headset', { device: 'bluez_input.00:1B:66:AA:BB:CC.0', label: 'Headset' }],
    // ALSA parameters: the '=' after :WORD or ,WORD belongs to the name.
    ['hw:CARD=PCH', { device: 'hw:CARD=PCH' }],
    ['plughw:CARD=Yeti,DEV=0', { device: 'plughw:CARD=Yeti,DEV=0' }],
    ['plughw:CARD=Yeti,DEV=0=Me', { device: 'plughw:CARD=Yeti,DEV=0', label: 'Me' }],
    // What follows cannot be a label: the whole is the name.
    ['a=b.c', { device: 'a=b.c' }],
    ['weird=x:y', { device: 'weird=x:y' }],
    // A trailing '=' means "no label", whatever the name holds.
    ['hw:CARD=PCH=', { device: 'hw:CARD=PCH' }],
    ['odd=name=', { device: 'odd=name' }],
    ['=Label', { device: '=Label' }],
  ])('%j', (arg, expected) => {
    expect(parseDeviceArg(arg)).toEqual(expected);
  });
});

const flags = (o: Partial<SourceFlags>): SourceFlags => ({ devices: [], systemAudio: false, ...o });

describe('resolveSources', () => {
  it.each<[string, Partial<SourceFlags>, unknown]>([
    ['no flags: the default microphone, You', {}, [{ kind: 'microphone', label: 'You' }]],
    ['one --device: You', { devices: ['yeti'] }, [{ kind: 'microphone', device: 'yeti', label: 'You' }]],
    [
      '--system-audio: You and Others, the system device found later',
      { systemAudio: true },
      [
        { kind: 'microphone', label: 'You' },
        { kind: 'system', label: 'Others' },
      ],
    ],
    [
      '--system-device implies --system-audio and can be labelled',
      { devices: ['yeti=Anna'], systemDevice: 'spk.monitor=Call' },
      [
        { kind: 'microphone', device: 'yeti', label: 'Anna' },
        { kind: 'system', device: 'spk.monitor', label: 'Call' },
      ],
    ],
    [
      'two microphones: their descriptions, the name when there is none',
      { devices: ['alsa_input.yeti', 'bluez_input.x'] },
      [
        { kind: 'microphone', device: 'alsa_input.yeti', label: 'Yeti Stereo Microphone' },
        { kind: 'microphone', device: 'bluez_input.x', label: 'bluez_input.x' },
      ],
    ],
    [
      'two of the same model: a number after the second',
      { devices: ['usb-1', 'usb-2'] },
      [
        { kind: 'microphone', device: 'usb-1', label: 'Yeti Stereo Microphone' },
        { kind: 'microphone', device: 'usb-2', label: 'Yeti Stereo Microphone 2' },
      ],
    ],
    [
      'a default label that repeats a given one is numbered, the given one kept',
      { devices: ['yeti=Others'], systemAudio: true },
      [
        { kind: 'microphone', device: 'yeti', label: 'Others' },
        { kind: 'system', label: 'Others 2' },
      ],
    ],
  ])('%s', (_name, given, expected) => {
    const describeDevice = (d: string): string | undefined =>
      ({ 'alsa_input.yeti': 'Yeti Stereo Microphone', 'usb-1': 'Yeti Stereo Microphone', 'usb-2': 'Yeti Stereo Microphone' })[d];
    expect(resolveSources(flags(given), describeDevice)).toEqual(expected);
  });

  it('cuts a long description to a short label', () => {
    const long = 'Microphone Array (Intel® Smart Sound Technology for Digital Microphones)';
    const [, second] = resolveSources(flags({ devices: ['a', 'b'] }), (d) => (d === 'b' ? long : undefined));
    expect(second?.label).toBe('Microphone Array (Intel® Smart…');
    expect([...(second?.label ?? '')].length).toBeLessThanOrEqual(32);
  });

  it.each<[string, Partial<SourceFlags>, RegExp]>([
    ['the same device twice', { devices: ['yeti', 'yeti=Two'] }, /the device yeti is given twice/],
    [
      'a microphone that is also the system device',
      { devices: ['spk.monitor'], systemDevice: 'spk.monitor' },
      /the device spk\.monitor is given twice/,
    ],
    ['two given labels alike (case-insensitively)', { devices: ['a=Anna', 'b=anna'] }, /two sources are labelled "anna"/],
    ['an empty --device', { devices: ['  '] }, /--device is empty/],
    ['an empty --system-device', { systemDevice: '=' }, /--system-device is empty/],
    ['a label too long', { devices: [`yeti=${'x'.repeat(33)}`] }, /longer than 32 characters/],
    ['a control character in a label', { devices: ['yeti=A\u001b[31m'] }, /control character/],
  ])('refuses %s', (_name, given, message) => {
    expect(() => resolveSources(flags(given))).toThrow(UsageError);
    expect(() => resolveSources(flags(given))).toThrow(message);
  });
});
