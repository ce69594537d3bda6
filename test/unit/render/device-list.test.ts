import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  parseArecordDevices,
  parsePactlSources,
  parseSystemProfilerAudio,
  parseWindowsAudioEndpoints,
  type DeviceListing,
} from '../../../src/devices/list-devices.js';
import { markMonitors } from '../../../src/devices/system-audio.js';
import { formatDeviceList, formatDeviceListJson } from '../../../src/render/device-list.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'devices');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

const plain = { bold: (t: string) => t, dim: (t: string) => t, yellow: (t: string) => t };
const YETI = 'alsa_input.usb-Blue_Microphones_Yeti_Stereo_Microphone_REV8-00.analog-stereo';

describe('formatDeviceList', () => {
  it('is a table of names to copy, by driver, default starred, with notes', () => {
    const listing: DeviceListing = {
      platform: 'linux',
      devices: [
        ...parsePactlSources(fixture('pactl-list-sources.txt'), YETI),
        ...parseArecordDevices(fixture('arecord-L-laptop.txt'))
          .slice(6, 7)
          .map((d) => ({ ...d, isDefault: undefined as never })),
      ],
      problems: [],
    };
    for (const d of listing.devices) if (d.isDefault === undefined) delete d.isDefault;
    expect(formatDeviceList(listing, plain)).toMatchInlineSnapshot(`
      "PulseAudio / PipeWire sources:
      * alsa_input.usb-Blue_Microphones_Yeti_Stereo_Microphone_REV8-00.analog-stereo  Yeti Stereo Microphone Analog Stereo (default)
        bluez_input.00_1B_66_AA_BB_CC.0                               Kopfhörer «Studio» Mikrofon
        virtmic.monitor                                               Monitor of Null Output (monitor of virtmic)
        usbspk.monitor                                                Monitor of USB_Speaker (monitor of usbspk, muted)

      ALSA devices:
        plughw:CARD=PCH,DEV=0                                         HDA Intel PCH, ALC3246 Analog, Hardware device with all software conversions

      ALSA devices are usually busy while PulseAudio/PipeWire runs: prefer its sources.

      Use one with: live-transcribe --device bluez_input.00_1B_66_AA_BB_CC.0
      To add what this computer plays: live-transcribe --system-audio (monitors and loopback devices record it; --system-device NAME picks one)
      "
    `);
  });

  it('marks the loopback devices of macOS and Windows (markMonitors), and a monitor whose sink is not named', () => {
    const mac = formatDeviceList(
      { platform: 'darwin', devices: markMonitors(parseSystemProfilerAudio(fixture('system-profiler-audio-blackhole.json'))), problems: [] },
      plain,
    );
    expect(mac).toMatch(/^  BlackHole 2ch .*\(loopback\)$/m);
    expect(mac).toMatch(/^\* MacBook Pro Microphone(?!.*loopback).*$/m);
    expect(mac).toContain('--system-device NAME picks one');
    const win = formatDeviceList(
      { platform: 'win32', devices: markMonitors(parseWindowsAudioEndpoints(fixture('powershell-audio-endpoints.json'))), problems: [] },
      plain,
    );
    expect(win).toMatch(/^  Stereo Mix \(Realtek\(R\) Audio\) .*\(loopback\)$/m);
    const bare = formatDeviceList(
      { platform: 'linux', devices: [{ name: 'm.monitor', description: 'M', driver: 'pulseaudio', isMonitor: true }], problems: [] },
      plain,
    );
    expect(bare).toContain('  m.monitor  M (monitor)\n');
  });

  it('suggests --system-audio in its last line; without a loopback device on macOS and Windows, that it needs one', () => {
    const mic = { name: 'Mic', description: 'Mic', driver: 'coreaudio' as const, isDefault: true };
    const last = (listing: DeviceListing): string => formatDeviceList(listing, plain).trimEnd().split('\n').at(-1) ?? '';
    expect(last({ platform: 'darwin', devices: [mic], problems: [] })).toBe(
      'To add what this computer plays: live-transcribe --system-audio (it needs a loopback device, and says how to set one up)',
    );
    expect(last({ platform: 'win32', devices: [{ ...mic, driver: 'waveaudio' }], problems: [] })).toMatch(
      /--system-audio \(it needs a loopback device/,
    );
    expect(last({ platform: 'linux', devices: [{ ...mic, driver: 'alsa' }], problems: [] })).toBe(
      'To add what this computer plays: live-transcribe --system-audio',
    );
    expect(formatDeviceList({ platform: 'linux', devices: [], problems: [] }, plain)).not.toContain('--system-audio');
  });

  it('quotes names with spaces in the usage line, and never prints control characters', () => {
    const mac = formatDeviceList(
      { platform: 'darwin', devices: parseSystemProfilerAudio(fixture('system-profiler-audio.json')), problems: [] },
      plain,
    );
    expect(mac).toContain('Core Audio input devices:\n* MacBook Pro Microphone');
    expect(mac).toContain('Use one with: live-transcribe --device "Yeti Stereo Microphone"');
    const evil = formatDeviceList(
      { platform: 'linux', devices: [{ name: 'x\u001b[2Jy', description: 'a\u0007b', driver: 'pulseaudio' }], problems: ['bad\u001b[31m'] },
      plain,
    );
    expect(evil).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });

  it('applies the theme', () => {
    const tagged = { bold: (t: string) => `<b>${t}</b>`, dim: (t: string) => `<d>${t}</d>`, yellow: (t: string) => `<y>${t}</y>` };
    const out = formatDeviceList(
      { platform: 'linux', devices: [{ name: 'm', description: 'Mic', driver: 'pulseaudio', isMuted: true }], problems: [] },
      tagged,
    );
    expect(out).toBe(
      '<b>PulseAudio / PipeWire sources:</b>\n  m  Mic <d>(<y>muted</y>)</d>\n\nUse one with: live-transcribe --device m\nTo add what this computer plays: live-transcribe --system-audio\n',
    );
  });
});

describe('formatDeviceListJson', () => {
  it('marks monitors and loopback devices with isMonitor, and names the sink of a monitor', () => {
    const linux = JSON.parse(
      formatDeviceListJson({ platform: 'linux', devices: parsePactlSources(fixture('pactl-list-sources.txt')), problems: [] }),
    ) as DeviceListing;
    expect(linux.devices).toContainEqual(expect.objectContaining({ name: 'virtmic.monitor', isMonitor: true, monitorOf: 'virtmic' }));
    expect(linux.devices.find((d) => d.name.startsWith('bluez_input'))?.isMonitor).toBeUndefined();
    const mac = JSON.parse(
      formatDeviceListJson({
        platform: 'darwin',
        devices: markMonitors(parseSystemProfilerAudio(fixture('system-profiler-audio-blackhole.json'))),
        problems: [],
      }),
    ) as DeviceListing;
    expect(mac.devices.filter((d) => d.isMonitor === true).map((d) => d.name)).toEqual(['BlackHole 16ch', 'BlackHole 2ch']);
  });

  it('is one JSON document with platform, devices and problems', () => {
    const listing: DeviceListing = { platform: 'darwin', devices: parseSystemProfilerAudio(fixture('system-profiler-audio.json')), problems: ['x'] };
    const parsed = JSON.parse(formatDeviceListJson(listing)) as DeviceListing;
    expect(parsed).toEqual(listing);
  });
});
