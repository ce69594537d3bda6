import { describe, expect, it } from 'vitest';
import { createDownmixer, describeWav, isStreamableWav, looksLikeWav, parseWavHeader, type WavInfo } from '../../../src/audio/wav.js';

const info = (o: Partial<WavInfo>): WavInfo => ({
  format: 'pcm',
  formatTag: 1,
  channels: 1,
  sampleRateHz: 16_000,
  bitsPerSample: 16,
  blockAlign: 2,
  dataOffset: 44,
  dataBytes: 32_000,
  ...o,
});

describe('the WAV acceptance check', () => {
  it.each([
    [{}, true, '16-bit PCM at 16000 Hz'],
    [{ channels: 2, sampleRateHz: 48_000 }, true, '16-bit PCM at 48000 Hz'],
    [{ sampleRateHz: 8000 }, true, '16-bit PCM at 8000 Hz'],
    [{ sampleRateHz: 7999 }, false, '16-bit PCM at 7999 Hz'],
    [{ sampleRateHz: 96_000 }, true, '16-bit PCM at 96000 Hz'],
    [{ sampleRateHz: 192_000 }, false, '16-bit PCM at 192000 Hz'],
    [{ bitsPerSample: 24 }, false, '24-bit PCM at 16000 Hz'],
    [{ format: 'float', formatTag: 3, bitsPerSample: 32 }, false, 'float at 16000 Hz'],
    [{ format: 'mulaw', formatTag: 7, bitsPerSample: 8 }, false, 'mulaw at 16000 Hz'],
    [{ format: 'other', formatTag: 85 }, false, 'format 85 at 16000 Hz'],
  ] as const)('%j: streamed as is %s, described as %j', (o, streamable, described) => {
    expect(isStreamableWav(info(o))).toBe(streamable);
    expect(describeWav(info(o))).toBe(described);
  });
});

function wavHeader(o: { format?: number; channels?: number; rate?: number; bits?: number; dataBytes?: number; extraChunk?: boolean } = {}): Buffer {
  const channels = o.channels ?? 1;
  const rate = o.rate ?? 16000;
  const bits = o.bits ?? 16;
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'latin1');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(o.format ?? 1, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(rate, 12);
  fmt.writeUInt32LE(Math.min(0xffffffff, (rate * channels * bits) / 8), 16);
  fmt.writeUInt16LE(Math.min(0xffff, (channels * bits) / 8), 20);
  fmt.writeUInt16LE(bits, 22);
  const list = Buffer.alloc(o.extraChunk === true ? 13 + 1 : 0);
  if (o.extraChunk === true) {
    list.write('LIST', 0, 'latin1');
    list.writeUInt32LE(5, 4); // odd size: padded to a word
  }
  const data = Buffer.alloc(8);
  data.write('data', 0, 'latin1');
  data.writeUInt32LE(o.dataBytes ?? 0, 4);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.write('WAVE', 8, 'latin1');
  return Buffer.concat([riff, fmt, list, data]);
}

describe('parseWavHeader', () => {
  it('reads a 16-bit mono header', () => {
    const r = parseWavHeader(wavHeader({ dataBytes: 3200 }));
    expect(r).toEqual({
      ok: true,
      info: { format: 'pcm', formatTag: 1, channels: 1, sampleRateHz: 16000, bitsPerSample: 16, blockAlign: 2, dataOffset: 44, dataBytes: 3200 },
    });
  });
  it('skips other chunks, word-aligned', () => {
    const r = parseWavHeader(wavHeader({ extraChunk: true, dataBytes: 10 }));
    expect(r.ok && r.info.dataOffset).toBe(44 + 14);
  });
  it('treats a 0 or 0xFFFFFFFF data size as a stream of unknown length', () => {
    const r0 = parseWavHeader(wavHeader({ dataBytes: 0 }));
    const rf = parseWavHeader(wavHeader({ dataBytes: 0xffffffff }));
    expect(r0.ok && r0.info.dataBytes).toBeUndefined();
    expect(rf.ok && rf.info.dataBytes).toBeUndefined();
  });
  it('names other formats so they can go through SoX', () => {
    const f = parseWavHeader(wavHeader({ format: 3, bits: 32 }));
    expect(f.ok && f.info.format).toBe('float');
    const m = parseWavHeader(wavHeader({ format: 7, bits: 8 }));
    expect(m.ok && m.info.format).toBe('mulaw');
  });
  it.each([
    [Buffer.from('RIFF'), /too short/],
    [Buffer.from('RIFX\0\0\0\0WAVEfmt '), /not a RIFF\/WAVE/],
    [wavHeader({ channels: 0 }), /0 channels/],
    [wavHeader({ rate: 0 }), /0 Hz/],
    [wavHeader().subarray(0, 30), /fmt chunk is truncated/],
    // Issue 19.5: what no audio is (a 4 GHz rate made the client spin with 1 GB of memory).
    [wavHeader({ rate: 4_000_000_000 }), /sample rate is 4000000000 Hz, above 768000 Hz/],
    [wavHeader({ channels: 65 }), /65 channels, more than 64/],
    [wavHeader({ bits: 128 }), /128 bits per sample, more than 64/],
  ])('refuses broken headers (%#)', (buf, reason) => {
    const r = parseWavHeader(buf);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(reason);
  });
  it('sniffs RIFF/WAVE', () => {
    expect(looksLikeWav(wavHeader())).toBe(true);
    expect(looksLikeWav(Buffer.from('ID3\u0004 mp3 data'))).toBe(false);
  });
});

describe('createDownmixer', () => {
  it('averages stereo into mono across chunk boundaries', () => {
    const stereo = Buffer.alloc(16);
    const samples = [100, 300, -200, -400, 32767, 32767, -32768, -32768];
    samples.forEach((v, i) => stereo.writeInt16LE(v, i * 2));
    const mix = createDownmixer(2);
    const out = Buffer.concat([mix(stereo.subarray(0, 3)), mix(stereo.subarray(3, 11)), mix(stereo.subarray(11))]);
    expect([0, 1, 2, 3].map((i) => out.readInt16LE(i * 2))).toEqual([200, -300, 32767, -32768]);
  });
  it('passes mono through untouched', () => {
    const b = Buffer.from([1, 2, 3]);
    expect(createDownmixer(1)(b)).toBe(b);
  });
});
