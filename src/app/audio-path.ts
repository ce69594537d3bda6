/**
 * One source's audio on its way out: source -> 50 ms framer -> (real-time pacer for recorded input) ->
 * the connection and the saved audio. Frames captured before the session began wait in an early buffer and
 * go first; while paused, silence of the same length goes in place of the input, so the session stays alive
 * and the timeline true (docs/service.md#audio). A run with several sources has one audio path each.
 */
import { createFramer, durationMsOf, frameBytesFor, silenceByte } from '../audio/framer.js';
import { createPacer, type Pacer } from '../audio/pacer.js';
import type { AudioSource } from '../audio/source.js';
import type { AppError } from '../core/errors.js';

/** Silence sent after recorded input ends, so the service sees the last turn end (docs/service.md#audio). */
const TRAILING_SILENCE_MS = 1000;
/** Recorded input is read ahead at most this many frames (2 s), then paused. */
const READ_AHEAD_FRAMES = 40;

/** Where frames go: a connection (Connection fits). */
export interface FrameTarget {
  push(frame: Buffer): void;
}

export interface AudioPathOptions {
  source: AudioSource;
  /** The saved audio (--save-audio): gets exactly what is sent. */
  savedAudio?: { write(pcm: Buffer): void };
  /** After each frame sent: the frame as captured (not the silence sent in its place while paused). */
  onFrame?: (captured: Buffer, paused: boolean) => void;
  /** The source ended: by itself (undefined) or with an error. */
  onEnd: (error?: AppError) => void;
}

export interface AudioPath {
  readonly frameMs: number;
  /** Audio sent so far, in ms (frames x frameMs). */
  readonly sentMs: number;
  /** Of sentMs, the silence added after recorded input ended (the trailing second), ms. */
  readonly paddingMs: number;
  readonly paused: boolean;
  /** When the first audio came in (performance.now() ms), or undefined before: where this source's timeline starts. */
  readonly firstAudioAt: number | undefined;
  /** Starts capturing; until `attach`, frames wait in the early buffer. */
  startInput(): void;
  /** Frames go to `target` from now on, the early ones first; recorded input is paced from here. */
  attach(target: FrameTarget): void;
  /** Pause or resume; returns whether it is paused now. */
  togglePause(): boolean;
  /** Ends a pause for the shutdown, so what is left goes out as it is. */
  unpause(): void;
  /** Recorded input ended: send the rest and a second of silence, paced, then resolve. */
  finishRecorded(): Promise<void>;
  /** Stops capturing; a microphone's last partial frame still goes out. */
  stopInput(): Promise<void>;
  /** Drops what is queued (a failed or forced stop). */
  drop(): void;
}

export function createAudioPath(o: AudioPathOptions): AudioPath {
  const { source } = o;
  const { sampleRateHz, encoding } = source.format;
  const frameBytes = frameBytesFor(sampleRateHz, encoding);
  const frameMs = durationMsOf(frameBytes, sampleRateHz, encoding);
  const framer = createFramer(frameBytes, silenceByte(encoding));
  const silenceFrame = Buffer.alloc(frameBytes, silenceByte(encoding));
  const early: Buffer[] = [];
  let target: FrameTarget | undefined;
  let pacer: Pacer | undefined;
  let paused = false;
  let pauseTimer: NodeJS.Timeout | undefined;
  let framesSent = 0;
  let paddingFrames = 0;
  let inputStarted = false;
  let firstAudioAt: number | undefined;

  const send = (frame: Buffer): void => {
    if (target === undefined) {
      early.push(frame);
      return;
    }
    const out = paused ? silenceFrame : frame;
    target.push(out);
    o.savedAudio?.write(out);
    framesSent += 1;
    o.onFrame?.(frame, paused);
  };
  const put = (frame: Buffer): void => (pacer === undefined ? send(frame) : pacer.push(frame));
  const endPause = (): void => {
    paused = false;
    clearInterval(pauseTimer);
    pacer?.release();
  };

  return {
    frameMs,
    get sentMs() {
      return framesSent * frameMs;
    },
    get paddingMs() {
      return paddingFrames * frameMs;
    },
    get paused() {
      return paused;
    },
    get firstAudioAt() {
      return firstAudioAt;
    },
    startInput() {
      if (inputStarted) return;
      inputStarted = true;
      source.start({
        onData: (chunk) => {
          firstAudioAt ??= performance.now();
          for (const frame of framer.push(chunk)) put(frame);
          if (pacer !== undefined && pacer.queued > READ_AHEAD_FRAMES) source.pause();
        },
        onEnd: (error) => o.onEnd(error),
      });
    },
    attach(t) {
      target = t;
      // The audio recorded while connecting goes first, before anything awaited lets new frames in.
      for (const frame of early.splice(0)) send(frame);
      if (!source.live) pacer = createPacer({ frameMs, send, lowWater: READ_AHEAD_FRAMES / 2, onLow: () => source.resume() });
    },
    togglePause() {
      if (target === undefined) return paused;
      if (paused) {
        endPause();
        return false;
      }
      paused = true;
      if (!source.live) {
        // Recorded input holds its place; silence goes out at the same pace meanwhile.
        pacer?.hold();
        pauseTimer = setInterval(() => send(silenceFrame), frameMs);
      }
      return true;
    },
    unpause: endPause,
    async finishRecorded() {
      const last = framer.flush();
      if (last !== undefined) put(last);
      for (let ms = 0; ms < TRAILING_SILENCE_MS; ms += frameMs) {
        put(silenceFrame);
        paddingFrames++;
      }
      await pacer?.drained();
    },
    async stopInput() {
      await source.stop();
      if (source.live) {
        // The microphone's last words are in the frame still being filled.
        const last = framer.flush();
        if (last !== undefined) send(last);
      }
      pacer?.stop();
    },
    drop() {
      clearInterval(pauseTimer);
      pacer?.stop();
    },
  };
}
