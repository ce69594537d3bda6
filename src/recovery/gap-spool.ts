/**
 * One source's gaps (issue 22): the audio its connection pushed out of the replay bound unacknowledged is
 * written to the spool (audio/spool.ts), one file per gap (a gap is a run of consecutive lost frames), with
 * where the gap starts on the run's timeline. Says once when the spool is full. What it kept is listed at the
 * end of the run, with the command that transcribes it later.
 */
import { Spool, type SpoolFile, type SpoolFormat } from '../audio/spool.js';

export interface Gap {
  file: SpoolFile;
  /** Where the gap starts on the run's timeline, ms. */
  startMs: number;
  /** When its first lost frame was captured (wall clock). */
  startedAt: Date;
  /** Its words are in the transcript (recovery.ts). */
  recovered?: boolean;
  /** A `lost` event was written for it. */
  lostReported?: boolean;
}

export interface GapSpoolOptions {
  dir: string;
  format: SpoolFormat;
  label: string;
  limitMs: number;
  pid: number;
  frameMs: number;
  /** Where this source's audio starts on the run's timeline (meetings), ms. */
  offsetMs: () => number;
  now: () => number;
  /** Once, when the limit is reached. */
  onFull: (limitMs: number) => void;
  /** A gap's file was created: its audio is being kept. */
  onGapStarted?: (gap: Gap) => void;
  /** A write failed (a full disk): said once, the audio is then lost as before. */
  onError: (error: Error) => void;
}

export interface GapSpool {
  /** The connection's onLostAudio. */
  lost(frames: Buffer[], firstIndex: number): void;
  /** Every gap written so far (the last may still grow). */
  readonly gaps: readonly Gap[];
  readonly spooledMs: number;
  /** More missed audio can be kept (the limit is not reached, no write failed): the connection keeps trying meanwhile. */
  readonly hasRoom: boolean;
  /** The audio of the gaps recovered so far, ms. */
  readonly recoveredMs: number;
  /** The outage is over (a new session began): the open gap is complete and handed to `onGapEnded`. */
  endGap(): void;
  /** Since when (epoch ms) the source has had no session, for the status line; undefined while connected. */
  offlineSince: number | undefined;
  /** Who recovers a completed gap (set by the run once it has a recoverer). */
  onGapEnded: ((gap: Gap) => void) | undefined;
  close(): void;
}

export function createGapSpool(o: GapSpoolOptions): GapSpool {
  const spool = new Spool({ dir: o.dir, format: o.format, label: o.label, limitMs: o.limitMs, pid: o.pid });
  const gaps: Gap[] = [];
  let nextIndex: number | undefined;
  let failed = false;
  const self: GapSpool = {
    onGapEnded: undefined,
    offlineSince: undefined,
    endGap() {
      const file = spool.endGap();
      const gap = gaps.find((g) => g.file === file);
      nextIndex = undefined;
      if (gap !== undefined) self.onGapEnded?.(gap);
    },
    get recoveredMs() {
      return gaps.filter((g) => g.recovered === true).reduce((ms, g) => ms + g.file.durationMs, 0);
    },
    lost(frames, firstIndex) {
      if (failed || frames.length === 0) return;
      try {
        if (nextIndex !== firstIndex) spool.endGap();
        // The frames were captured up to the replay bound ago: their wall-clock start, for the file's name.
        const startedAt = new Date(o.now() - frames.length * o.frameMs);
        const before = spool.files.length;
        const result = spool.append(Buffer.concat(frames), startedAt);
        const file = spool.files[spool.files.length - 1];
        if (spool.files.length > before && file !== undefined) {
          const gap: Gap = { file, startMs: o.offsetMs() + firstIndex * o.frameMs, startedAt };
          gaps.push(gap);
          o.onGapStarted?.(gap);
        }
        if (result === 'full') o.onFull(o.limitMs);
        nextIndex = firstIndex + frames.length;
      } catch (err) {
        failed = true;
        o.onError(err instanceof Error ? err : new Error(String(err)));
      }
    },
    get gaps() {
      return gaps;
    },
    get spooledMs() {
      return spool.spooledMs;
    },
    get hasRoom() {
      return !failed && !spool.isFull;
    },
    close: () => spool.close(),
  };
  return self;
}
