import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMultiChannelWavHeader } from '../../../src/audio/interleave.js';
import { openWavWriter } from '../../../src/audio/wav-writer.js';
import { parseWavHeader } from '../../../src/audio/wav.js';
import { UsageError } from '../../../src/core/errors.js';
import { parseWav } from '../../support/audio.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-wav-writer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ramp(bytes: number, seed = 0): Buffer {
  const b = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) b[i] = (i * 7 + seed) % 251;
  return b;
}

/** Strict reading of our own layout: every size field consistent with the others. */
function strictHeader(file: Buffer): { riff: number; data: number; headerBytes: number } {
  expect(file.toString('latin1', 0, 4)).toBe('RIFF');
  expect(file.toString('latin1', 8, 12)).toBe('WAVE');
  const parsed = parseWavHeader(file);
  if (!parsed.ok) throw new Error(parsed.reason);
  const riff = file.readUInt32LE(4);
  const data = file.readUInt32LE(parsed.info.dataOffset - 4);
  expect(riff).toBe(parsed.info.dataOffset - 8 + data);
  return { riff, data, headerBytes: parsed.info.dataOffset };
}

describe('the header of one channel (formatMultiChannelWavHeader, as openWavWriter writes it)', () => {
  it('is the canonical 44-byte PCM header', () => {
    const h = formatMultiChannelWavHeader(32000, 16000, 1);
    expect(h.length).toBe(44);
    expect(h.toString('hex')).toBe(
      '52494646' +
        '247d0000' +
        '57415645' +
        '666d7420' +
        '10000000' +
        '0100' +
        '0100' +
        '803e0000' +
        '007d0000' +
        '0200' +
        '1000' +
        '64617461' +
        '007d0000',
    );
    const info = parseWavHeader(h);
    expect(info).toEqual({
      ok: true,
      info: { format: 'pcm', formatTag: 1, channels: 1, sampleRateHz: 16000, bitsPerSample: 16, blockAlign: 2, dataOffset: 44, dataBytes: 32000 },
    });
  });

  it('describes mu-law with cbSize and a fact chunk (sample count)', () => {
    const h = formatMultiChannelWavHeader(8000, 8000, 1, 'pcm_mulaw');
    expect(h.length).toBe(58);
    const info = parseWavHeader(h);
    expect(info).toMatchObject({
      ok: true,
      info: { format: 'mulaw', formatTag: 7, bitsPerSample: 8, blockAlign: 1, dataOffset: 58, dataBytes: 8000 },
    });
    expect(h.toString('latin1', 38, 42)).toBe('fact');
    expect(h.readUInt32LE(46)).toBe(8000);
  });

  it('says 0 bytes of audio (RIFF size 36, never 0) for an empty file', () => {
    const h = formatMultiChannelWavHeader(0, 16000, 1);
    expect(h.readUInt32LE(4)).toBe(36);
    expect(h.readUInt32LE(40)).toBe(0);
  });
});

