/**
 * --save-audio with several sources (issue 13): one WAV channel per source, sample-aligned on the run's
 * timeline through the interleaver. Each source gets a writer for its audio path; its frames land at the
 * sample where that source's capture started plus what it has sent.
 */
import { createInterleaver, sampleAt } from '../audio/interleave.js';
import type { Encoding } from '../core/types.js';

export interface SavedMix {
  /** The writer for source `index`, whose audio starts `offsetMs()` into the run. */
  writerFor(index: number, offsetMs: () => number): { write(pcm: Buffer): void };
  /** Source `index` sends nothing more. */
  end(index: number): void;
  /** What is held, before the file is closed. */
  flush(): void;
}

export function createSavedMix(o: { channels: number; sampleRateHz: number; encoding: Encoding; out: { write(pcm: Buffer): void } }): SavedMix {
  const il = createInterleaver({ channels: o.channels, sampleRateHz: o.sampleRateHz, encoding: o.encoding });
  const bytes = o.encoding === 'pcm_mulaw' ? 1 : 2;
  const put = (b: Buffer): void => {
    if (b.length > 0) o.out.write(b);
  };
  return {
    writerFor(index, offsetMs) {
      let samples = 0;
      return {
        write(pcm) {
          put(il.push(index, sampleAt(offsetMs(), o.sampleRateHz) + samples, pcm));
          samples += Math.floor(pcm.length / bytes);
        },
      };
    },
    end: (index) => put(il.end(index)),
    flush: () => put(il.flush()),
  };
}
