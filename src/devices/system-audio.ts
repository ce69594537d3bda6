/**
 * --system-audio: the device that records what this computer plays (issue 13), per platform.
 * - Linux (PulseAudio, and PipeWire's pulse server): the monitor source of the default output,
 *   `<sink>.monitor`, the sink from `pactl get-default-sink` (pactl 15+) or the `Default Sink:` line of
 *   `pactl info`, checked against `pactl list sources`.
 * - macOS: Core Audio cannot record an output; a loopback input device can (BlackHole, Loopback Audio,
 *   Soundflower), once the output is sent to it too (a Multi-Output Device).
 * - Windows: SoX's waveaudio driver cannot record WASAPI loopback; a "Stereo Mix" recording device (if the
 *   sound driver offers one) or a virtual cable (VB-CABLE's "CABLE Output") can.
 * `--system-device NAME` overrides the discovery. Pure pickers, one I/O function (findSystemAudio) that runs
 * the commands through an injected Exec and never rejects: what goes wrong comes back as an AppError.
 */
import { AppError, ErrorCode } from '../core/errors.js';
import type { Exec } from '../system/exec.js';
import { findDevice, listDevices, parsePactlSources, type AudioDevice } from './list-devices.js';

export interface SystemAudioDevice {
  /** What SoX records from (--device takes the same name). */
  device: string;
  description: string;
  /** Muted at the sound server: it records silence until unmuted. */
  muted?: boolean;
}

export interface FindSystemAudioOptions {
  platform: NodeJS.Platform;
  /** The environment the commands run with (PATH, PULSE_SERVER...). */
  env: Readonly<Record<string, string | undefined>>;
  exec: Exec;
  /** `--system-device NAME`: used instead of the discovery (checked against the list where one exists). */
  systemDevice?: string;
  /** Devices already listed (--list-devices did it): not listed again. */
  devices?: readonly AudioDevice[];
}

const PACTL_ENV = { LC_ALL: 'C' };
const PACTL_TIMEOUT_MS = 5_000;

/** Loopback input devices by name, in the order of preference. */
const LOOPBACK_NAMES: Partial<Record<NodeJS.Platform, readonly RegExp[]>> = {
  darwin: [/^BlackHole 2ch\b/i, /^BlackHole\b/i, /^Loopback Audio\b/i, /^Soundflower\b/i],
  // Stereo Mix as Realtek names it in a few languages (\u00e9: scripts/bundle.mjs keeps dist/ ASCII-only);
  // VB-CABLE's recording end; Creative's "What U Hear".
  win32: [/^(Stereo ?Mix|Stereomix|Mixage st[e\u00e9]r[e\u00e9]o|Mezcla est[e\u00e9]reo|Missaggio stereo)\b/i, /^CABLE Output\b/i, /^What U Hear\b/i],
};

/** The default sink's name from `pactl info` (LC_ALL=C), or undefined. */
export function parsePactlDefaultSink(info: string): string | undefined {
  const name = /^Default Sink: (.+)$/m.exec(info)?.[1]?.trim();
  return name === undefined || name === '' || name === '@DEFAULT_SINK@' ? undefined : name;
}

/** Whether `name` is a loopback input (BlackHole, Stereo Mix...) that records what is played on `platform`. */
export function isLoopbackDevice(name: string, platform: NodeJS.Platform): boolean {
  return (LOOPBACK_NAMES[platform] ?? []).some((re) => re.test(name));
}

/**
 * --list-devices: marks every device that records an output rather than a microphone: PulseAudio
 * monitors (already marked by the parser) and the loopback inputs of macOS and Windows. Returns copies.
 */
export function markMonitors(devices: readonly AudioDevice[]): AudioDevice[] {
  const platformOf = { coreaudio: 'darwin', waveaudio: 'win32' } as const;
  return devices.map((d) => {
    if (d.isMonitor === true || d.driver === 'pulseaudio' || d.driver === 'alsa') return { ...d };
    return isLoopbackDevice(d.name, platformOf[d.driver]) ? { ...d, isMonitor: true } : { ...d };
  });
}

/** The monitor of `sink` among PulseAudio/PipeWire sources, or an error that says what to do. */
export function pickSinkMonitor(sources: readonly AudioDevice[], sink: string): SystemAudioDevice | AppError {
  const monitor = sources.find((d) => d.name === `${sink}.monitor`);
  if (monitor !== undefined) return toSystemAudio(monitor);
  return new AppError(ErrorCode.capture, `the default output ${sink} has no monitor source to record what it plays`, {
    hint: pickOneHint(sources.filter((d) => d.isMonitor === true)),
  });
}

/** The preferred loopback device among `devices` (macOS, Windows), or an error saying how to get one. */
export function pickLoopbackDevice(devices: readonly AudioDevice[], platform: NodeJS.Platform): SystemAudioDevice | AppError {
  for (const re of LOOPBACK_NAMES[platform] ?? []) {
    const found = devices.find((d) => re.test(d.name));
    if (found !== undefined) return toSystemAudio(found);
  }
  return platform === 'win32' ? noLoopbackOnWindows() : noLoopbackOnMac();
}

