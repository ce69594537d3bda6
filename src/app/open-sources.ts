/**
 * Opens the audio of every source of a run before anything connects: the input as given for a run with one
 * source (as it always was), or for a meeting (issue 13) each microphone, and the system audio found at this
 * point when no --system-device names it. A failure names the source it is about.
 */
import { openAudioSource, type AudioSource } from '../audio/source.js';
import type { Config } from '../config.js';
import { findSystemAudio } from '../devices/system-audio.js';
import { AppError } from '../errors.js';
import { defaultSourceName, sameDeviceTwice } from '../devices/default-source.js';
import { execCommand } from '../exec.js';
import type { SourceSpec } from '../source-specs.js';
import { formatSameDeviceTwice, formatSourceFailedToStart, formatSystemAudioMuted } from '../render/messages.js';
import type { RunIO } from './io.js';

export interface OpenedSource {
  spec: SourceSpec;
  /** The device recorded; undefined for the default microphone (and for files). */
  device: string | undefined;
  audio: AudioSource;
}

export interface OpenSourcesOptions {
  config: Config;
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
  const [only] = o.specs;
  if (o.specs.length === 1 && only !== undefined) {
    const audio = await openAudioSource(config.input, options);
    o.onOpened(audio);
    return [{ spec: only, device: config.input.kind === 'microphone' ? config.input.device : undefined, audio }];
  }
  const devices: (string | undefined)[] = [];
  for (const spec of o.specs) {
    const device = await deviceOf(spec, io, o.warn);
    if (device instanceof AppError) return named(spec, device);
    devices.push(device);
  }
  const twice = await recordedTwice(o.specs, devices, io);
  if (twice !== undefined) o.warn(twice);
  const opened: OpenedSource[] = [];
  for (const [i, spec] of o.specs.entries()) {
    const device = devices[i];
    try {
      const audio = await openAudioSource({ kind: 'microphone', ...(device === undefined ? {} : { device }) }, options);
      o.onOpened(audio);
      opened.push({ spec, device, audio });
    } catch (err) {
      if (err instanceof AppError) return named(spec, err);
      throw err;
    }
  }
  return opened;
}

/** Issue 24.9: two sources of a meeting on one device transcribe (and bill) every word twice: the warning. */
async function recordedTwice(specs: readonly SourceSpec[], devices: readonly (string | undefined)[], io: RunIO): Promise<string | undefined> {
  const defaultSource = devices.some((d) => d === undefined) ? await defaultSourceName({ platform: io.platform, env: io.env, exec: execCommand }) : undefined;
  const twice = sameDeviceTwice(specs.map((s, i) => ({ label: s.label, device: devices[i] })), defaultSource);
  if (twice === undefined) return undefined;
  return formatSameDeviceTwice(twice.device, twice.labels, defaultSource === twice.device);
}

/** The device a source records: as given, or (system audio without a name) the one found now. */
async function deviceOf(spec: SourceSpec, io: RunIO, warn: (text: string) => void): Promise<string | undefined | AppError> {
  if (spec.kind !== 'system' || spec.device !== undefined) return spec.device;
  const found = await findSystemAudio({ platform: io.platform, env: io.env, exec: execCommand });
  if (found instanceof AppError) return found;
  if (found.muted === true) warn(formatSystemAudioMuted(found.device));
  return found.device;
}

function named(spec: SourceSpec, error: AppError): AppError {
  return new AppError(error.code, formatSourceFailedToStart(spec.label, error.message), {
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    cause: error,
  });
}
