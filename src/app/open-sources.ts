/**
 * Opens the audio of every source of a run before anything connects, one path for one source or several:
 * each source's input is the one given (-i, --device) when it is the only one, or for a meeting (issue 13)
 * its microphone, and the system audio found at this point when no --system-device names it. With several,
 * a failure names the source it is about.
 */
import { openAudioSource, type AudioSource } from '../audio/source.js';
import type { Config } from '../options/resolve.js';
import { AppError } from '../core/errors.js';
import { execCommand } from '../system/exec.js';
import type { SourceSpec } from '../options/source-specs.js';
import type { InputSpec } from '../core/types.js';
import { formatSameDeviceTwice, formatSourceFailedToStart, formatSystemAudioMuted } from '../render/messages.js';
import { defaultSourceName, sameDeviceTwice } from '../devices/default-source.js';
import type { RunIO } from './io.js';

export interface OpenedSource {
  spec: SourceSpec;
  /** What is opened for it. */
  input: InputSpec;
  /** The device recorded; undefined for the default microphone (and for files). */
  device: string | undefined;
  audio: AudioSource;
}

/** The settings opening the sources reads: the input given, and the audio format asked for. */
export type SourceSettings = Pick<Config, 'input' | 'params'>;

export interface OpenSourcesOptions {
  config: SourceSettings;
  io: RunIO;
  specs: readonly SourceSpec[];
  warn: (text: string) => void;
  /** Each source as soon as it is open, so that a later failure can still stop it. */
  onOpened: (audio: AudioSource) => void;
}

/** The sources, in the order of `specs`, or the first error (named by its source when there are several). */
export async function openSources(o: OpenSourcesOptions): Promise<OpenedSource[] | AppError> {
  const { config, io } = o;
  const options = { sampleRateHz: config.params.sampleRateHz, encoding: config.params.encoding, env: io.env, stdin: io.stdin, platform: io.platform };
  const several = o.specs.length > 1;
  const inputs: InputSpec[] = [];
  for (const spec of o.specs) {
    const input = several ? await inputOf(spec, io, o.warn) : config.input;
    if (input instanceof AppError) return named(spec, input);
    inputs.push(input);
  }
  if (several) {
    const twice = await recordedTwice(
      o.specs,
      inputs.map((i) => (i.kind === 'microphone' ? i.device : undefined)),
      io,
    );
    if (twice !== undefined) o.warn(twice);
  }
  const opened: OpenedSource[] = [];
  for (const [i, spec] of o.specs.entries()) {
    const input = inputs[i] as InputSpec;
    try {
      const audio = await openAudioSource(input, options);
      o.onOpened(audio);
      opened.push({ spec, input, device: input.kind === 'microphone' ? input.device : undefined, audio });
    } catch (err) {
      if (err instanceof AppError) return several ? named(spec, err) : err;
      throw err;
    }
  }
  return opened;
}

/** Two sources of a meeting on one device transcribe (and bill) every word twice: the warning. */
async function recordedTwice(specs: readonly SourceSpec[], devices: readonly (string | undefined)[], io: RunIO): Promise<string | undefined> {
  const defaultSource = devices.some((d) => d === undefined)
    ? await defaultSourceName({ platform: io.platform, env: io.env, exec: execCommand })
    : undefined;
  const twice = sameDeviceTwice(
    specs.map((s, i) => ({ label: s.label, device: devices[i] })),
    defaultSource,
  );
  if (twice === undefined) return undefined;
  return formatSameDeviceTwice(twice.device, twice.labels, defaultSource === twice.device);
}

/** The input of a source of several: its device as given, or (system audio without a name) the one found now. */
async function inputOf(spec: SourceSpec, io: RunIO, warn: (text: string) => void): Promise<InputSpec | AppError> {
  const microphone = (device: string | undefined): InputSpec => ({ kind: 'microphone', ...(device === undefined ? {} : { device }) });
  if (spec.kind !== 'system' || spec.device !== undefined) return microphone(spec.device);
  const { findSystemAudio } = await import('../devices/system-audio.js'); // only a meeting records the system's audio
  const found = await findSystemAudio({ platform: io.platform, env: io.env, exec: execCommand });
  if (found instanceof AppError) return found;
  if (found.muted === true) warn(formatSystemAudioMuted(found.device));
  return microphone(found.device);
}

function named(spec: SourceSpec, error: AppError): AppError {
  return new AppError(error.code, formatSourceFailedToStart(spec.label, error.message), {
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    cause: error,
  });
}
