/**
 * --list-devices: the capture devices of this machine, named the way --device takes them.
 *
 * Pure pieces (tested on every platform): the command to run per platform, a parser per command's
 * output, and the formatters. One I/O function, listDevices(), runs the commands through an injected
 * Exec. Where each name comes from, and what SoX does with it:
 * - Linux, PulseAudio/PipeWire: `pactl list sources` (text, LC_ALL=C: `pactl -f json` of PulseAudio 16
 *   prints "(null)" for any non-ASCII description, and older pactl has no -f). SoX records a source by
 *   name with AUDIODRIVER=pulseaudio AUDIODEV=<name> (sox-command.ts sets both).
 * - Linux, ALSA: `arecord -L` (alsa-utils). Only names that audioDriverFor() maps to the alsa driver are
 *   listed, so every listed name works with --device as it is.
 * - macOS: `system_profiler SPAudioDataType -json`; SoX's coreaudio driver takes the device *name* and
 *   picks the first device whose name is a prefix of the one given, so the full name is safest.
 * - Windows: PowerShell `Get-PnpDevice -Class AudioEndpoint` (capture endpoints have instance ids under
 *   SWD\MMDEVAPI\{0.0.1.00000000}). SoX's waveaudio driver matches the first 31 characters of the name
 *   (the WinMM limit), case-insensitively, as a prefix; names are cut to 31 characters to match.
 * macOS and Windows outputs are parsed from representative samples: no such machine runs these tests.
 */
import { audioDriverFor } from './audio-driver.js';
import type { Exec } from '../system/exec.js';

export type DeviceDriver = 'pulseaudio' | 'alsa' | 'coreaudio' | 'waveaudio';

export interface AudioDevice {
  /** Exactly what --device accepts. */
  name: string;
  /** A human description ("Yeti Stereo Microphone Analog Stereo"); the name again if there is none. */
  description: string;
  driver: DeviceDriver;
  /** The device SoX records from when --device is not given. */
  isDefault?: boolean;
  /**
   * Records what an output plays, not a microphone: a PulseAudio/PipeWire monitor source, or a loopback
   * input of macOS/Windows (BlackHole, Stereo Mix: marked by markMonitors in system-audio.ts).
   */
  isMonitor?: boolean;
  /** The sink (output) a PulseAudio/PipeWire monitor source records, when pactl names it. */
  monitorOf?: string;
  /** Muted at the sound server: records silence. */
  isMuted?: boolean;
}

export type DeviceCommandId = 'pactl-info' | 'pactl-sources' | 'arecord' | 'system-profiler' | 'powershell-endpoints';

export interface DeviceCommand {
  id: DeviceCommandId;
  command: string;
  args: string[];
  /** Added to the environment the command runs with. */
  env: Record<string, string>;
  timeoutMs: number;
}

export interface DeviceListing {
  platform: NodeJS.Platform;
  devices: AudioDevice[];
  /** Why a way of listing gave nothing, e.g. "pactl is not installed (not found on PATH)". */
  problems: string[];
}

const C_LOCALE = { LC_ALL: 'C' };

/** WinMM's device names hold at most 31 characters (MAXPNAMELEN 32, with the NUL). */
export const WAVEAUDIO_NAME_MAX = 31;

/** The commands that list capture devices on `platform`, in the order listDevices() runs them. */
export function deviceListCommands(platform: NodeJS.Platform): DeviceCommand[] {
  if (platform === 'darwin') {
    // system_profiler takes 1-3 s on a cold start.
    return [{ id: 'system-profiler', command: 'system_profiler', args: ['SPAudioDataType', '-json'], env: {}, timeoutMs: 15_000 }];
  }
  if (platform === 'win32') {
    const script =
      '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8; ' +
      'Get-PnpDevice -Class AudioEndpoint -PresentOnly | Select-Object FriendlyName,InstanceId,Status | ConvertTo-Json -Compress';
    return [
      {
        id: 'powershell-endpoints',
        command: 'powershell.exe',
        args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', script],
        env: {},
        timeoutMs: 15_000,
      },
    ];
  }
  return [
    { id: 'pactl-info', command: 'pactl', args: ['info'], env: C_LOCALE, timeoutMs: 5_000 },
    { id: 'pactl-sources', command: 'pactl', args: ['list', 'sources'], env: C_LOCALE, timeoutMs: 5_000 },
    { id: 'arecord', command: 'arecord', args: ['-L'], env: C_LOCALE, timeoutMs: 5_000 },
  ];
}