describe('openWavWriter', () => {
  it('writes exactly what it is given, with a final header that counts it', async () => {
    const file = path.join(dir, 'basic.wav');
    const w = await openWavWriter(file, { sampleRateHz: 16000 });
    const chunks = [ramp(1600, 1), ramp(1600, 2), ramp(333, 3), ramp(1267, 4)];
    for (const c of chunks) w.write(c);
    expect(w.bytesQueued).toBe(4800);
    const result = await w.close();
    expect(result).toEqual({ path: file, dataBytes: 4800, durationMs: 150, error: undefined });
    const bytes = await readFile(file);
    expect(strictHeader(bytes)).toEqual({ riff: 36 + 4800, data: 4800, headerBytes: 44 });
    expect(Buffer.compare(parseWav(bytes).pcm, Buffer.concat(chunks))).toBe(0);
    expect(bytes.length).toBe(44 + 4800);
  });

  it('copies each chunk: a caller reusing its buffer does not change what is saved', async () => {
    const file = path.join(dir, 'reuse.wav');
    const w = await openWavWriter(file, { sampleRateHz: 16000 });
    const frame = Buffer.alloc(1600, 1);
    w.write(frame);
    frame.fill(2);
    w.write(frame);
    frame.fill(3);
    await w.close();
    const pcm = parseWav(await readFile(file)).pcm;
    expect(pcm.subarray(0, 1600).every((b) => b === 1)).toBe(true);
    expect(pcm.subarray(1600).every((b) => b === 2)).toBe(true);
  });

  it('keeps the header in step while writing: at most headerIntervalMs of audio is uncounted', async () => {
    const file = path.join(dir, 'progress.wav');
    const w = await openWavWriter(file, { sampleRateHz: 16000, headerIntervalMs: 100 }); // 3200 bytes
    for (let i = 0; i < 20; i++) {
      w.write(ramp(1600, i)); // 50 ms each
      // Wait (bounded) for the write to reach the file, then check the header on disk.
      const deadline = Date.now() + 2000;
      let bytes = await readFile(file);
      while (bytes.length < 44 + (i + 1) * 1600 && Date.now() < deadline) bytes = await readFile(file);
      const { data } = strictHeader(bytes);
      expect(data).toBeLessThanOrEqual(bytes.length - 44);
      expect(bytes.length - 44 - data).toBeLessThanOrEqual(3200); // the header follows the audio it counts
    }
    await w.close();
  });

  it('ends on a whole sample: an odd byte left at the end is cut', async () => {
    const file = path.join(dir, 'odd.wav');
    const w = await openWavWriter(file, { sampleRateHz: 8000 });
    w.write(ramp(101));
    const r = await w.close();
    expect(r.dataBytes).toBe(100);
    const bytes = await readFile(file);
    expect(bytes.length).toBe(144);
    expect(strictHeader(bytes).data).toBe(100);
  });

  it('writes mu-law as it came, one byte a sample', async () => {
    const file = path.join(dir, 'mulaw.wav');
    const w = await openWavWriter(file, { sampleRateHz: 8000, encoding: 'pcm_mulaw' });
    w.write(Buffer.alloc(401, 0xff));
    const r = await w.close();
    expect(r).toMatchObject({ dataBytes: 401, durationMs: 50.125 });
    const bytes = await readFile(file);
    expect(strictHeader(bytes)).toEqual({ riff: 50 + 401, data: 401, headerBytes: 58 });
    expect(bytes.readUInt32LE(46)).toBe(401); // fact: samples
  });

  it('refuses an existing file unless overwrite is set', async () => {
    const file = path.join(dir, 'exists.wav');
    await writeFile(file, 'precious');
    const err = await openWavWriter(file, { sampleRateHz: 16000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe(`${file} already exists`);
    expect((err as UsageError).hint).toMatch(/new file name/);
    expect(await readFile(file, 'utf8')).toBe('precious');

    const w = await openWavWriter(file, { sampleRateHz: 16000, overwrite: true });
    w.write(ramp(10));
    await w.close();
    expect(strictHeader(await readFile(file)).data).toBe(10);
  });

  it('explains a missing folder, a folder, and a path through a regular file', async () => {
    await expect(openWavWriter(path.join(dir, 'nope', 'a.wav'), { sampleRateHz: 16000 })).rejects.toThrow(/its folder does not exist/);
    await expect(openWavWriter(dir, { sampleRateHz: 16000, overwrite: true })).rejects.toThrow(/is a folder/);
    // Unwritable even for root (CI runs as root, where a chmod-ed folder is no obstacle): open() fails with ENOTDIR.
    const plain = path.join(dir, 'plain-file');
    await writeFile(plain, 'x');
    const err = await openWavWriter(path.join(plain, 'a.wav'), { sampleRateHz: 16000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toMatch(/^cannot write .*plain-file\/a\.wav: .*not a directory/);
  });

  it('close() is idempotent, and writes after it are ignored', async () => {
    const file = path.join(dir, 'twice.wav');
    const w = await openWavWriter(file, { sampleRateHz: 16000 });
    w.write(ramp(64));
    const a = w.close();
    w.write(ramp(64));
    const b = w.close();
    expect(await a).toBe(await b);
    expect((await a).dataBytes).toBe(64);
  });

  it('refuses /dev/full up front (its header write fails), without reporting it through onError', async () => {
    // /dev/full accepts opens and fails every write with ENOSPC: a full disk. (A write error during a recording:
    // test/integration/wav-writer.test.ts, EFBIG under ulimit -f.)
    const errors: Error[] = [];
    const w = await openWavWriter('/dev/full', { sampleRateHz: 16000, overwrite: true, onError: (e) => errors.push(e) }).catch((e: unknown) => e);
    // Opening works; the header write already fails: that is refused up front like any unwritable path.
    expect(w).toBeInstanceOf(UsageError);
    expect((w as UsageError).message).toMatch(/cannot write \/dev\/full/);
    expect(errors).toEqual([]);
  });
});

/** Two channels of 16-bit samples, interleaved: `left(i)` and `right(i)` for frame i. */
function stereo(frames: number, from = 0): Buffer {
  const b = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i++) {
    b.writeInt16LE(((from + i) * 3) % 20_000, i * 4);
    b.writeInt16LE(-(((from + i) * 5) % 20_000), i * 4 + 2);
  }
  return b;
}

function channelOf(pcm: Buffer, channel: number, channels: number): number[] {
  const out: number[] = [];
  for (let at = channel * 2; at + 2 <= pcm.length; at += channels * 2) out.push(pcm.readInt16LE(at));
  return out;
}

const soxi = (file: string, flag: string): string => execFileSync('soxi', [flag, file], { encoding: 'utf8' }).trim();

describe('openWavWriter with several channels', () => {
  it('writes N interleaved channels: the header of formatMultiChannelWavHeader, each channel read back as it was given', async () => {
    const file = path.join(dir, 'two.wav');
    const w = await openWavWriter(file, { sampleRateHz: 16000, channels: 2 });
    const audio = stereo(16000); // 1 s per channel
    // Chunks that cut frames (and samples) in the middle: joined with the next one.
    for (let at = 0; at < audio.length; at += 1001) w.write(audio.subarray(at, at + 1001));
    const r = await w.close();
    expect(r).toEqual({ path: file, dataBytes: 64000, durationMs: 1000, error: undefined });
    const bytes = await readFile(file);
    expect(bytes.subarray(0, 44).equals(formatMultiChannelWavHeader(64000, 16000, 2))).toBe(true);
    const wav = parseWav(bytes);
    expect(wav).toMatchObject({ sampleRateHz: 16000, channels: 2, bitsPerSample: 16 });
    expect(channelOf(wav.pcm, 0, 2)).toEqual(channelOf(audio, 0, 2));
    expect(channelOf(wav.pcm, 1, 2)).toEqual(channelOf(audio, 1, 2));
    expect(channelOf(wav.pcm, 1, 2)[7]).toBe(-35); // the right channel is not the left one
    expect(parseWavHeader(bytes)).toMatchObject({ ok: true, info: { channels: 2, blockAlign: 4, dataBytes: 64000 } });
    // SoX agrees: 2 channels, 16000 samples each, 1 s.
    expect(soxi(file, '-c')).toBe('2');
    expect(soxi(file, '-s')).toBe('16000');
  });

  it('ends on a whole sample frame: a part frame left at the end is cut from file and header', async () => {
    const file = path.join(dir, 'three-part.wav');
    const w = await openWavWriter(file, { sampleRateHz: 8000, channels: 3 });
    w.write(Buffer.alloc(6 * 10 + 4, 1)); // 10 frames of 3 x 2 bytes, and 2 samples of an eleventh
    const r = await w.close();
    expect(r.dataBytes).toBe(60);
    const bytes = await readFile(file);
    expect(bytes.length).toBe(44 + 60);
    expect(strictHeader(bytes).data).toBe(60);
    expect(parseWav(bytes).channels).toBe(3);
  });

  it('mu-law in two channels: block align 2, the fact chunk counts frames', async () => {
    const file = path.join(dir, 'mulaw-two.wav');
    const w = await openWavWriter(file, { sampleRateHz: 8000, encoding: 'pcm_mulaw', channels: 2 });
    w.write(Buffer.alloc(801, 0xff));
    const r = await w.close();
    expect(r).toMatchObject({ dataBytes: 800, durationMs: 50 });
    const bytes = await readFile(file);
    expect(strictHeader(bytes)).toEqual({ riff: 50 + 800, data: 800, headerBytes: 58 });
    expect(parseWavHeader(bytes)).toMatchObject({ ok: true, info: { format: 'mulaw', channels: 2, blockAlign: 2 } });
    expect(bytes.readUInt32LE(46)).toBe(400);
  });

  it('a file caught mid-recording (as a killed process leaves it) is valid: whole frames counted, at most headerIntervalMs short', async () => {
    const file = path.join(dir, 'two-live.wav');
    const snapshot = path.join(dir, 'two-live-snapshot.wav');
    const w = await openWavWriter(file, { sampleRateHz: 16000, channels: 2, headerIntervalMs: 100 }); // 6400 bytes
    for (let i = 0; i < 12; i++) {
      w.write(stereo(800, i * 800).subarray(0, 3199)); // 50 ms less a byte: the frames straddle the writes
      w.write(stereo(800, i * 800).subarray(3199));
      const deadline = Date.now() + 2000;
      let bytes = await readFile(file);
      while (bytes.length < 44 + (i + 1) * 3200 && Date.now() < deadline) bytes = await readFile(file);
      const { data } = strictHeader(bytes);
      expect(data % 4).toBe(0);
      expect(data).toBeLessThanOrEqual(bytes.length - 44);
      expect(bytes.length - 44 - data).toBeLessThanOrEqual(6400);
    }
    await copyFile(file, snapshot); // what is on disk now, before close() writes the final sizes
    const caught = await readFile(snapshot);
    const counted = strictHeader(caught).data;
    expect(counted).toBeGreaterThanOrEqual(12 * 3200 - 6400);
    expect(soxi(snapshot, '-c')).toBe('2');
    expect(Number(soxi(snapshot, '-s'))).toBe(counted / 4);
    expect(parseWav(caught).pcm.equals(stereo(12 * 800).subarray(0, counted))).toBe(true);
    await w.close();
  });

  it('refuses a channel count that is not a whole number from 1, creating no file', async () => {
    const file = path.join(dir, 'zero.wav');
    await expect(openWavWriter(file, { sampleRateHz: 16000, channels: 0 })).rejects.toThrow(/channels must be a whole number from 1, not 0/);
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });
});
