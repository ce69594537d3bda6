/**
 * The prepare phase of a run: every source opened (a failure names it), the -o file and the saved audio
 * (one WAV channel per source), then one channel per source, each with its own connection, all feeding the
 * one transcript.
 */
import type { AudioSource } from '../audio/source.js';
import { AppError } from '../core/errors.js';
import type { SourceSpec } from '../options/source-specs.js';
import { createChannel, type Channel, type ChannelSettings } from './channel.js';
import type { RunIO } from './io.js';
import { openSources, type OpenedSource, type SourceSettings } from './open-sources.js';
import type { Outputs } from './outputs.js';
import type { RunTranscript } from './run-transcript.js';
import type { RunSources } from './sources.js';
import type { SavedMix } from './saved-mix.js';

export interface ChannelsContext {
  config: SourceSettings & ChannelSettings;
  io: RunIO;
  specs: readonly SourceSpec[];
  outputs: Outputs;
  runSources: RunSources;
  /** The stop conditions, after each frame a source sent. */
  checkStops: (index: number, sentMs: number, speechEndMs: number | undefined) => void;
  /** The run's one transcript: the channels' turns and events go in here, never to the outputs directly. */
  transcript: RunTranscript;
  /** Filled as sources open (so a failure later can still stop them). */
  sources: AudioSource[];
  /** Filled with one channel per source. */
  channels: Channel[];
}

/** Everything about the inputs and the output file is checked before connecting; one channel per source. */
export async function openChannels(c: ChannelsContext): Promise<AppError | undefined> {
  const { config, io, outputs, runSources } = c;
  try {
    await outputs.openCaptions(); // issue 20: bound first (standard input may wait for its first bytes), before any session
    const opened = await openSources({ config, io, specs: c.specs, warn: (t) => outputs.status.warn(t), onOpened: (s) => c.sources.push(s) });
    if (opened instanceof AppError) return opened;
    outputs.openFile();
    const [first] = opened;
    if (first === undefined) return undefined;
    const savedAudio = await outputs.openSavedAudio(first.audio.format, opened.length);
    // Several sources saved to one WAV: their audio interleaved on the run's timeline (loaded only then).
    const mix =
      savedAudio !== undefined && runSources.several
        ? (await import('./saved-mix.js')).createSavedMix({
            channels: opened.length,
            sampleRateHz: first.audio.format.sampleRateHz,
            encoding: first.audio.format.encoding,
            out: savedAudio,
          })
        : undefined;
    opened.forEach((s, i) => c.channels.push(openChannel(c, s, i, mix ?? savedAudio)));
    runSources.useMix(mix);
    return undefined;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

function openChannel(c: ChannelsContext, s: OpenedSource, index: number, saved: SavedMix | { write(pcm: Buffer): void } | undefined): Channel {
  const { runSources, transcript } = c;
  const savedAudio = saved !== undefined && 'writerFor' in saved ? saved.writerFor(index, () => runSources.offsetOf(index)) : saved;
  return createChannel({
    config: c.config,
    io: c.io,
    source: s.audio,
    input: s.input,
    savedAudio,
    transcript,
    emit: transcript.event,
    status: c.outputs.status,
    stop: runSources.stopFor(index),
    onSent: (sentMs) => c.checkStops(index, sentMs, transcript.speechEndMs),
    ...(runSources.several ? { meeting: runSources.channelPart(index, s) } : {}),
  });
}
