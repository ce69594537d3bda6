/**
 * The audio sources of a run (issue 13): repeated `--device NAME[=Label]`, `--system-audio` and
 * `--system-device NAME[=Label]`, turned into one spec per source, each with a unique label (pure).
 *
 * Where a label starts: at the last '=' of the argument, unless what follows it cannot be a label or the
 * '=' is an ALSA parameter. So `Blue Yeti=Me` is the device `Blue Yeti` labelled `Me`, while
 * `hw:CARD=PCH` and `plughw:CARD=Yeti,DEV=0` are device names as they are (a '=' right after `:WORD` or
 * `,WORD` belongs to the name), and so is `a=b.c` (a label has none of `. : , / \ =`). A trailing '='
 * (`hw:CARD=PCH=` or `NAME=`) means "no label": everything before it is the name, whatever it holds.
 */
import { UsageError } from '../core/errors.js';

export type SourceKind = 'microphone' | 'system';

export interface SourceSpec {
  kind: SourceKind;
  /** The device to record from; undefined: the default microphone, or the system audio found by discovery. */
  device?: string;
  /** Names the source in the transcript (`You: ...`, `<v Others>`); unique within the run. */
  label: string;
}

export interface SourceFlags {
  /** Every `--device` value, in the order given. */
  devices: readonly string[];
  systemAudio: boolean;
  /** `--system-device NAME[=Label]`; implies `--system-audio`. */
  systemDevice?: string;
}

export interface DeviceArg {
  device: string;
  label?: string;
}

export const DEFAULT_MICROPHONE_LABEL = 'You';
export const DEFAULT_SYSTEM_LABEL = 'Others';
/** Long enough for a name, short enough for a transcript prefix. */
export const MAX_LABEL_LENGTH = 32;

const LABEL_FORBIDDEN = /[.:,/\\=]/;
const ALSA_PARAMETER_BEFORE = /[:,][A-Za-z_]+$/;

/** Splits one `--device` / `--system-device` value into the device and its label (see the file comment). */
export function parseDeviceArg(arg: string): DeviceArg {
  const at = arg.lastIndexOf('=');
  if (at < 0) return { device: arg.trim() };
  const name = arg.slice(0, at);
  const label = arg.slice(at + 1).trim();
  if (label === '') return { device: name.trim() };
  if (LABEL_FORBIDDEN.test(label) || ALSA_PARAMETER_BEFORE.test(name) || name.trim() === '') return { device: arg.trim() };
  return { device: name.trim(), label };
}

/**
 * The sources of a run, microphones first (in the order given), then the system audio. Default labels:
 * `You` for the only microphone, `Others` for the system audio, the device's description (from
 * `describe`, else its name) when there are several microphones. Throws a UsageError for an empty name,
 * the same device twice, a bad label or two sources with the same label.
 */
export function resolveSources(flags: SourceFlags, describe: (device: string) => string | undefined = () => undefined): SourceSpec[] {
  const mics = flags.devices.map((arg) => parseOne(arg, '--device'));
  const sources: Labelled[] =
    mics.length === 0
      ? [{ spec: { kind: 'microphone', label: DEFAULT_MICROPHONE_LABEL }, given: false }]
      : mics.map((m) => ({
          spec: {
            kind: 'microphone',
            device: m.device,
            label: m.label ?? (mics.length === 1 ? DEFAULT_MICROPHONE_LABEL : defaultLabel(m.device, describe)),
          },
          given: m.label !== undefined,
        }));
  if (flags.systemAudio || flags.systemDevice !== undefined) {
    const sys = flags.systemDevice === undefined ? undefined : parseOne(flags.systemDevice, '--system-device');
    sources.push({
      spec: { kind: 'system', ...(sys === undefined ? {} : { device: sys.device }), label: sys?.label ?? DEFAULT_SYSTEM_LABEL },
      given: sys?.label !== undefined,
    });
  }
  refuseDuplicateDevices(sources.map((s) => s.spec));
  return uniqueLabels(sources);
}

interface Labelled {
  spec: SourceSpec;
  /** The user chose the label (`NAME=Label`). */
  given: boolean;
}

function parseOne(arg: string, flag: string): DeviceArg {
  const parsed = parseDeviceArg(arg);
  if (parsed.device === '') throw new UsageError(`${flag} is empty`, 'name a recording device (live-transcribe --list-devices shows them)');
  if (parsed.label !== undefined) checkLabel(parsed.label, flag);
  return parsed;
}

function checkLabel(label: string, flag: string): void {
  if (/\p{Cc}/u.test(label)) throw new UsageError(`the label of ${flag} has a control character`, 'use letters, digits and spaces');
  if ([...label].length > MAX_LABEL_LENGTH)
    throw new UsageError(`the label "${label}" is longer than ${MAX_LABEL_LENGTH} characters`, 'choose a shorter label');
}

function defaultLabel(device: string, describe: (device: string) => string | undefined): string {
  const text = (describe(device) ?? device).replace(/\p{Cc}/gu, '').trim() || device;
  const chars = [...text];
  return chars.length <= MAX_LABEL_LENGTH
    ? text
    : `${chars
        .slice(0, MAX_LABEL_LENGTH - 1)
        .join('')
        .trimEnd()}…`;
}

function refuseDuplicateDevices(sources: readonly SourceSpec[]): void {
  const seen = new Set<string>();
  for (const s of sources) {
    // The default microphone and the discovered system audio have no name to compare yet.
    if (s.device === undefined) continue;
    if (seen.has(s.device)) throw new UsageError(`the device ${s.device} is given twice`, 'give each device once: each one is a source of its own');
    seen.add(s.device);
  }
}

/**
 * A label the user gave must be unique (case-insensitively); a default one that repeats another (two
 * microphones of the same model) gets " 2", " 3"... instead.
 */
function uniqueLabels(sources: readonly Labelled[]): SourceSpec[] {
  const taken = new Set<string>();
  for (const { spec, given } of sources) {
    if (!given) continue;
    const key = spec.label.toLowerCase();
    if (taken.has(key)) throw new UsageError(`two sources are labelled "${spec.label}"`, 'give each source its own label: --device NAME=Label');
    taken.add(key);
  }
  return sources.map(({ spec, given }) => {
    if (given) return spec;
    let label = spec.label;
    for (let n = 2; taken.has(label.toLowerCase()); n += 1) label = `${spec.label} ${n}`;
    taken.add(label.toLowerCase());
    return label === spec.label ? spec : { ...spec, label };
  });
}
