/**
 * Transcript events (src/transcript/records.ts) for the tests of what consumes them: a final turn, a session's
 * begin and the run's termination, each with `extra` on top.
 */
import type { TranscriptEvent, TurnRecord } from '../../src/transcript/records.js';

type BeginEvent = Extract<TranscriptEvent, { type: 'begin' }>;
type TerminationEvent = Extract<TranscriptEvent, { type: 'termination' }>;

/** Final turn `index` saying `text`, one a second (from index * 1000 ms, 800 ms long) unless `extra` says otherwise. */
export function turnEvent(index: number, text: string, extra: Partial<TurnRecord> = {}): TranscriptEvent {
  return {
    type: 'turn',
    turn: {
      index,
      sessionId: 's',
      turnOrder: index,
      text,
      startMs: index * 1000,
      endMs: index * 1000 + 800,
      words: [],
      endOfTurnConfidence: 1,
      time: new Date(),
      ...extra,
    },
  };
}

/** Session 's' began: 16 kHz PCM, model 'm', from the microphone. */
export function beginEvent(extra: Partial<BeginEvent> = {}): TranscriptEvent {
  return {
    type: 'begin',
    sessionId: 's',
    expiresAt: undefined,
    sampleRateHz: 16000,
    encoding: 'pcm_s16le',
    speechModel: 'm',
    input: 'microphone',
    time: new Date(),
    ...extra,
  };
}

/** The run ended by the user: one session, one turn, 1 ms of audio sent. */
export function terminationEvent(extra: Partial<TerminationEvent> = {}): TerminationEvent {
  return {
    type: 'termination',
    reason: 'user',
    audioSentMs: 1,
    audioDurationS: 1,
    sessionDurationS: 1,
    sessions: 1,
    reconnects: 0,
    turns: 1,
    time: new Date(),
    ...extra,
  };
}
