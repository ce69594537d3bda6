/**
 * Input level of PCM audio in dBFS, and a silence detector with hysteresis (pure). A microphone that
 * delivers nothing is the most common failure of a live transcriber: this is how we notice it.
 *
 * Silence is a level, never exact zeros: SoX resamples and dithers, so a silent or muted PulseAudio
 * source arrives as +-1 LSB, about -90 to -96 dBFS (../shared/ENVIRONMENT.md).
 */

import type { Encoding } from '../core/types.js';

const FULL_SCALE = 32768;

/** Below this RMS level a frame counts as silent (a working microphone's noise floor is above it). */
export const DEFAULT_SILENCE_THRESHOLD_DBFS = -60;
/** How long silence must last before the detector reports it. */
const DEFAULT_SILENCE_AFTER_MS = 4000;
/** Peak of +-2 LSB: what SoX's dither alone produces. A peak at or below it means no signal at all. */
export const DITHER_PEAK_DBFS = 20 * Math.log10(2 / FULL_SCALE);

/**
 * RMS level of mono PCM in dBFS (a full-scale square wave is 0 dBFS, a full-scale sine about -3).
 * Digital silence and empty input give -Infinity; a trailing odd byte of s16le is ignored.
 */
export function levelDbfs(pcm: Buffer, encoding: Encoding = 'pcm_s16le'): number {
  let sumSquares = 0;
  let n = 0;
  if (encoding === 'pcm_s16le') {
    // The audio path runs this on every frame: a plain loop, no callback per sample.
    const end = pcm.length - (pcm.length % 2);
    for (let i = 0; i < end; i += 2) {
      const s = pcm.readInt16LE(i);
      sumSquares += s * s;
    }
    n = end / 2;
  } else {
    forEachSample(pcm, encoding, (s) => {
      sumSquares += s * s;
      n += 1;
    });
  }
  if (n === 0 || sumSquares === 0) return -Infinity;
  return toDbfs(Math.sqrt(sumSquares / n));
}

/** Peak level (largest absolute sample) in dBFS; -Infinity for digital silence or empty input. */
export function peakDbfs(pcm: Buffer, encoding: Encoding = 'pcm_s16le'): number {
  let peak = 0;
  forEachSample(pcm, encoding, (s) => {
    const a = Math.abs(s);
    if (a > peak) peak = a;
  });
  return peak === 0 ? -Infinity : toDbfs(peak);
}

/**
 * Meter ballistics for display: rises at once, falls by at most `releaseDbPerS`, so a status line
 * neither flickers between words nor hides a peak. Pure: feed it the last shown value.
 */
export function decayLevel(shownDbfs: number, currentDbfs: number, elapsedMs: number, releaseDbPerS = 20): number {
  if (currentDbfs >= shownDbfs || !Number.isFinite(shownDbfs)) return currentDbfs;
  const floor = shownDbfs - (releaseDbPerS * Math.max(0, elapsedMs)) / 1000;
  return Math.max(currentDbfs, floor);
}

export interface SilenceDetectorOptions {
  /** Frames below this RMS level are silent (default -60 dBFS). */
  thresholdDbfs?: number;
  /** Report 'silent' once silence has lasted this long (default 4000 ms). */
  afterMs?: number;
  /** Sound must exceed the threshold by this much to end a reported silence (default 6 dB). */
  hysteresisDb?: number;
  /** ...for this long in total, so one click does not clear the warning (default 250 ms). */
  soundAfterMs?: number;
}

export type SilenceTransition = 'silent' | 'sound';

export interface SilenceDetector {
  /**
   * Feeds one frame's level and duration. Returns 'silent' once when silence has lasted `afterMs`,
   * 'sound' once when sound comes back after that, and undefined otherwise. After 'sound' the detector
   * is armed again, so a microphone muted later in the session is reported too.
   */
  push(levelDbfs: number, durationMs: number): SilenceTransition | undefined;
  /** True between a 'silent' and the following 'sound'. */
  readonly silent: boolean;
  /** Milliseconds of silence counted so far (resets on sound). */
  readonly silentMs: number;
  /** Forgets everything, e.g. after a pause (paused audio is silence we sent on purpose: don't feed it). */
  reset(): void;
}

export function createSilenceDetector(o: SilenceDetectorOptions = {}): SilenceDetector {
  const threshold = o.thresholdDbfs ?? DEFAULT_SILENCE_THRESHOLD_DBFS;
  const afterMs = o.afterMs ?? DEFAULT_SILENCE_AFTER_MS;
  const soundLevel = threshold + (o.hysteresisDb ?? 6);
  const soundAfterMs = o.soundAfterMs ?? 250;
  let silent = false;
  let silentMs = 0;
  let soundMs = 0;
  return {
    push(level: number, durationMs: number): SilenceTransition | undefined {
      const ms = Number.isFinite(durationMs) && durationMs > 0 ? durationMs : 0;
      // NaN (a broken frame) counts as silence: it carries no sound.
      const isQuiet = !(level >= threshold);
      if (!silent) {
        if (!isQuiet) {
          silentMs = 0;
          return undefined;
        }
        silentMs += ms;
        if (silentMs < afterMs) return undefined;
        silent = true;
        soundMs = 0;
        return 'silent';
      }
      // Between the threshold and threshold + hysteresis: neither silence nor a clear return of sound.
      if (level >= soundLevel) soundMs += ms;
      else if (isQuiet) soundMs = 0;
      if (soundMs < soundAfterMs) return undefined;
      silent = false;
      silentMs = 0;
      soundMs = 0;
      return 'sound';
    },
    get silent() {
      return silent;
    },
    get silentMs() {
      return silentMs;
    },
    reset(): void {
      silent = false;
      silentMs = 0;
      soundMs = 0;
    },
  };
}

function toDbfs(amplitude: number): number {
  return 20 * Math.log10(amplitude / FULL_SCALE);
}

function forEachSample(pcm: Buffer, encoding: Encoding, f: (sample: number) => void): void {
  if (encoding === 'pcm_mulaw') {
    for (let i = 0; i < pcm.length; i += 1) f(MULAW_TO_LINEAR[pcm[i]!]!);
    return;
  }
  // readInt16LE rather than an Int16Array view: chunks from a pipe may start at an odd byte offset.
  const end = pcm.length - (pcm.length % 2);
  for (let i = 0; i < end; i += 2) f(pcm.readInt16LE(i));
}

/** G.711 mu-law byte -> 16-bit linear sample (ITU-T G.711, as SoX decodes it). */
const MULAW_TO_LINEAR: Int16Array = (() => {
  const table = new Int16Array(256);
  for (let i = 0; i < 256; i += 1) {
    const u = ~i & 0xff;
    const exponent = (u >> 4) & 0x07;
    const mantissa = u & 0x0f;
    const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    table[i] = u & 0x80 ? -magnitude : magnitude;
  }
  return table;
})();