/** The default source's name from `pactl info` (LC_ALL=C), or undefined. */
export function parsePactlDefaultSource(text: string): string | undefined {
  const m = /^Default Source: (.+)$/m.exec(text);
  const name = m?.[1]?.trim();
  return name === undefined || name === '' || name === '@DEFAULT_SOURCE@' ? undefined : name;
}

/** Sources from `pactl list sources` (LC_ALL=C). Microphones first, then monitors, each in pactl's order. */
export function parsePactlSources(text: string, defaultSource?: string): AudioDevice[] {
  const devices: AudioDevice[] = [];
  for (const block of text.split(/^(?=Source #\d+)/m)) {
    if (!block.startsWith('Source #')) continue;
    const field = (label: string): string | undefined => new RegExp(`^\\s+${label}: (.*)$`, 'm').exec(block)?.[1]?.trim();
    const name = field('Name');
    if (name === undefined || name === '') continue;
    const description = field('Description');
    const monitorOf = field('Monitor of Sink');
    const deviceClass = /^\s+device\.class = "([^"]*)"$/m.exec(block)?.[1];
    const device: AudioDevice = {
      name,
      description: description === undefined || description === '' || description === '(null)' ? name : description,
      driver: 'pulseaudio',
    };
    if (name === defaultSource) device.isDefault = true;
    const hasSink = monitorOf !== undefined && monitorOf !== '' && monitorOf !== 'n/a';
    if (hasSink || deviceClass === 'monitor') device.isMonitor = true;
    if (hasSink) device.monitorOf = monitorOf;
    if (field('Mute') === 'yes') device.isMuted = true;
    devices.push(device);
  }
  return monitorsLast(devices);
}

/**
 * Capture PCMs from `arecord -L`: a name at the start of a line, its description on the indented lines
 * below. Keeps the names SoX's alsa driver gets from --device (audioDriverFor), without `null`.
 */
export function parseArecordDevices(text: string): AudioDevice[] {
  const devices: AudioDevice[] = [];
  let current: { name: string; lines: string[] } | undefined;
  const done = (): void => {
    if (current === undefined) return;
    const { name, lines } = current;
    if (audioDriverFor(name, 'linux') === 'alsa') {
      const device: AudioDevice = { name, description: lines.join(', ') || name, driver: 'alsa' };
      if (name === 'default') device.isDefault = true;
      devices.push(device);
    }
    current = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    if (/^\s/.test(line)) current?.lines.push(line.trim());
    else {
      done();
      current = { name: line.trim(), lines: [] };
    }
  }
  done();
  return devices;
}

/** Input devices from `system_profiler SPAudioDataType -json` (items may nest; inputs have coreaudio_device_input). */
export function parseSystemProfilerAudio(json: string): AudioDevice[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return [];
  }
  const devices: AudioDevice[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const item = node as Record<string, unknown>;
    if (Array.isArray(item._items)) {
      visit(item._items);
      return;
    }
    const name = typeof item._name === 'string' ? item._name : '';
    const inputs = item.coreaudio_device_input;
    if (name === '' || inputs === undefined || inputs === 0 || inputs === '0') return;
    const parts = [item.coreaudio_device_manufacturer, transportLabel(item.coreaudio_device_transport)].filter(
      (p): p is string => typeof p === 'string' && p !== '',
    );
    const device: AudioDevice = { name, description: parts.length > 0 ? `${name} (${parts.join(', ')})` : name, driver: 'coreaudio' };
    if (item.coreaudio_default_audio_input_device === 'spaudio_yes') device.isDefault = true;
    devices.push(device);
  };
  visit((data as Record<string, unknown> | null)?.SPAudioDataType);
  return devices;
}

function transportLabel(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = value.replace(/^coreaudio_device_type_/, '');
  const labels: Record<string, string> = {
    builtin: 'built-in',
    usb: 'USB',
    bluetooth: 'Bluetooth',
    virtual: 'virtual',
    aggregate: 'aggregate',
    hdmi: 'HDMI',
    displayport: 'DisplayPort',
    airplay: 'AirPlay',
    thunderbolt: 'Thunderbolt',
  };
  return labels[t] ?? t;
}

/**
 * Capture endpoints from PowerShell's `Get-PnpDevice ... | ConvertTo-Json` (one object, or an array),
 * after a first entry "default" (the WinMM mapper: Windows' default recording device).
 */
