/**
 * What a transcription produces, in the order it happens: the events every output format is written from
 * (render/formats.ts), and the final turn placed on the timeline of the whole run (all sessions).
 */

export interface WordRecord {
  text: string;
  startMs: number;
  endMs: number;
  confidence: number;
  /** Run-wide speaker label (transcript/speakers.ts) and the service's confidence in it. */
  speaker?: string;
  speakerConfidence?: number;
}

/** A final turn, placed on the timeline of the whole transcription. */
export interface TurnRecord {
  /** Counts every turn of the run from 0; never repeats (also across sessions). */
  index: number;
  sessionId: string;
  /** The service's turn_order within its session. */
  turnOrder: number;
  text: string;
  /** ms from the start of the audio. */
  startMs: number;
  endMs: number;
  words: WordRecord[];
  endOfTurnConfidence: number;
  languageCode?: string;
  /** Which source said it, in a run with several (`You`, `Others`); absent with one source. */
  source?: string;
  languageConfidence?: number;
  /** Run-wide speaker label: `A`, `B` in the first session, `A2` in the second...; `PENDING` when not known yet. */
  speaker?: string;
  /** Issue 22: transcribed after the run through the pre-recorded API (a gap the live sessions missed). */
  recovered?: boolean;
  time: Date;
}

export type TranscriptEvent =
  | {
      type: 'begin';
      sessionId: string;
      expiresAt: number | undefined;
      sampleRateHz: number;
      encoding: string;
      speechModel: string;
      input: string;
      source?: string;
      time: Date;
    }
  | { type: 'partial'; sessionId: string; turnOrder: number; text: string; source?: string; time: Date }
  | { type: 'turn'; turn: TurnRecord }
  /** Speakers of turns already emitted, settled or changed: by their run-wide `index`. */
  | { type: 'speaker_revision'; turns: { index: number; speaker: string }[]; time: Date }
  | {
      type: 'termination';
      reason: string;
      audioSentMs: number;
      /** Over every session of the run; undefined when the service confirmed none. */
      audioDurationS: number | undefined;
      sessionDurationS: number | undefined;
      sessions: number;
      reconnects: number;
      turns: number;
      /** One source's end, in a run with several; the run's own termination (the last event) has none. */
      source?: string;
      time: Date;
    }
  | { type: 'error'; code: string; exitCode: number; message: string; time: Date }
  | { type: 'reconnecting'; phase: 'connect' | 'reconnect'; attempt: number; maxAttempts: number; delayMs: number; reason: string; time: Date }
  | { type: 'reconnected'; sessionId: string; why: 'reconnect' | 'rollover'; offsetMs: number; replayedMs: number; lostMs: number; time: Date }
  /**
   * Issue 22: audio past the replay bound: kept on disk (`spooling`), being transcribed through the pre-recorded
   * API (`recovering`), its turns written (`recovered`), or not transcribed (`lost`, the file kept, with why).
   */
  | {
      type: 'gap';
      phase: 'spooling' | 'recovering' | 'recovered' | 'lost';
      startMs: number;
      durationMs: number;
      file: string;
      turns?: number;
      reason?: string;
      source?: string;
      time: Date;
    };
