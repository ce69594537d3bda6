/**
 * Clicks for the capture-to-wire measurement: a WAV of silence with short loud bursts at irregular
 * intervals (so their positions inside the 50 ms frames vary), and an onset detector that finds them again
 * in any PCM stream (the reference reader's chunks, the frames that reach the double).
 */
import { writeFileSync } from 'node:fs';
import { prng } from './stats.js';

export const RATE_HZ = 16_000;
const CLICK_MS = 5;
const CLICK_AMPLITUDE = 24_000;
/** A sample at or above this (absolute) starts a click ... */
const ONSET_LEVEL = 8_000;
/** ... if no sample reached this level in the QUIET_MS before it. */
const LOUD_LEVEL = 2_000;
const QUIET_MS = 200;

/** Writes a 16 kHz mono s16le WAV of `durationMs` with clicks every 450-800 ms; returns their onsets (ms). */
export function writeClicksWav(file: string, durationMs: number, seed = 6): number[] {
  const samples = Math.round((durationMs / 1000) * RATE_HZ);
  const pcm = Buffer.alloc(samples * 2);
  const random = prng(seed);
  const onsets: number[] = [];
  const clickSamples = Math.round((CLICK_MS / 1000) * RATE_HZ);
  for (let at = 500 + random() * 300; at < durationMs - 300; at += 450 + random() * 350) {
    const start = Math.round((at / 1000) * RATE_HZ);
    onsets.push((start / RATE_HZ) * 1000);
    // A 1 kHz square burst: its first sample is already at full level, so the onset is sharp.
    for (let i = 0; i < clickSamples && start + i < samples; i += 1) {
      const v = Math.floor((i * 1000 * 2) / RATE_HZ) % 2 === 0 ? CLICK_AMPLITUDE : -CLICK_AMPLITUDE;
      pcm.writeInt16LE(v, (start + i) * 2);
    }
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(RATE_HZ, 24);
  header.writeUInt32LE(RATE_HZ * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  writeFileSync(file, Buffer.concat([header, pcm]));
  return onsets;
}

export interface Onset {
  /** Index of the onset sample in the whole stream. */
  sample: number;
  /** Samples of the chunk that came after the onset sample (0 = the chunk's last sample). */
  samplesAfterInChunk: number;
  /** Arrival time of the chunk that carried it (epoch ms, as given to push()). */
  chunkArrivalMs: number;
}

/** Finds click onsets in a stream of s16le chunks of any size (odd lengths carry over). */
export class OnsetDetector {
  private carry: Buffer | undefined;
  private sampleIndex = 0;
  private lastLoud = Number.NEGATIVE_INFINITY;
  readonly onsets: Onset[] = [];

  push(chunk: Buffer, arrivalMs: number): Onset[] {
    const data = this.carry !== undefined ? Buffer.concat([this.carry, chunk]) : chunk;
    const usable = data.length - (data.length % 2);
    this.carry = usable < data.length ? Buffer.from(data.subarray(usable)) : undefined;
    const n = usable / 2;
    const quietSamples = (QUIET_MS / 1000) * RATE_HZ;
    const found: Onset[] = [];
    for (let i = 0; i < n; i += 1) {
      const s = Math.abs(data.readInt16LE(i * 2));
      const index = this.sampleIndex + i;
      if (s >= ONSET_LEVEL && index - this.lastLoud > quietSamples) {
        found.push({ sample: index, samplesAfterInChunk: n - 1 - i, chunkArrivalMs: arrivalMs });
      }
      if (s >= LOUD_LEVEL) this.lastLoud = index;
    }
    this.sampleIndex += n;
    this.onsets.push(...found);
    return found;
  }
}

export interface TimedOnset {
  /** Index of the onset sample in its stream. */
  sample: number;
  /** When it was there (epoch ms): entered the microphone (reference) or reached the double (wire). */
  atMs: number;
}

/**
 * Pairs reference clicks with wire clicks by their position in the audio, not by time, so a pair is right
 * however large the latency: the two streams started at different moments, so their sample indexes differ by
 * a constant offset (found as the one that pairs the most clicks, then followed for drift). Returns the
 * latencies (wire time - reference time, ms) and how many reference clicks found no partner.
 */
export function pairLatencies(reference: readonly TimedOnset[], wire: readonly TimedOnset[]): { latencies: number[]; unmatched: number } {
  const tolerance = (10 / 1000) * RATE_HZ;
  const countWith = (offset: number): number => {
    let n = 0;
    let j = 0;
    for (const r of reference) {
      while (j < wire.length && (wire[j]?.sample ?? 0) < r.sample + offset - tolerance) j += 1;
      const w = wire[j];
      if (w !== undefined && Math.abs(w.sample - r.sample - offset) <= tolerance) {
        n += 1;
        j += 1;
      }
    }
    return n;
  };
  let best: { offset: number; n: number } | undefined;
  for (const r of reference.slice(0, 6)) {
    for (const w of wire.slice(0, 12)) {
      const n = countWith(w.sample - r.sample);
      if (best === undefined || n > best.n) best = { offset: w.sample - r.sample, n };
    }
  }
  if (best === undefined) return { latencies: [], unmatched: reference.length };
  let offset = best.offset;
  const latencies: number[] = [];
  let unmatched = 0;
  let j = 0;
  for (const r of reference) {
    while (j < wire.length && (wire[j]?.sample ?? 0) < r.sample + offset - tolerance) j += 1;
    const w = wire[j];
    if (w !== undefined && Math.abs(w.sample - r.sample - offset) <= tolerance) {
      latencies.push(w.atMs - r.atMs);
      offset = w.sample - r.sample; // follow a slow drift (resampling)
      j += 1;
    } else {
      unmatched += 1;
    }
  }
  return { latencies, unmatched };
}
