import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePactlSources, parseSystemProfilerAudio, parseWindowsAudioEndpoints, type AudioDevice } from '../../../src/devices/list-devices.js';
import {
  findSystemAudio,
  isLoopbackDevice,
  markMonitors,
  parsePactlDefaultSink,
  pickLoopbackDevice,
  pickSinkMonitor,
} from '../../../src/devices/system-audio.js';
import { AppError, ErrorCode } from '../../../src/core/errors.js';
import type { Exec, ExecResult } from '../../../src/system/exec.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/devices/${name}`, import.meta.url), 'utf8');

/** An Exec that answers from a table keyed by "command args..."; records every call. Unknown: not installed. */
function fakeExec(table: Record<string, Partial<ExecResult>>): Exec & { calls: string[]; envs: Record<string, string | undefined>[] } {
  const calls: string[] = [];
  const envs: Record<string, string | undefined>[] = [];
  const exec: Exec = async (command, args, options) => {
    const key = [command, ...args].join(' ');
    calls.push(key);
    envs.push({ ...options.env });
    const r = table[key];
    if (r === undefined)
      return { code: null, stdout: '', stderr: '', errorCode: 'ENOENT', errorMessage: `${command} is not installed (not found on PATH)` };
    return { code: 0, stdout: '', stderr: '', ...r };
  };
  return Object.assign(exec, { calls, envs });
}

const env = { PATH: '/usr/bin' };
const pulseSources = fixture('pactl-list-sources.txt');
const pipewireSources = fixture('pactl-list-sources-pipewire.txt');

describe('parsePactlDefaultSink', () => {
  it.each([
    ['PulseAudio 16', fixture('pactl-info.txt'), 'virtmic'],
    ['pipewire-pulse', fixture('pactl-info-pipewire.txt'), 'alsa_output.pci-0000_00_1f.3.analog-stereo'],
    ['no sink line', 'Server Name: pulseaudio\n', undefined],
    ['the unresolved placeholder', 'Default Sink: @DEFAULT_SINK@\n', undefined],
  ])('%s', (_name, text, expected) => {
    expect(parsePactlDefaultSink(text)).toBe(expected);
  });
});

