import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { audioDriverFor } from '../../../src/devices/audio-driver.js';
import {
  deviceListCommands,
  findDevice,
  listDevices,
  parseArecordDevices,
  parsePactlDefaultSource,
  parsePactlSources,
  parseSystemProfilerAudio,
  parseWindowsAudioEndpoints,
} from '../../../src/devices/list-devices.js';
import { formatDeviceList } from '../../../src/render/device-list.js';
import type { Exec, ExecResult } from '../../../src/system/exec.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'devices');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

const plain = { bold: (t: string) => t, dim: (t: string) => t, yellow: (t: string) => t };
const YETI = 'alsa_input.usb-Blue_Microphones_Yeti_Stereo_Microphone_REV8-00.analog-stereo';

describe('deviceListCommands', () => {
  it('runs pactl (C locale) and arecord -L on Linux', () => {
    expect(deviceListCommands('linux').map((c) => [c.command, ...c.args].join(' '))).toEqual(['pactl info', 'pactl list sources', 'arecord -L']);
    expect(deviceListCommands('linux').every((c) => c.env.LC_ALL === 'C' && c.timeoutMs <= 5000)).toBe(true);
    expect(deviceListCommands('freebsd')[0]?.command).toBe('pactl');
  });
  it('asks system_profiler for JSON on macOS', () => {
    expect(deviceListCommands('darwin')).toEqual([
      { id: 'system-profiler', command: 'system_profiler', args: ['SPAudioDataType', '-json'], env: {}, timeoutMs: 15_000 },
    ]);
  });
  it('asks PowerShell for the audio endpoints as UTF-8 JSON on Windows', () => {
    const [c] = deviceListCommands('win32');
    expect(c?.command).toBe('powershell.exe');
    expect(c?.args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command']);
    expect(c?.args[5]).toContain('Get-PnpDevice -Class AudioEndpoint -PresentOnly');
    expect(c?.args[5]).toContain('ConvertTo-Json');
    expect(c?.args[5]).toContain('OutputEncoding = [System.Text.Encoding]::UTF8');
  });
});

describe('PulseAudio / PipeWire (pactl)', () => {
  it('reads the default source from pactl info (real output)', () => {
    expect(parsePactlDefaultSource(fixture('pactl-info.txt'))).toBe(YETI);
    expect(parsePactlDefaultSource('Server Name: x\n')).toBeUndefined();
    expect(parsePactlDefaultSource('Default Source: @DEFAULT_SOURCE@\n')).toBeUndefined();
  });

  it('lists sources with descriptions, default, monitors (last) and mute state (real output)', () => {
    expect(parsePactlSources(fixture('pactl-list-sources.txt'), YETI)).toEqual([
      { name: YETI, description: 'Yeti Stereo Microphone Analog Stereo', driver: 'pulseaudio', isDefault: true },
      { name: 'bluez_input.00_1B_66_AA_BB_CC.0', description: 'Kopfhörer «Studio» Mikrofon', driver: 'pulseaudio' },
      { name: 'virtmic.monitor', description: 'Monitor of Null Output', driver: 'pulseaudio', isMonitor: true, monitorOf: 'virtmic' },
      { name: 'usbspk.monitor', description: 'Monitor of USB_Speaker', driver: 'pulseaudio', isMonitor: true, monitorOf: 'usbspk', isMuted: true },
    ]);
  });

  it('reads pipewire-pulse output the same way', () => {
    expect(parsePactlSources(fixture('pactl-list-sources-pipewire.txt'), 'alsa_input.pci-0000_00_1f.3.analog-stereo')).toEqual([
      {
        name: 'alsa_input.pci-0000_00_1f.3.analog-stereo',
        description: 'Built-in Audio Analog Stereo',
        driver: 'pulseaudio',
        isDefault: true,
        isMuted: true,
      },
      { name: 'bluez_input.00:1B:66:AA:BB:CC.0', description: 'WH-1000XM4', driver: 'pulseaudio' },
      {
        name: 'alsa_output.pci-0000_00_1f.3.analog-stereo.monitor',
        description: 'Monitor of Built-in Audio Analog Stereo',
        driver: 'pulseaudio',
        isMonitor: true,
        monitorOf: 'alsa_output.pci-0000_00_1f.3.analog-stereo',
      },
    ]);
  });

  it('survives empty or foreign text', () => {
    expect(parsePactlSources('')).toEqual([]);
    expect(parsePactlSources('Connection failure: Connection refused\n')).toEqual([]);
    expect(parsePactlSources('Source #3\n\tName: x\n\tDescription: (null)\n')).toEqual([{ name: 'x', description: 'x', driver: 'pulseaudio' }]);
    // A monitor by its class, without the sink it records: marked, with no sink named.
    expect(parsePactlSources('Source #4\n\tName: m\n\tMonitor of Sink: n/a\n\tProperties:\n\t\tdevice.class = "monitor"\n')).toEqual([
      { name: 'm', description: 'm', driver: 'pulseaudio', isMonitor: true },
    ]);
  });
});

describe('ALSA (arecord -L)', () => {
  it('keeps the names SoX will open with the alsa driver, with their descriptions', () => {
    const devices = parseArecordDevices(fixture('arecord-L-laptop.txt'));
    expect(devices.map((d) => d.name)).toEqual([
      'default',
      'sysdefault:CARD=PCH',
      'front:CARD=PCH,DEV=0',
      'dmix:CARD=PCH,DEV=0',
      'dsnoop:CARD=PCH,DEV=0',
      'hw:CARD=PCH,DEV=0',
      'plughw:CARD=PCH,DEV=0',
      'sysdefault:CARD=Microphones',
      'front:CARD=Microphones,DEV=0',
      'dsnoop:CARD=Microphones,DEV=0',
      'hw:CARD=Microphones,DEV=0',
      'plughw:CARD=Microphones,DEV=0',
    ]);
    expect(devices.every((d) => d.driver === 'alsa' && audioDriverFor(d.name, 'linux') === 'alsa')).toBe(true);
    expect(devices[0]).toEqual({
      name: 'default',
      description: 'Default ALSA Output (currently PipeWire Media Server)',
      driver: 'alsa',
      isDefault: true,
    });
    expect(devices.find((d) => d.name === 'plughw:CARD=Microphones,DEV=0')?.description).toBe(
      'Yeti Stereo Microphone, USB Audio, Hardware device with all software conversions',
    );
    // `null` records zeros, and `pulse`/`pipewire`/`usbstream` would be sent to the wrong SoX driver.
    expect(devices.map((d) => d.name)).not.toContain('null');
    expect(devices.map((d) => d.name)).not.toContain('pulse');
  });
});

describe('macOS (system_profiler)', () => {
  it('lists input devices by name, marks the default input, skips output-only devices', () => {
    expect(parseSystemProfilerAudio(fixture('system-profiler-audio.json'))).toEqual([
      { name: 'MacBook Pro Microphone', description: 'MacBook Pro Microphone (Apple Inc., built-in)', driver: 'coreaudio', isDefault: true },
      { name: 'Yeti Stereo Microphone', description: 'Yeti Stereo Microphone (Blue Microphones, USB)', driver: 'coreaudio' },
      { name: 'Microsoft Teams Audio', description: 'Microsoft Teams Audio (Microsoft Corp., virtual)', driver: 'coreaudio' },
    ]);
  });
  it('walks nested _items and tolerates junk', () => {
    const nested = JSON.stringify({ SPAudioDataType: [{ _items: [{ _items: [{ _name: 'Mic', coreaudio_device_input: 1 }] }] }] });
    expect(parseSystemProfilerAudio(nested)).toEqual([{ name: 'Mic', description: 'Mic', driver: 'coreaudio' }]);
    expect(parseSystemProfilerAudio('not json')).toEqual([]);
    expect(parseSystemProfilerAudio('null')).toEqual([]);
    expect(parseSystemProfilerAudio('{"SPAudioDataType":[{"_items":[{"_name":"Out","coreaudio_device_output":2}]}]}')).toEqual([]);
  });
});

describe('Windows (Get-PnpDevice)', () => {
  it('lists present capture endpoints, names cut to the 31 characters WinMM keeps, after "default"', () => {
    expect(parseWindowsAudioEndpoints(fixture('powershell-audio-endpoints.json'))).toEqual([
      { name: 'default', description: 'the default recording device (Settings > System > Sound > Input)', driver: 'waveaudio', isDefault: true },
      {
        name: 'Microphone Array (Intel® Smart',
        description: 'Microphone Array (Intel® Smart Sound Technology for Digital Microphones)',
        driver: 'waveaudio',
      },
      { name: 'Microphone (Yeti Stereo Microph', description: 'Microphone (Yeti Stereo Microphone)', driver: 'waveaudio' },
      { name: 'Stereo Mix (Realtek(R) Audio)', description: 'Stereo Mix (Realtek(R) Audio)', driver: 'waveaudio' },
    ]);
  });
  it('takes a single object (ConvertTo-Json of one item), a BOM, and junk', () => {
    const one = '\uFEFF{"FriendlyName":"Mic (USB)","InstanceId":"SWD\\\\MMDEVAPI\\\\{0.0.1.00000000}.{A}","Status":"OK"}';
    expect(parseWindowsAudioEndpoints(one).map((d) => d.name)).toEqual(['default', 'Mic (USB)']);
    expect(parseWindowsAudioEndpoints('').map((d) => d.name)).toEqual(['default']);
    expect(parseWindowsAudioEndpoints('[1, null, {"FriendlyName": 3}]').map((d) => d.name)).toEqual(['default']);
  });
});

function fakeExec(outputs: Record<string, Partial<ExecResult>>): Exec & { calls: { line: string; env: Record<string, string | undefined> }[] } {
  const calls: { line: string; env: Record<string, string | undefined> }[] = [];
  const exec = (async (command: string, args: readonly string[], options: { env: Record<string, string | undefined> }) => {
    const line = [command, ...args].join(' ');
    calls.push({ line, env: { ...options.env } });
    const r = outputs[line] ?? { code: null, errorCode: 'ENOENT', errorMessage: `${command} is not installed (not found on PATH)` };
    return { code: 0, stdout: '', stderr: '', ...r };
  }) as unknown as Exec & { calls: typeof calls };
  exec.calls = calls;
  return exec;
}

describe('listDevices', () => {
  it('on Linux: PulseAudio sources (default from pactl info), then ALSA without a competing default', async () => {
    const exec = fakeExec({
      'pactl info': { stdout: fixture('pactl-info.txt') },
      'pactl list sources': { stdout: fixture('pactl-list-sources.txt') },
      'arecord -L': { stdout: fixture('arecord-L-laptop.txt') },
    });
    const listing = await listDevices({ platform: 'linux', env: { PATH: '/usr/bin', PULSE_SERVER: 'unix:/x' }, exec });
    expect(listing.problems).toEqual([]);
    expect(listing.devices.filter((d) => d.isDefault === true).map((d) => d.name)).toEqual([YETI]);
    expect(listing.devices.filter((d) => d.driver === 'alsa')).toHaveLength(12);
    expect(exec.calls.map((c) => c.env)).toEqual(Array(3).fill({ PATH: '/usr/bin', PULSE_SERVER: 'unix:/x', LC_ALL: 'C' }));
  });

  it('on Linux without a sound server: ALSA only, its default kept, the pactl failure noted', async () => {
    const exec = fakeExec({
      'pactl info': {
        code: 1,
        stderr: 'Connection failure: Connection refused\n',
        errorMessage: 'pactl exited with code 1: Connection failure: Connection refused',
      },
      'arecord -L': { stdout: fixture('arecord-L-laptop.txt') },
    });
    const listing = await listDevices({ platform: 'linux', env: {}, exec });
    expect(exec.calls.map((c) => c.line)).toEqual(['pactl info', 'arecord -L']);
    expect(findDevice(listing.devices)?.name).toBe('default');
    expect(listing.problems).toEqual(['pactl exited with code 1: Connection failure: Connection refused']);
  });

  it('does not mention a tool that is not installed when another one found devices', async () => {
    const listing = await listDevices({
      platform: 'linux',
      env: {},
      exec: fakeExec({ 'pactl info': { stdout: fixture('pactl-info.txt') }, 'pactl list sources': { stdout: fixture('pactl-list-sources.txt') } }),
    });
    expect(listing.devices).toHaveLength(4);
    expect(listing.problems).toEqual([]);
  });

  it('explains an empty list', async () => {
    const listing = await listDevices({ platform: 'linux', env: {}, exec: fakeExec({}) });
    expect(listing).toEqual({
      platform: 'linux',
      devices: [],
      problems: ['pactl is not installed (not found on PATH)', 'arecord is not installed (not found on PATH)'],
    });
    expect(formatDeviceList(listing, plain)).toBe(
      'No capture devices found.\n\nnote: pactl is not installed (not found on PATH)\nnote: arecord is not installed (not found on PATH)\n',
    );
  });

  it('on macOS and Windows: one command each', async () => {
    const mac = await listDevices({
      platform: 'darwin',
      env: {},
      exec: fakeExec({ 'system_profiler SPAudioDataType -json': { stdout: fixture('system-profiler-audio.json') } }),
    });
    expect(mac.devices.map((d) => d.name)).toEqual(['MacBook Pro Microphone', 'Yeti Stereo Microphone', 'Microsoft Teams Audio']);
    const winExec = fakeExec({});
    const win = await listDevices({ platform: 'win32', env: {}, exec: winExec });
    expect(win.devices.map((d) => d.name)).toEqual(['default']);
    expect(win.problems).toEqual(['powershell.exe is not installed (not found on PATH)']);
  });
});

describe('findDevice', () => {
  const devices = parsePactlSources(fixture('pactl-list-sources.txt'), YETI);
  it('finds the default, an exact name, then a name in another case', () => {
    expect(findDevice(devices)?.name).toBe(YETI);
    expect(findDevice(devices, 'virtmic.monitor')?.isMonitor).toBe(true);
    expect(findDevice(devices, 'VIRTMIC.monitor')?.name).toBe('virtmic.monitor');
    expect(findDevice(devices, 'nope')).toBeUndefined();
    expect(findDevice([])).toBeUndefined();
  });
});
