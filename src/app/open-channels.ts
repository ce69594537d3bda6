/**
 * The prepare phase of a run: every source opened (a failure names it), the -o file and the saved audio
 * (one WAV channel per source), then one channel per source, each with its own connection, all feeding the
 * one transcript.
 */
import type { AudioSource } from '../audio/source.js';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { SourceSpec } from '../source-specs.js';
import type { Assembler } from '../transcript/assembler.js';
import { createChannel, type Channel } from './channel.js';
import type { RunIO } from './io.js';
import type { Meeting } from './meeting.js';
import { openSources, type OpenedSource } from './open-sources.js';
import type { Outputs } from './outputs.js';
import { createSavedMix, type SavedMix } from './saved-mix.js';

export interface ChannelsContext {
  config: Config;
  io: RunIO;
  specs: readonly SourceSpec[];
  outputs: Outputs;
  meeting: Meeting;
  transcript: Assembler;
  /** Filled as sources open (so a failure later can still stop them). */
  sources: AudioSource[];
  /** Filled with one channel per source. */
  channels: Channel[];
}

/** Everything about the inputs and the output file is checked before connecting; one channel per source. */
export async function openChannels(c: ChannelsContext): Promise<AppError | undefined> {
const { config, io, outputs, meeting } = c;
  try {
    await outputs.openCaptions(); // issue 20: bound first (standard input may wait for its first bytes), before any session
    const opened = await openSources({ config, io, specs: c.specs, warn: (t) => outputs.status.warn(t), onOpened: (s) => c.sources.push(s) });
    if (opened instanceof AppError) return opened;
    outputs.openFile();
    const [first] = opened;
    if (first === undefined) return undefined;
    const savedAudio = await outputs.openSavedAudio(first.audio.format, opened.length);
    const mix =
      savedAudio !== undefined && meeting.several
        ? createSavedMix({ channels: opened.length, sampleRateHz: first.audio.format.sampleRateHz, encoding: first.audio.format.encoding, out: savedAudio })
        : undefined;
    opened.forEach((s, i) => c.channels.push(openChannel(c, s, i, mix ?? savedAudio)));
    meeting.useMix(mix);
    return undefined;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

function openChannel(c: ChannelsContext, s: OpenedSource, index: number, saved: SavedMix | { write(pcm: Buffer): void } | undefined): Channel {
const { meeting, transcript } = c;
  const savedAudio = saved !== undefined && 'writerFor' in saved ? saved.writerFor(index, () => meeting.offsetOf(index)) : saved;
  return createChannel({
    config: c.config,
    io: c.io,
    source: s.audio,
    savedAudio,
    transcript,
    emit: c.outputs.emit,
    status: c.outputs.status,
    stop: meeting.stopFor(index),
    onSent: (sentMs) => meeting.sent(index, sentMs, transcript.speechEndMs),
    ...(meeting.several ? { meeting: meeting.channelPart(index, s) } : {}),
  });
}
