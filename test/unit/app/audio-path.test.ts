import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAudioPath, type AudioPathOptions } from '../../../src/app/audio-path.js';
import type { AudioSource, SourceHandlers } from '../../../src/audio/source.js';
import { AppError, ErrorCode } from '../../../src/core/errors.js';
import type { Encoding } from '../../../src/core/types.js';

/** A source driven by hand: `feed` is what the capture delivers. */
function fakeSource(o: { live: boolean; sampleRateHz?: number; encoding?: Encoding }) {
  let handlers: SourceHandlers | undefined;
  const calls = { pause: 0, resume: 0, stop: 0, start: 0 };
  const source: AudioSource = {
    format: { sampleRateHz: o.sampleRateHz ?? 16_000, encoding: o.encoding ?? 'pcm_s16le' },
    label: o.live ? 'the default microphone' : 'talk.wav',
    durationMs: o.live ? undefined : 10_000,
    live: o.live,
    start(h) {
      calls.start += 1;
      handlers = h;
    },
    pause: () => void (calls.pause += 1),
    resume: () => void (calls.resume += 1),
    stop: () => {
      calls.stop += 1;
      return Promise.resolve();
    },
  };
  const feed = (chunk: Buffer): void => {
    if (handlers === undefined) throw new Error('the source was not started');
    handlers.onData(chunk);
  };
  const end = (error?: AppError): void => handlers?.onEnd(error);
  return { source, calls, feed, end };
}

/** A connection stand-in: records every frame pushed (copies, so later reuse of a buffer shows). */
function fakeTarget() {
  const frames: Buffer[] = [];
  return { frames, push: (frame: Buffer) => void frames.push(Buffer.from(frame)) };
}

const FRAME_16K = 1600; // 50 ms of 16 kHz 16-bit mono
const filled = (bytes: number, value: number): Buffer => Buffer.alloc(bytes, value);

