/**
 * WAV (RIFF/WAVE) headers read from untrusted files, and a stereo-to-mono downmixer (pure).
 * Only 16-bit integer PCM is streamed directly; anything else is handed to SoX by the caller.
 */

export interface WavInfo {
  /** 'pcm' = integer PCM (format 1, or EXTENSIBLE with the PCM sub-format). */
  format: 'pcm' | 'float' | 'mulaw' | 'alaw' | 'other';
  formatTag: number;
  channels: number;
  sampleRateHz: number;
  bitsPerSample: number;
  blockAlign: number;
  /** Byte offset of the audio data in the file. */
  dataOffset: number;
  /** Declared size of the audio data; undefined when the writer could not know it (0 or 0xFFFFFFFF: a stream). */
  dataBytes: number | undefined;
}

export type WavParse = { ok: true; info: WavInfo } | { ok: false; reason: string; needMore?: boolean };

const FORMAT_EXTENSIBLE = 0xfffe;
/**
 * Bounds on what a header may claim (issue 19.5): beyond them it is not audio but a damaged or hostile file
 * (a 4 GHz rate made the client spin with 1 GB of memory). 768 kHz is the highest rate audio hardware uses.
 */
const MAX_WAV_RATE_HZ = 768_000;
const MAX_WAV_CHANNELS = 64;
const MAX_WAV_BITS = 64;

/** Whether the bytes start like a RIFF/WAVE file. */
export function looksLikeWav(head: Buffer): boolean {
  return head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WAVE';
}

/**
 * Reads the header from the start of a file. `needMore` means the data chunk was not reached within
 * `head` (long metadata chunks): call again with more bytes.
 */
export function parseWavHeader(head: Buffer): WavParse {
  if (head.length < 12) return { ok: false, reason: 'too short to be a WAV file', needMore: true };
  if (!looksLikeWav(head)) return { ok: false, reason: 'not a RIFF/WAVE file' };
  let offset = 12;
  let fmt: Omit<WavInfo, 'dataOffset' | 'dataBytes'> | undefined;
  while (offset + 8 <= head.length) {
    const id = head.toString('latin1', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > head.length) return { ok: false, reason: 'the fmt chunk is truncated', needMore: body + 16 > head.length };
      let formatTag = head.readUInt16LE(body);
      const channels = head.readUInt16LE(body + 2);
      const sampleRateHz = head.readUInt32LE(body + 4);
      const blockAlign = head.readUInt16LE(body + 12);
      const bitsPerSample = head.readUInt16LE(body + 14);
      if (formatTag === FORMAT_EXTENSIBLE && size >= 40 && body + 26 <= head.length) formatTag = head.readUInt16LE(body + 24);
      const format = formatTag === 1 ? 'pcm' : formatTag === 3 ? 'float' : formatTag === 7 ? 'mulaw' : formatTag === 6 ? 'alaw' : 'other';
      if (channels === 0) return { ok: false, reason: 'the header says it has 0 channels' };
      if (sampleRateHz === 0) return { ok: false, reason: 'the header says its sample rate is 0 Hz' };
      if (bitsPerSample === 0) return { ok: false, reason: 'the header says 0 bits per sample' };
      if (sampleRateHz > MAX_WAV_RATE_HZ)
        return {
          ok: false,
          reason: `the header says its sample rate is ${sampleRateHz} Hz, above ${MAX_WAV_RATE_HZ} Hz (no audio is recorded that fast)`,
        };
      if (channels > MAX_WAV_CHANNELS) return { ok: false, reason: `the header says it has ${channels} channels, more than ${MAX_WAV_CHANNELS}` };
      if (bitsPerSample > MAX_WAV_BITS) return { ok: false, reason: `the header says ${bitsPerSample} bits per sample, more than ${MAX_WAV_BITS}` };
      fmt = { format, formatTag, channels, sampleRateHz, bitsPerSample, blockAlign };
    } else if (id === 'data') {
      if (fmt === undefined) return { ok: false, reason: 'the data chunk comes before the fmt chunk' };
      return { ok: true, info: { ...fmt, dataOffset: body, dataBytes: size === 0 || size === 0xffffffff ? undefined : size } };
    }
    offset = body + size + (size % 2); // chunks are word-aligned
  }
  return { ok: false, reason: fmt === undefined ? 'no fmt chunk found' : 'no data chunk found', needMore: true };
}

/** The lowest sample rate streamed as it is (the service's minimum). */
const MIN_STREAMED_RATE_HZ = 8000;

/** The highest rate streamed as it is (the client's --sample-rate range, docs/service.md#model-parameters); above it SoX resamples. */
const MAX_STREAMED_RATE_HZ = 96_000;

/** The WAV acceptance check: 16-bit integer PCM at 8000-96000 Hz is streamed as it is; anything else needs SoX. */
export function isStreamableWav(info: WavInfo): boolean {
  return info.format === 'pcm' && info.bitsPerSample === 16 && info.sampleRateHz >= MIN_STREAMED_RATE_HZ && info.sampleRateHz <= MAX_STREAMED_RATE_HZ;
}

/** The format for messages: "24-bit PCM at 48000 Hz", "float at 44100 Hz", "format 85 at 8000 Hz". */
export function describeWav(info: WavInfo): string {
  const kind = info.format === 'pcm' ? `${info.bitsPerSample}-bit PCM` : info.format === 'other' ? `format ${info.formatTag}` : info.format;
  return `${kind} at ${info.sampleRateHz} Hz`;
}

/** Averages interleaved 16-bit channels into mono, carrying partial frames across chunk boundaries. */
export function createDownmixer(channels: number): (chunk: Buffer) => Buffer {
  if (channels === 1) return (chunk) => chunk;
  const frameBytes = channels * 2;
  let carry = Buffer.alloc(0);
  return (chunk: Buffer): Buffer => {
    const input = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const frames = Math.floor(input.length / frameBytes);
    const out = Buffer.allocUnsafe(frames * 2);
    for (let f = 0; f < frames; f += 1) {
      let sum = 0;
      const base = f * frameBytes;
      for (let c = 0; c < channels; c += 1) sum += input.readInt16LE(base + c * 2);
      out.writeInt16LE(Math.round(sum / channels), f * 2);
    }
    carry = Buffer.from(input.subarray(frames * frameBytes));
    return out;
  };
}
