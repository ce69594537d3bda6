/**
 * Re-frames arbitrary PCM chunks (any size, even odd lengths that split a sample) into fixed frames.
 * The service wants 50-1000 ms per binary message (docs/service.md#audio); 50 ms keeps latency lowest.
 * A frame leaves as soon as it is full: no timers, and each input byte is copied exactly once.
 */

import type { Encoding } from '../core/types.js';

export const FRAME_MS = 50;

/** pcm_s16le: 2 bytes a sample; pcm_mulaw: 1 (docs/service.md#audio). Always mono. */
export function bytesPerSample(encoding: Encoding): number {
  return encoding === 'pcm_mulaw' ? 1 : 2;
}

/** The byte value of silence: 0 in linear PCM, 0xFF in mu-law. */
export function silenceByte(encoding: Encoding): number {
  return encoding === 'pcm_mulaw' ? 0xff : 0;
}

/** Bytes in one frame: whole samples, never under 50 ms at any rate (22050 Hz -> 1103 samples). */
export function frameBytesFor(sampleRateHz: number, encoding: Encoding = 'pcm_s16le', frameMs = FRAME_MS): number {
  return Math.ceil((sampleRateHz * frameMs) / 1000) * bytesPerSample(encoding);
}

/** Milliseconds of audio in `bytes`. */
export function durationMsOf(bytes: number, sampleRateHz: number, encoding: Encoding = 'pcm_s16le'): number {
  return (bytes / bytesPerSample(encoding) / sampleRateHz) * 1000;
}

export interface Framer {
  /** Returns the frames completed by this chunk (possibly none). */
  push(chunk: Buffer): Buffer[];
  /** Returns the remaining audio padded with silence to a whole frame, or undefined if none is left. */
  flush(): Buffer | undefined;
  /** Bytes held, waiting for a frame to fill. */
  readonly buffered: number;
}

export function createFramer(frameBytes: number, padByte = 0): Framer {
  let frame = Buffer.allocUnsafe(frameBytes);
  let filled = 0;
  return {
    push(chunk: Buffer): Buffer[] {
      const out: Buffer[] = [];
      let offset = 0;
      while (offset < chunk.length) {
        const n = Math.min(frameBytes - filled, chunk.length - offset);
        chunk.copy(frame, filled, offset, offset + n);
        filled += n;
        offset += n;
        if (filled === frameBytes) {
          out.push(frame);
          frame = Buffer.allocUnsafe(frameBytes);
          filled = 0;
        }
      }
      return out;
    },
    flush(): Buffer | undefined {
      if (filled === 0) return undefined;
      frame.fill(padByte, filled);
      const last = frame;
      frame = Buffer.allocUnsafe(frameBytes);
      filled = 0;
      return last;
    },
    get buffered() {
      return filled;
    },
  };
}