export function parseWindowsAudioEndpoints(json: string): AudioDevice[] {
  const devices: AudioDevice[] = [
    { name: 'default', description: 'the default recording device (Settings > System > Sound > Input)', driver: 'waveaudio', isDefault: true },
  ];
  let data: unknown;
  try {
    data = JSON.parse(json.replace(/^\uFEFF/, ''));
  } catch {
    return devices;
  }
  const seen = new Set<string>(['default']);
  for (const item of Array.isArray(data) ? data : [data]) {
    if (typeof item !== 'object' || item === null) continue;
    const { FriendlyName: friendly, InstanceId: id, Status: status } = item as Record<string, unknown>;
    if (typeof friendly !== 'string' || typeof id !== 'string') continue;
    if (!/\\\{0\.0\.1\.00000000\}\./i.test(id)) continue; // {0.0.0...} are playback endpoints
    if (typeof status === 'string' && status !== 'OK') continue;
    const name = friendly.slice(0, WAVEAUDIO_NAME_MAX).trimEnd();
    if (name === '' || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    devices.push({ name, description: friendly, driver: 'waveaudio' });
  }
  return devices;
}

export interface ListDevicesOptions {
  platform: NodeJS.Platform;
  /** The environment the commands run with (PATH, PULSE_SERVER...). */
  env: Readonly<Record<string, string | undefined>>;
  exec: Exec;
}

/**
 * Runs the platform's listing commands and parses them. Never rejects: a missing or failing command
 * becomes a line in `problems`. Bounded by each command's timeout.
 */
export async function listDevices(o: ListDevicesOptions): Promise<DeviceListing> {
  const failures: { order: number; driver: DeviceDriver; message: string; notInstalled: boolean }[] = [];
  const commands = deviceListCommands(o.platform);
  const run = async (id: DeviceCommandId, driver: DeviceDriver): Promise<string | undefined> => {
    const order = commands.findIndex((x) => x.id === id);
    const c = commands[order]!;
    const r = await o.exec(c.command, c.args, { env: { ...o.env, ...c.env }, timeoutMs: c.timeoutMs, platform: o.platform });
    if (r.code === 0) return r.stdout;
    failures.push({ order, driver, message: r.errorMessage ?? `${c.command} ${c.args.join(' ')} failed`, notInstalled: r.errorCode === 'ENOENT' });
    return undefined;
  };
  let devices: AudioDevice[] = [];
  if (o.platform === 'darwin') {
    const out = await run('system-profiler', 'coreaudio');
    if (out !== undefined) devices = parseSystemProfilerAudio(out);
  } else if (o.platform === 'win32') {
    devices = parseWindowsAudioEndpoints((await run('powershell-endpoints', 'waveaudio')) ?? '');
  } else {
    const [info, arecord] = await Promise.all([run('pactl-info', 'pulseaudio'), run('arecord', 'alsa')]);
    // `pactl info` fails when no PulseAudio/PipeWire server runs; listing its sources would fail the same way.
    const sources = info === undefined ? undefined : await run('pactl-sources', 'pulseaudio');
    const pulse = sources === undefined ? [] : parsePactlSources(sources, parsePactlDefaultSource(info ?? ''));
    const alsa = arecord === undefined ? [] : parseArecordDevices(arecord);
    // SoX prefers its pulseaudio driver to alsa for the default device: with a sound server, ALSA's
    // `default` is not what recording without --device uses.
    if (pulse.some((d) => d.isDefault === true)) for (const d of alsa) delete d.isDefault;
    devices = [...pulse, ...alsa];
  }
  // On Linux, a tool that is simply not installed (arecord beside PulseAudio, say) is worth a note only
  // when nothing was found at all. Elsewhere the one tool failing is always worth saying.
  const listed = new Set(devices.filter((d) => d.name !== 'default' || d.driver !== 'waveaudio').map((d) => d.driver));
  failures.sort((a, b) => a.order - b.order);
  const problems = failures.filter((f) => !f.notInstalled || listed.size === 0 || listed.has(f.driver)).map((f) => f.message);
  return { platform: o.platform, devices, problems };
}

/**
 * The device a run will record from: the one named (exact name, then case-insensitive), or the default.
 * undefined when it is not in the list (the name may still work: SoX matches prefixes on some platforms).
 */
export function findDevice(devices: readonly AudioDevice[], name?: string): AudioDevice | undefined {
  if (name === undefined) return devices.find((d) => d.isDefault === true);
  return devices.find((d) => d.name === name) ?? devices.find((d) => d.name.toLowerCase() === name.toLowerCase());
}

function monitorsLast(devices: AudioDevice[]): AudioDevice[] {
  return [...devices.filter((d) => d.isMonitor !== true), ...devices.filter((d) => d.isMonitor === true)];
}
