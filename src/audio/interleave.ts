/**
 * --save-audio with several sources (issue 13): one WAV channel per source, sample-aligned on the run's
 * timeline. Each source's frames come with their position (in samples); what a source did not send for a
 * stretch (before it started, a gap, after it ended) is silence, so every channel keeps the same clock.
 *
 * Blocks are written as soon as every source still running has sent that far. A source that has sent audio
 * and then stalls (sends nothing while the others send more than `maxLagMs` of audio, or its device is gone)
 * is filled with silence up to `maxLagMs` behind the most advanced one, so the file keeps growing and a
 * killed process loses at most that much. A stall is judged by what the others sent since this source last
 * sent, not by how far behind its position is: when the sessions begin, each source's audio held while
 * connecting (about 1.2 s) comes in one burst, source after source, so the second one's first frames
 * arrive more than `maxLagMs` behind the first one's end although nothing stalled (issue 18: a meeting's
 * system audio lost its first ~250 ms as silence). A source that has sent nothing yet holds the others (up
 * to `maxStartWaitMs`): its first audio arrives late but belongs early on the timeline. Audio that a source
 * sends for a stretch already written is dropped: the file never goes back. Pure, no I/O.
 */
import { bytesPerSample, silenceByte } from './framer.js';
import type { Encoding } from '../core/types.js';

export interface InterleaverOptions {
  channels: number;
  sampleRateHz: number;
  encoding?: Encoding;
  /** Most audio the others may send while a running source sends nothing before its gap is filled with silence (default 1000 ms). */
  maxLagMs?: number;
  /** Most the others are held for a running source that has sent nothing yet (default 60 s). */
  maxStartWaitMs?: number;
}

export interface Interleaver {
  /**
   * `pcm` (whole samples) of `channel` (0-based), its first sample at `atSample` on the run's timeline.
   * Returns the interleaved audio completed by it, possibly empty, to write after what came before.
   */
  push(channel: number, atSample: number, pcm: Buffer): Buffer;
  /** `channel` will send nothing more: it holds the others no longer (silence from where it stopped). */
  end(channel: number): Buffer;
  /** Everything held, gaps as silence, up to the furthest sample any source sent (the run is ending). */
  flush(): Buffer;
  /** Samples per channel returned so far: the length of the file's audio, in sample frames. */
  readonly writtenSamples: number;
}

const DEFAULT_MAX_LAG_MS = 1000;
/** A source's first audio can wait for its session to begin (bounded retries): this much is held for it. */
const DEFAULT_MAX_START_WAIT_MS = 60_000;

/** The sample at `ms` on a timeline at `sampleRateHz` (rounded to the nearest). */
export function sampleAt(ms: number, sampleRateHz: number): number {
  return Math.round((ms * sampleRateHz) / 1000);
}

interface ChannelState {
  /** Samples after writtenSamples, in order; together they cover [writtenSamples, endSample). */
  chunks: Buffer[];
  endSample: number;
  /** It has sent audio: from now on, a stall beyond maxLagMs is filled with silence. */
  started: boolean;
  /** The furthest sample any source had sent right after this one last sent: the others' progress since is its stall. */
  heardAt: number;
  ended: boolean;
}