/**
 * The device --system-audio records from. Never rejects; every command is bounded by its timeout. An
 * AppError (E_CAPTURE) says why there is none and how to set one up.
 */
export async function findSystemAudio(o: FindSystemAudioOptions): Promise<SystemAudioDevice | AppError> {
  if (o.platform === 'darwin' || o.platform === 'win32') {
    const devices = o.devices ?? (await listDevices({ platform: o.platform, env: o.env, exec: o.exec })).devices;
    if (o.systemDevice === undefined) return pickLoopbackDevice(devices, o.platform);
    // SoX matches a prefix of the name here: a name not listed may still work.
    const named = findDevice(devices, o.systemDevice);
    return named === undefined ? { device: o.systemDevice, description: o.systemDevice } : toSystemAudio(named);
  }
  const listed = o.devices?.filter((d) => d.driver === 'pulseaudio') ?? [];
  const sources = listed.length > 0 ? listed : await pactlSources(o);
  if (o.systemDevice !== undefined) return pickNamedSource(sources, o.systemDevice);
  if (sources instanceof AppError) return sources;
  const sink = await pactlDefaultSink(o);
  if (sink === undefined)
    return new AppError(ErrorCode.capture, 'the sound server has no default output to record', {
      hint: pickOneHint(sources.filter((d) => d.isMonitor === true)),
    });
  return pickSinkMonitor(sources, sink);
}

function pickNamedSource(sources: readonly AudioDevice[] | AppError, name: string): SystemAudioDevice | AppError {
  // Without a sound server to ask (ALSA only, say), the name goes to SoX as it is.
  if (sources instanceof AppError) return { device: name, description: name };
  const named = findDevice(sources, name);
  if (named !== undefined) return toSystemAudio(named);
  return new AppError(ErrorCode.capture, `no PulseAudio/PipeWire source is named ${name}`, {
    hint: pickOneHint(sources.filter((d) => d.isMonitor === true)),
  });
}

async function pactlSources(o: FindSystemAudioOptions): Promise<AudioDevice[] | AppError> {
  const r = await o.exec('pactl', ['list', 'sources'], { env: { ...o.env, ...PACTL_ENV }, timeoutMs: PACTL_TIMEOUT_MS });
  if (r.code === 0) return parsePactlSources(r.stdout);
  return new AppError(
    ErrorCode.capture,
    `system audio needs PulseAudio or PipeWire, and pactl could not reach one: ${r.errorMessage ?? 'pactl failed'}`,
    {
      hint: 'install pulseaudio-utils (pactl) with PulseAudio or PipeWire (pipewire-pulse) running, or name the device with --system-device NAME',
    },
  );
}

async function pactlDefaultSink(o: FindSystemAudioOptions): Promise<string | undefined> {
  const run = (args: string[]) => o.exec('pactl', args, { env: { ...o.env, ...PACTL_ENV }, timeoutMs: PACTL_TIMEOUT_MS });
  const direct = await run(['get-default-sink']);
  const name = direct.code === 0 ? direct.stdout.trim() : '';
  if (name !== '' && name !== '@DEFAULT_SINK@' && !name.includes('\n')) return name;
  // pactl before 15 has no get-default-sink.
  const info = await run(['info']);
  return info.code === 0 ? parsePactlDefaultSink(info.stdout) : undefined;
}

function toSystemAudio(d: AudioDevice): SystemAudioDevice {
  return { device: d.name, description: d.description, ...(d.isMuted === true ? { muted: true } : {}) };
}

function pickOneHint(monitors: readonly AudioDevice[]): string {
  if (monitors.length === 0) return 'no monitor source was found; live-transcribe --list-devices shows what can be recorded';
  return `record one with --system-device NAME; the monitors here: ${monitors.map((d) => d.name).join(', ')}`;
}

function noLoopbackOnMac(): AppError {
  return new AppError(
    ErrorCode.capture,
    'macOS cannot record what it plays without a loopback device, and none was found (BlackHole, Loopback Audio, Soundflower)',
    {
      hint: [
        '1. install BlackHole 2ch (brew install blackhole-2ch, or https://existential.audio/blackhole/)',
        '2. in Audio MIDI Setup, create a Multi-Output Device with your speakers (or headphones) and BlackHole 2ch',
        '3. select that Multi-Output Device as the sound output (System Settings > Sound > Output)',
        'then run live-transcribe --system-audio again, or name the device with --system-device NAME',
      ].join('\n'),
    },
  );
}

function noLoopbackOnWindows(): AppError {
  return new AppError(
    ErrorCode.capture,
    'Windows has no recording device for what it plays here: SoX cannot record WASAPI loopback, and no "Stereo Mix" or virtual cable was found',
    {
      hint: [
        'either enable "Stereo Mix", if your sound driver has one: Sound settings > More sound settings > Recording, right-click, Show Disabled Devices, Enable',
        'or install a virtual cable such as VB-CABLE (https://vb-audio.com/Cable/), play the call to "CABLE Input" and listen to it through "Listen to this device"',
        'then run live-transcribe --system-audio again, or name the device with --system-device NAME',
      ].join('\n'),
    },
  );
}