describe('findSystemAudio on Linux', () => {
  it('takes the monitor of `pactl get-default-sink` (pactl 15+), checked against the sources', async () => {
    const exec = fakeExec({
      'pactl get-default-sink': { stdout: 'alsa_output.pci-0000_00_1f.3.analog-stereo\n' },
      'pactl list sources': { stdout: pipewireSources },
    });
    const found = await findSystemAudio({ platform: 'linux', env, exec });
    expect(found).toEqual({ device: 'alsa_output.pci-0000_00_1f.3.analog-stereo.monitor', description: 'Monitor of Built-in Audio Analog Stereo' });
    expect(exec.calls).toEqual(['pactl list sources', 'pactl get-default-sink']);
    // LC_ALL=C: the parsers read pactl's English field names.
    expect(exec.envs.every((e) => e.LC_ALL === 'C' && e.PATH === '/usr/bin')).toBe(true);
  });

  it('falls back to the Default Sink line of `pactl info` when get-default-sink is unknown (older pactl)', async () => {
    const exec = fakeExec({
      'pactl get-default-sink': {
        code: 1,
        stderr: 'No valid command specified.\n',
        errorMessage: 'pactl exited with code 1: No valid command specified.',
      },
      'pactl info': { stdout: fixture('pactl-info.txt') },
      'pactl list sources': { stdout: pulseSources },
    });
    expect(await findSystemAudio({ platform: 'linux', env, exec })).toEqual({ device: 'virtmic.monitor', description: 'Monitor of Null Output' });
    expect(exec.calls).toContain('pactl info');
  });

  it('uses devices already listed instead of listing the sources again, and says when the monitor is muted', async () => {
    const exec = fakeExec({ 'pactl get-default-sink': { stdout: 'usbspk\n' } });
    const devices = parsePactlSources(pulseSources);
    expect(await findSystemAudio({ platform: 'linux', env, exec, devices })).toEqual({
      device: 'usbspk.monitor',
      description: 'Monitor of USB_Speaker',
      muted: true,
    });
    expect(exec.calls).toEqual(['pactl get-default-sink']);
  });

  it('--system-device picks a listed source, without asking for the default sink', async () => {
    const exec = fakeExec({ 'pactl list sources': { stdout: pulseSources } });
    expect(await findSystemAudio({ platform: 'linux', env, exec, systemDevice: 'usbspk.monitor' })).toMatchObject({
      device: 'usbspk.monitor',
      description: 'Monitor of USB_Speaker',
    });
    expect(exec.calls).toEqual(['pactl list sources']);
  });

  it('--system-device not among the sources: an error naming the monitors there are', async () => {
    const exec = fakeExec({ 'pactl list sources': { stdout: pulseSources } });
    const found = await findSystemAudio({ platform: 'linux', env, exec, systemDevice: 'nope.monitor' });
    expect(found).toBeInstanceOf(AppError);
    expect((found as AppError).message).toBe('no PulseAudio/PipeWire source is named nope.monitor');
    expect((found as AppError).hint).toBe('record one with --system-device NAME; the monitors here: virtmic.monitor, usbspk.monitor');
  });

  it('--system-device without a sound server to ask goes to SoX as it is', async () => {
    const found = await findSystemAudio({ platform: 'linux', env, exec: fakeExec({}), systemDevice: 'hw:Loopback,1' });
    expect(found).toEqual({ device: 'hw:Loopback,1', description: 'hw:Loopback,1' });
  });

  it('a default sink without a monitor source: an error that says how to pick one', async () => {
    const exec = fakeExec({ 'pactl get-default-sink': { stdout: 'bluez_output.headset\n' }, 'pactl list sources': { stdout: pulseSources } });
    const found = await findSystemAudio({ platform: 'linux', env, exec });
    expect(found).toBeInstanceOf(AppError);
    expect((found as AppError).code).toBe(ErrorCode.capture);
    expect((found as AppError).message).toBe('the default output bluez_output.headset has no monitor source to record what it plays');
    expect((found as AppError).hint).toContain('--system-device NAME; the monitors here: virtmic.monitor, usbspk.monitor');
  });

  it('no sound server: an error that says what system audio needs', async () => {
    const found = await findSystemAudio({ platform: 'linux', env, exec: fakeExec({}) });
    expect(found).toBeInstanceOf(AppError);
    expect((found as AppError).message).toBe(
      'system audio needs PulseAudio or PipeWire, and pactl could not reach one: pactl is not installed (not found on PATH)',
    );
    expect((found as AppError).hint).toContain('--system-device NAME');
  });

  it('no default sink at all', async () => {
    const exec = fakeExec({
      'pactl get-default-sink': { stdout: '@DEFAULT_SINK@\n' },
      'pactl info': { stdout: 'Server Name: pulseaudio\n' },
      'pactl list sources': { stdout: pulseSources },
    });
    expect(await findSystemAudio({ platform: 'linux', env, exec })).toMatchObject({ message: 'the sound server has no default output to record' });
  });
});

describe('pickSinkMonitor', () => {
  it('finds <sink>.monitor only, not another monitor', () => {
    const sources = parsePactlSources(pulseSources);
    expect(pickSinkMonitor(sources, 'virtmic')).toEqual({ device: 'virtmic.monitor', description: 'Monitor of Null Output' });
    expect(pickSinkMonitor(sources, 'virt')).toBeInstanceOf(AppError);
  });
});

describe('findSystemAudio on macOS', () => {
  const withBlackHole = fixture('system-profiler-audio-blackhole.json');

  it('takes BlackHole 2ch from system_profiler, before BlackHole 16ch', async () => {
    const exec = fakeExec({ 'system_profiler SPAudioDataType -json': { stdout: withBlackHole } });
    expect(await findSystemAudio({ platform: 'darwin', env, exec })).toEqual({
      device: 'BlackHole 2ch',
      description: 'BlackHole 2ch (Existential Audio Inc., virtual)',
    });
  });

  it('no loopback device: an error with the set-up steps', async () => {
    const exec = fakeExec({ 'system_profiler SPAudioDataType -json': { stdout: fixture('system-profiler-audio.json') } });
    const found = await findSystemAudio({ platform: 'darwin', env, exec });
    expect(found).toBeInstanceOf(AppError);
    const e = found as AppError;
    expect(e.message).toBe(
      'macOS cannot record what it plays without a loopback device, and none was found (BlackHole, Loopback Audio, Soundflower)',
    );
    expect(e.hint).toMatch(/install BlackHole 2ch/);
    expect(e.hint).toMatch(/Audio MIDI Setup, create a Multi-Output Device with your speakers \(or headphones\) and BlackHole 2ch/);
    expect(e.hint).toMatch(/select that Multi-Output Device as the sound output/);
  });

  it('--system-device: a listed device with its description, an unlisted one as given (SoX matches prefixes)', async () => {
    const devices = parseSystemProfilerAudio(withBlackHole);
    const exec = fakeExec({});
    expect(await findSystemAudio({ platform: 'darwin', env, exec, devices, systemDevice: 'blackhole 16ch' })).toEqual({
      device: 'BlackHole 16ch',
      description: 'BlackHole 16ch (Existential Audio Inc., virtual)',
    });
    expect(await findSystemAudio({ platform: 'darwin', env, exec, devices, systemDevice: 'Loopback' })).toEqual({
      device: 'Loopback',
      description: 'Loopback',
    });
    expect(exec.calls).toEqual([]);
  });
});