function setUp(o: { live: boolean; sampleRateHz?: number; encoding?: Encoding }, extra: Partial<AudioPathOptions> = {}) {
  const s = fakeSource(o);
  const target = fakeTarget();
  const saved: Buffer[] = [];
  const captured: { frame: Buffer; paused: boolean }[] = [];
  const ends: (AppError | undefined)[] = [];
  const path = createAudioPath({
    source: s.source,
    savedAudio: { write: (pcm) => void saved.push(Buffer.from(pcm)) },
    onFrame: (frame, paused) => void captured.push({ frame: Buffer.from(frame), paused }),
    onEnd: (error) => void ends.push(error),
    ...extra,
  });
  return { ...s, target, saved, captured, ends, path };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('audio path: framing', () => {
  it.each([
    { name: '16 kHz 16-bit', sampleRateHz: 16_000, encoding: 'pcm_s16le' as const, frameBytes: 1600, frameMs: 50 },
    { name: '8 kHz 16-bit', sampleRateHz: 8000, encoding: 'pcm_s16le' as const, frameBytes: 800, frameMs: 50 },
    { name: '8 kHz mu-law', sampleRateHz: 8000, encoding: 'pcm_mulaw' as const, frameBytes: 400, frameMs: 50 },
    {
      name: '22.05 kHz 16-bit (whole samples, never under 50 ms)',
      sampleRateHz: 22_050,
      encoding: 'pcm_s16le' as const,
      frameBytes: 2206,
      frameMs: (1103 / 22_050) * 1000,
    },
  ])('$name: frames of $frameBytes bytes, frameMs $frameMs', ({ sampleRateHz, encoding, frameBytes, frameMs }) => {
    const t = setUp({ live: true, sampleRateHz, encoding });
    expect(t.path.frameMs).toBe(frameMs);
    t.path.startInput();
    t.path.attach(t.target);
    t.feed(filled(frameBytes * 3 - 1, 7));
    expect(t.target.frames.map((f) => f.length)).toEqual([frameBytes, frameBytes]);
    expect(t.path.sentMs).toBe(2 * frameMs);
  });

  it('holds frames captured before attach and sends them first, in order', () => {
    const t = setUp({ live: true });
    t.path.startInput();
    t.feed(Buffer.concat([filled(FRAME_16K, 1), filled(FRAME_16K, 2), filled(FRAME_16K / 2, 3)]));
    expect(t.target.frames).toEqual([]);
    expect(t.path.sentMs).toBe(0);
    t.path.attach(t.target);
    expect(t.target.frames).toEqual([filled(FRAME_16K, 1), filled(FRAME_16K, 2)]);
    t.feed(filled(FRAME_16K / 2, 3));
    expect(t.target.frames).toEqual([filled(FRAME_16K, 1), filled(FRAME_16K, 2), filled(FRAME_16K, 3)]);
    expect(t.path.sentMs).toBe(150);
  });

  it('re-frames chunks that split frames and samples without losing or reordering a byte', () => {
    const t = setUp({ live: true });
    t.path.startInput();
    t.path.attach(t.target);
    const audio = Buffer.alloc(FRAME_16K * 3);
    for (let i = 0; i < audio.length; i += 1) audio[i] = (i * 31 + 7) % 251;
    const sizes = [1, 3, 1599, 2, 1, 777, 1217];
    let at = 0;
    for (const n of sizes) {
      t.feed(audio.subarray(at, at + n));
      at += n;
    }
    t.feed(audio.subarray(at));
    expect(t.target.frames.length).toBe(3);
    expect(Buffer.concat(t.target.frames)).toEqual(audio);
  });

  it('starts the source once, however often startInput is called', () => {
    const t = setUp({ live: true });
    t.path.startInput();
    t.path.startInput();
    expect(t.calls.start).toBe(1);
  });

  it('passes the end of the source on, with its error if any', () => {
    const t = setUp({ live: false });
    t.path.startInput();
    const failure = new AppError(ErrorCode.capture, 'sox died');
    t.end(failure);
    expect(t.ends).toEqual([failure]);
  });
});

describe('audio path: pause on a live source', () => {
  it('sends silence of the same length in place of the input, and the captured frame to onFrame', () => {
    const t = setUp({ live: true });
    t.path.startInput();
    t.path.attach(t.target);
    t.feed(filled(FRAME_16K, 1));
    expect(t.path.togglePause()).toBe(true);
    expect(t.path.paused).toBe(true);
    t.feed(filled(FRAME_16K * 2, 2));
    expect(t.path.togglePause()).toBe(false);
    expect(t.path.paused).toBe(false);
    t.feed(filled(FRAME_16K, 3));
    expect(t.target.frames).toEqual([filled(FRAME_16K, 1), filled(FRAME_16K, 0), filled(FRAME_16K, 0), filled(FRAME_16K, 3)]);
    expect(t.captured).toEqual([
      { frame: filled(FRAME_16K, 1), paused: false },
      { frame: filled(FRAME_16K, 2), paused: true },
      { frame: filled(FRAME_16K, 2), paused: true },
      { frame: filled(FRAME_16K, 3), paused: false },
    ]);
    expect(t.path.sentMs).toBe(200);
  });

  it('sends mu-law silence (0xFF) while a mu-law source is paused', () => {
    const t = setUp({ live: true, sampleRateHz: 8000, encoding: 'pcm_mulaw' });
    t.path.startInput();
    t.path.attach(t.target);
    t.path.togglePause();
    t.feed(filled(400, 0x12));
    expect(t.target.frames).toEqual([filled(400, 0xff)]);
  });

  it('does not pause before the session began', () => {
    const t = setUp({ live: true });
    expect(t.path.togglePause()).toBe(false);
    expect(t.path.paused).toBe(false);
  });

  it('unpause ends a pause, and does nothing when not paused', () => {
    const t = setUp({ live: true });
    t.path.startInput();
    t.path.attach(t.target);
    t.path.unpause();
    expect(t.path.paused).toBe(false);
    t.path.togglePause();
    t.path.unpause();
    expect(t.path.paused).toBe(false);
    t.feed(filled(FRAME_16K, 5));
    expect(t.target.frames).toEqual([filled(FRAME_16K, 5)]);
  });
});

describe('audio path: stopping a live source', () => {
  it('stopInput stops the source and flushes the partial frame, padded with silence', async () => {
    const t = setUp({ live: true });
    t.path.startInput();
    t.path.attach(t.target);
    t.feed(filled(FRAME_16K + 600, 4));
    await t.path.stopInput();
    expect(t.calls.stop).toBe(1);
    expect(t.target.frames).toEqual([filled(FRAME_16K, 4), Buffer.concat([filled(600, 4), filled(FRAME_16K - 600, 0)])]);
    expect(t.saved).toEqual(t.target.frames);
  });

  it('stopInput with nothing partial sends nothing more', async () => {
    const t = setUp({ live: true });
    t.path.startInput();
    t.path.attach(t.target);
    t.feed(filled(FRAME_16K, 4));
    await t.path.stopInput();
    expect(t.target.frames).toEqual([filled(FRAME_16K, 4)]);
  });
});

describe('audio path: recorded input (paced)', () => {
  it('sends one frame per frameMs, not faster', async () => {
    vi.useFakeTimers();
    const t = setUp({ live: false });
    t.path.attach(t.target);
    t.path.startInput();
    t.feed(Buffer.concat([1, 2, 3, 4, 5].map((v) => filled(FRAME_16K, v))));
    expect(t.target.frames.length).toBe(1);
    await vi.advanceTimersByTimeAsync(49);
    expect(t.target.frames.length).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.target.frames.length).toBe(2);
    await vi.advanceTimersByTimeAsync(150);
    expect(t.target.frames).toEqual([1, 2, 3, 4, 5].map((v) => filled(FRAME_16K, v)));
    expect(t.path.sentMs).toBe(250);
  });

  it('pauses the source when more than 40 frames are queued, and resumes it once the queue is down to 20', async () => {
    vi.useFakeTimers();
    const t = setUp({ live: false });
    t.path.attach(t.target);
    t.path.startInput();
    t.feed(filled(FRAME_16K * 41, 1)); // one goes out at once: 40 queued
    expect(t.calls.pause).toBe(0);
    t.feed(filled(FRAME_16K, 1)); // 41 queued
    expect(t.calls.pause).toBe(1);
    await vi.advanceTimersByTimeAsync(20 * 50);
    expect(t.calls.resume).toBe(0);
    await vi.advanceTimersByTimeAsync(50);
    expect(t.calls.resume).toBe(1);
    expect(t.target.frames.length).toBe(22);
  });

  it('finishRecorded sends the partial last frame padded, then 1 s of silence, paced, and resolves when all is sent', async () => {
    vi.useFakeTimers();
    const t = setUp({ live: false });
    t.path.attach(t.target);
    t.path.startInput();
    t.feed(filled(FRAME_16K + 100, 9));
    let finished = false;
    const done = t.path.finishRecorded().then(() => {
      finished = true;
    });
    await vi.advanceTimersByTimeAsync(20 * 50);
    expect(finished).toBe(false);
    await vi.advanceTimersByTimeAsync(50);
    await done;
    expect(finished).toBe(true);
    expect(t.target.frames).toEqual([
      filled(FRAME_16K, 9),
      Buffer.concat([filled(100, 9), filled(FRAME_16K - 100, 0)]),
      ...Array.from({ length: 20 }, () => filled(FRAME_16K, 0)),
    ]);
    expect(t.path.sentMs).toBe(22 * 50);
    expect(t.saved).toEqual(t.target.frames);
  });

  it('while paused, sends silence at the same pace and holds the input, then goes on from where it was', async () => {
    vi.useFakeTimers();
    const t = setUp({ live: false });
    t.path.attach(t.target);
    t.path.startInput();
    t.feed(Buffer.concat([1, 2, 3].map((v) => filled(FRAME_16K, v))));
    expect(t.target.frames.length).toBe(1);
    expect(t.path.togglePause()).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(t.target.frames).toEqual([filled(FRAME_16K, 1), filled(FRAME_16K, 0), filled(FRAME_16K, 0)]);
    expect(t.captured.slice(1).map((c) => c.paused)).toEqual([true, true]);
    expect(t.path.togglePause()).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(t.target.frames).toEqual([filled(FRAME_16K, 1), filled(FRAME_16K, 0), filled(FRAME_16K, 0), filled(FRAME_16K, 2), filled(FRAME_16K, 3)]);
    expect(t.captured.slice(3).map((c) => c.paused)).toEqual([false, false]);
    expect(t.saved).toEqual(t.target.frames);
  });

  it('drop() stops the pause silence and the queue', async () => {
    vi.useFakeTimers();
    const t = setUp({ live: false });
    t.path.attach(t.target);
    t.path.startInput();
    t.feed(Buffer.concat([1, 2, 3].map((v) => filled(FRAME_16K, v))));
    t.path.togglePause();
    t.path.drop();
    await vi.advanceTimersByTimeAsync(500);
    expect(t.target.frames).toEqual([filled(FRAME_16K, 1)]);
  });
});

describe('audio path: saved audio', () => {
  it('gets exactly what the target got, silence in place of paused input included', () => {
    const t = setUp({ live: true });
    t.path.startInput();
    t.feed(filled(FRAME_16K, 1));
    t.path.attach(t.target);
    t.feed(filled(FRAME_16K, 2));
    t.path.togglePause();
    t.feed(filled(FRAME_16K, 3));
    t.path.togglePause();
    t.feed(filled(FRAME_16K, 4));
    expect(t.target.frames.length).toBe(4);
    expect(t.saved).toEqual(t.target.frames);
    expect(t.saved[2]).toEqual(filled(FRAME_16K, 0));
  });
});