export function createInterleaver(o: InterleaverOptions): Interleaver {
  if (!Number.isInteger(o.channels) || o.channels < 1) throw new RangeError(`channels must be a whole number from 1, not ${o.channels}`);
  const encoding = o.encoding ?? 'pcm_s16le';
  const bps = bytesPerSample(encoding);
  const silence = silenceByte(encoding);
  const maxLagSamples = sampleAt(o.maxLagMs ?? DEFAULT_MAX_LAG_MS, o.sampleRateHz);
  const maxStartWaitSamples = sampleAt(o.maxStartWaitMs ?? DEFAULT_MAX_START_WAIT_MS, o.sampleRateHz);
  const states: ChannelState[] = Array.from({ length: o.channels }, () => ({ chunks: [], endSample: 0, started: false, heardAt: 0, ended: false }));
  let written = 0;

  const stateOf = (channel: number): ChannelState => {
    const s = states[channel];
    if (s === undefined) throw new RangeError(`no channel ${channel}: there are ${o.channels}`);
    return s;
  };

  const append = (s: ChannelState, atSample: number, pcm: Buffer): void => {
    s.started = true;
    const samples = Math.floor(pcm.length / bps);
    const from = Math.max(s.endSample, written);
    if (atSample > from) s.chunks.push(Buffer.alloc((atSample - from) * bps, silence));
    s.endSample = Math.max(from, atSample);
    const skip = Math.min(samples, s.endSample - atSample);
    if (skip >= samples) return;
    s.chunks.push(pcm.subarray(skip * bps, samples * bps));
    s.endSample += samples - skip;
  };

  /** The first `count` samples held for `s`, padded with silence; the rest stays held. */
  const takeSamples = (s: ChannelState, count: number): Buffer => {
    const held = Buffer.concat(s.chunks);
    const bytes = count * bps;
    s.chunks = held.length > bytes ? [held.subarray(bytes)] : [];
    if (held.length >= bytes) return held.subarray(0, bytes);
    return Buffer.concat([held, Buffer.alloc(bytes - held.length, silence)]);
  };

  const emitUpTo = (upTo: number): Buffer => {
    const count = upTo - written;
    if (count <= 0) return Buffer.alloc(0);
    const columns = states.map((s) => takeSamples(s, count));
    const out = Buffer.alloc(count * o.channels * bps);
    for (let i = 0; i < count; i += 1) {
      columns.forEach((column, c) => column.copy(out, (i * o.channels + c) * bps, i * bps, (i + 1) * bps));
    }
    written = upTo;
    for (const s of states) s.endSample = Math.max(s.endSample, written);
    return out;
  };

  const furthestSample = (): number => Math.max(...states.map((s) => s.endSample));

  /** How far `s` lets the file be written: to its end, unless it has not started or has stalled too long. */
  const boundOf = (s: ChannelState, furthest: number): number => {
    if (!s.started) return Math.max(s.endSample, furthest - maxStartWaitSamples);
    return furthest - s.heardAt > maxLagSamples ? Math.max(s.endSample, furthest - maxLagSamples) : s.endSample;
  };

  const emitReady = (): Buffer => {
    const furthest = furthestSample();
    const running = states.filter((s) => !s.ended);
    return emitUpTo(running.length === 0 ? furthest : Math.min(...running.map((s) => boundOf(s, furthest))));
  };

  return {
    push(channel, atSample, pcm) {
      const s = stateOf(channel);
      append(s, atSample, pcm);
      s.heardAt = furthestSample();
      return emitReady();
    },
    end(channel) {
      stateOf(channel).ended = true;
      return emitReady();
    },
    flush: () => emitUpTo(furthestSample()),
    get writtenSamples() {
      return written;
    },
  };
}

/**
 * The WAV header for `dataBytes` of interleaved audio in `channels` channels: 16-bit PCM (44 bytes), or
 * G.711 mu-law (58 bytes: fmt with cbSize, and the fact chunk RIFF asks of non-PCM data). Pure.
 */
export function formatMultiChannelWavHeader(dataBytes: number, sampleRateHz: number, channels: number, encoding: Encoding = 'pcm_s16le'): Buffer {
  const mulaw = encoding === 'pcm_mulaw';
  const bytesPerFrame = bytesPerSample(encoding) * channels;
  const fmt: [number, 2 | 4][] = [
    [mulaw ? 7 : 1, 2], // format tag: WAVE_FORMAT_MULAW or WAVE_FORMAT_PCM
    [channels, 2],
    [sampleRateHz, 4],
    [sampleRateHz * bytesPerFrame, 4],
    [bytesPerFrame, 2],
    [bytesPerSample(encoding) * 8, 2],
    ...(mulaw ? ([[0, 2]] as [number, 2][]) : []), // cbSize
  ];
  const chunks: { id: string; body: Buffer }[] = [{ id: 'fmt ', body: packLittleEndian(fmt) }];
  if (mulaw) chunks.push({ id: 'fact', body: packLittleEndian([[dataBytes / bytesPerFrame, 4]]) });
  const parts: Buffer[] = [Buffer.from('WAVE', 'latin1')];
  for (const chunk of chunks) parts.push(chunkHeader(chunk.id, chunk.body.length), chunk.body);
  parts.push(chunkHeader('data', dataBytes));
  const body = Buffer.concat(parts);
  return Buffer.concat([chunkHeader('RIFF', body.length + dataBytes), body]);
}

function chunkHeader(id: string, size: number): Buffer {
  const h = Buffer.alloc(8);
  h.write(id, 0, 'latin1');
  h.writeUInt32LE(size, 4);
  return h;
}

function packLittleEndian(fields: readonly (readonly [number, 2 | 4])[]): Buffer {
  const b = Buffer.alloc(fields.reduce((n, [, size]) => n + size, 0));
  let at = 0;
  for (const [value, size] of fields) at = size === 2 ? b.writeUInt16LE(value, at) : b.writeUInt32LE(value, at);
  return b;
}