describe('findSystemAudio on Windows', () => {
  const endpoints = parseWindowsAudioEndpoints(fixture('powershell-audio-endpoints.json'));

  it('takes Stereo Mix when the driver offers it', async () => {
    expect(await findSystemAudio({ platform: 'win32', env, exec: fakeExec({}), devices: endpoints })).toEqual({
      device: 'Stereo Mix (Realtek(R) Audio)',
      description: 'Stereo Mix (Realtek(R) Audio)',
    });
  });

  it('else says plainly what works: not WASAPI loopback; Stereo Mix or a virtual cable', () => {
    const found = pickLoopbackDevice(
      endpoints.filter((d) => !d.name.startsWith('Stereo Mix')),
      'win32',
    );
    expect(found).toBeInstanceOf(AppError);
    const e = found as AppError;
    expect(e.message).toBe(
      'Windows has no recording device for what it plays here: SoX cannot record WASAPI loopback, and no "Stereo Mix" or virtual cable was found',
    );
    expect(e.hint).toMatch(/enable "Stereo Mix"/);
    expect(e.hint).toMatch(/VB-CABLE/);
  });

  it('a VB-CABLE recording end counts as system audio', () => {
    const cable: AudioDevice = { name: 'CABLE Output (VB-Audio Virtual', description: 'CABLE Output (VB-Audio Virtual Cable)', driver: 'waveaudio' };
    expect(pickLoopbackDevice([...endpoints.filter((d) => !d.name.startsWith('Stereo Mix')), cable], 'win32')).toMatchObject({
      device: 'CABLE Output (VB-Audio Virtual',
    });
  });
});

describe('markMonitors (for --list-devices)', () => {
  it('marks loopback inputs on macOS and Windows, keeps PulseAudio monitors, marks no microphone', () => {
    const mac = markMonitors(parseSystemProfilerAudio(fixture('system-profiler-audio-blackhole.json')));
    expect(mac.filter((d) => d.isMonitor === true).map((d) => d.name)).toEqual(['BlackHole 16ch', 'BlackHole 2ch']);
    const win = markMonitors(parseWindowsAudioEndpoints(fixture('powershell-audio-endpoints.json')));
    expect(win.filter((d) => d.isMonitor === true).map((d) => d.name)).toEqual(['Stereo Mix (Realtek(R) Audio)']);
    const linux = markMonitors(parsePactlSources(pipewireSources));
    expect(linux.filter((d) => d.isMonitor === true).map((d) => d.name)).toEqual(['alsa_output.pci-0000_00_1f.3.analog-stereo.monitor']);
  });

  it('returns copies: the listing it was given is unchanged', () => {
    const devices = parseSystemProfilerAudio(fixture('system-profiler-audio-blackhole.json'));
    markMonitors(devices);
    expect(devices.some((d) => d.isMonitor === true)).toBe(false);
  });

  it.each([
    ['BlackHole 2ch', 'darwin', true],
    ['Soundflower (2ch)', 'darwin', true],
    ['Loopback Audio', 'darwin', true],
    ['MacBook Pro Microphone', 'darwin', false],
    ['Stereomix (Realtek(R) Audio)', 'win32', true],
    ['Mixage stéréo (Realtek(R) Audio)', 'win32', true],
    ['Microphone (Yeti Stereo Microphone)', 'win32', false],
    ['BlackHole 2ch', 'linux', false],
  ] as const)('isLoopbackDevice(%j, %s) = %s', (name, platform, expected) => {
    expect(isLoopbackDevice(name, platform)).toBe(expected);
  });
});
