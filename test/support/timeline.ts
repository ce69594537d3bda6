/**
 * "No audio lost": what the client sends for a file, and the check that the sessions the double recorded
 * received it all, each session a consecutive stretch (replays may overlap the previous one), none skipped.
 */
import { expect } from 'vitest';
import { readWavPcm } from './audio.js';
import type { SessionRecord } from './fake-server.js';

/** 50 ms at 16 kHz s16le: the client's frame. */
export const FRAME_BYTES = 1600;

/** What the client sends for a 16 kHz WAV file: its PCM in 50 ms frames, the last one padded, then 1 s of silence. */
export function fileTimeline(wavPath: string): Buffer {
  const pcm = readWavPcm(wavPath).pcm;
  const padded = Buffer.alloc(Math.ceil(pcm.length / FRAME_BYTES) * FRAME_BYTES);
  pcm.copy(padded);
  return Buffer.concat([padded, Buffer.alloc(20 * FRAME_BYTES)]);
}

/**
 * The sessions that began (Begin sent) got consecutive stretches of `timeline`, starting at the offsets of the
 * client's `reconnected` NDJSON events, and together cover all of it.
 */
export function expectEveryByteAccountedFor(events: Record<string, unknown>[], sessions: SessionRecord[], timeline: Buffer): void {
  const opened = sessions.filter((x) => x.id !== '');
  const offsets = [0, ...events.filter((e) => e.type === 'reconnected').map((e) => e.offset_ms as number)];
  expect(offsets).toHaveLength(opened.length);
  let covered = 0;
  opened.forEach((session, k) => {
    const start = ((offsets[k] ?? 0) / 50) * FRAME_BYTES;
    const got = Buffer.concat(session.frames.map((f) => f.data));
    expect(start, `session ${k} starts after a gap`).toBeLessThanOrEqual(covered);
    expect(got.equals(timeline.subarray(start, start + got.length)), `session ${k} received exactly its stretch of the timeline`).toBe(true);
    covered = Math.max(covered, start + got.length);
  });
  expect(covered).toBe(timeline.length);
}
