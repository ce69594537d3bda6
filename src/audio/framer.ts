/**
 * Re-frames arbitrary PCM chunks (any size, even odd lengths that split a sample) into fixed frames.
 * The service wants 50-1000 ms per binary message (PROTOCOL.md §4.1); 50 ms keeps latency lowest.
 * A frame leaves as soon as it is full: no timers, and each input byte is copied exactly once.
 */

export const FRAME_MS = 50;
const BYTES_PER_SAMPLE = 2; // pcm_s16le mono

/** Bytes in one frame: whole samples, never under 50 ms at any rate (22050 Hz -> 1103 samples). */
export function frameBytesFor(sampleRateHz: number, frameMs = FRAME_MS): number {
  return Math.ceil((sampleRateHz * frameMs) / 1000) * BYTES_PER_SAMPLE;
}

export interface Framer {
  /** Returns the frames completed by this chunk (possibly none). */
  push(chunk: Buffer): Buffer[];
  /** Returns the remaining audio padded with silence to a whole frame, or undefined if none is left. */
  flush(): Buffer | undefined;
  /** Bytes held, waiting for a frame to fill. */
  readonly buffered: number;
}

export function createFramer(frameBytes: number): Framer {
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
      frame.fill(0, filled);
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
