import { describe, expect, it } from 'vitest';
import { describeWav, isStreamableWav, type WavInfo } from '../../../src/audio/wav.js';

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
    [{ bitsPerSample: 24 }, false, '24-bit PCM at 16000 Hz'],
    [{ format: 'float', formatTag: 3, bitsPerSample: 32 }, false, 'float at 16000 Hz'],
    [{ format: 'mulaw', formatTag: 7, bitsPerSample: 8 }, false, 'mulaw at 16000 Hz'],
    [{ format: 'other', formatTag: 85 }, false, 'format 85 at 16000 Hz'],
  ] as const)('%j: streamed as is %s, described as %j', (o, streamable, described) => {
    expect(isStreamableWav(info(o))).toBe(streamable);
    expect(describeWav(info(o))).toBe(described);
  });
});
