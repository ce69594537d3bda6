import { describe, expect, it } from 'vitest';
import { createSavedMix } from '../../../src/app/saved-mix.js';

const samples = (...v: number[]): Buffer => {
  const b = Buffer.alloc(v.length * 2);
  v.forEach((x, i) => b.writeInt16LE(x, i * 2));
  return b;
};
const read = (b: Buffer): number[] => Array.from({ length: b.length / 2 }, (_, i) => b.readInt16LE(i * 2));

describe('saved audio of several sources', () => {
  it("interleaves one channel per source, each from where its capture started on the run's timeline", () => {
    const written: Buffer[] = [];
    const mix = createSavedMix({ channels: 2, sampleRateHz: 1000, encoding: 'pcm_s16le', out: { write: (b) => written.push(Buffer.from(b)) } });
    const a = mix.writerFor(0, () => 0);
    const b = mix.writerFor(1, () => 2); // starts 2 ms (2 samples at 1 kHz) later
    a.write(samples(1, 2, 3));
    b.write(samples(7, 8));
    a.write(samples(4));
    mix.flush();
    expect(read(Buffer.concat(written))).toEqual([1, 0, 2, 0, 3, 7, 4, 8]);
  });

  it('a source that ended is silence from there; the others go on', () => {
    const written: Buffer[] = [];
    const mix = createSavedMix({ channels: 2, sampleRateHz: 1000, encoding: 'pcm_s16le', out: { write: (b) => written.push(Buffer.from(b)) } });
    const a = mix.writerFor(0, () => 0);
    mix.writerFor(1, () => 0).write(samples(5));
    mix.end(1);
    a.write(samples(1, 2, 3));
    mix.flush();
    expect(read(Buffer.concat(written))).toEqual([1, 5, 2, 0, 3, 0]);
  });

  it('a source whose first audio comes after the others have sent far beyond its start keeps that audio, aligned (issue 18)', () => {
    // As in a meeting: the microphone's session begins first and its early buffer (1.5 s) goes out at once;
    // the system audio's capture started 250 ms into the run, its session began later, its early audio comes now.
    const written: Buffer[] = [];
    const mix = createSavedMix({ channels: 2, sampleRateHz: 100, encoding: 'pcm_s16le', out: { write: (b) => written.push(Buffer.from(b)) } });
    const mic = mix.writerFor(0, () => 0);
    const system = mix.writerFor(1, () => 250);
    const micAudio = Array.from({ length: 150 }, (_, i) => i + 1);
    const systemAudio = Array.from({ length: 125 }, (_, i) => 1000 + i);
    mic.write(samples(...micAudio));
    system.write(samples(...systemAudio));
    mix.flush();
    const all = read(Buffer.concat(written));
    const channel = (c: number): number[] => all.filter((_, i) => i % 2 === c);
    expect(channel(0)).toEqual(micAudio);
    // Exactly what its session received, from sample 25 (250 ms at 100 Hz) on the run's timeline.
    expect(channel(1)).toEqual([...Array<number>(25).fill(0), ...systemAudio]);
  });

  it('the audio held while the sessions connected, flushed frame by frame one source after the other at Begin, is kept whole and aligned (issue 18)', () => {
    // The service's real timings: Begin comes ~1.2 s after the capture started; until then each source's 50 ms frames
    // wait in its early buffer. At Begin the microphone's buffer goes out, then the system audio's, then live frames.
    const rate = 16_000;
    const frameSamples = 800;
    const written: Buffer[] = [];
    const mix = createSavedMix({ channels: 2, sampleRateHz: rate, encoding: 'pcm_s16le', out: { write: (b) => written.push(Buffer.from(b)) } });
    const sources = [
      { writer: mix.writerFor(0, () => 20), offset: 20 * 16, next: 1, sent: [] as number[] },
      { writer: mix.writerFor(1, () => 70), offset: 70 * 16, next: 20_001, sent: [] as number[] },
    ];
    const frame = (s: (typeof sources)[number]): void => {
      const values = Array.from({ length: frameSamples }, () => s.next++ % 30_000);
      s.sent.push(...values);
      s.writer.write(samples(...values));
    };
    const [mic, system] = sources;
    if (mic === undefined || system === undefined) throw new Error('two sources');
    for (let i = 0; i < 24; i += 1) frame(mic); // 1.2 s held from 20 ms
    for (let i = 0; i < 23; i += 1) frame(system); // 1.15 s held from 70 ms
    for (let i = 0; i < 40; i += 1) sources.forEach(frame); // then live, alternating
    mix.flush();
    const all = read(Buffer.concat(written));
    sources.forEach((s, c) => {
      const channel = all.filter((_, i) => i % 2 === c);
      expect(channel.slice(0, s.offset).every((v) => v === 0)).toBe(true);
      expect(channel.slice(s.offset, s.offset + s.sent.length)).toEqual(s.sent);
    });
  });
});
