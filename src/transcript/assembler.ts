/**
 * From the service's turns to the run's transcript: one turn state per session (turn_order restarts with each
 * session), every final placed on the timeline of the whole run and numbered across sessions, an unformatted
 * final held a bounded time for its formatted twin (docs/service.md#turns), partials reported only when they change.
 * It emits events and knows nothing of sockets, sinks or the terminal.
 */
import type { SpeakerRevisionItem, TurnMessage, Word } from '../streaming/protocol.js';
import type { TranscriptEvent, TurnRecord, WordRecord } from './records.js';
import { createSpeakerTracker, type SpeakerTracker } from './speakers.js';
import { applyTurn, flushPending, initialTranscript, type FinalTurn, type TranscriptState } from './turns.js';

/** Waits for the unformatted final's formatted twin this long before committing it as is (docs/service.md#turns). */
export const FORMATTED_TWIN_WAIT_MS = 1500;

export interface AssemblerOptions {
  emit: (event: TranscriptEvent) => void;
  /** Whether an unformatted final has a formatted twin coming (known once the session parameters are). */
  expectTwin: () => boolean;
  /** Audio sent so far (ms) by `source` (undefined with one source): where a final with no words ends. */
  audioSentMs: (source?: string) => number;
  /** Called once, after the first final, when one final is all that is wanted (`--once`); later ones are dropped. */
  onFirstFinal?: () => void;
  twinWaitMs?: number;
}

export interface Assembler {
  /**
   * A Turn message of session `sessionId`, whose audio starts `offsetMs` into the run; `source` labels its
   * turns and partials in a run with several sources (each source keeps its own partial).
   */
  turn(sessionId: string, offsetMs: number, turn: TurnMessage, source?: string): void;
  /**
   * A session began: the sessions of a source are numbered in this order for their speakers' labels (A, then
   * A2...). Each source counts its own sessions: its first session's speakers are A, B whatever the others do.
   */
  beginSession(sessionId: string, source?: string): void;
  /** A SpeakerRevision of the session: a `speaker_revision` event for the emitted turns it changes. */
  reviseSpeakers(sessionId: string, revisions: readonly SpeakerRevisionItem[]): void;
  /** The session is over: commit what it holds and forget it. */
  endSession(sessionId: string): void;
  /** Commit everything held, in every session (the run is ending). */
  flush(): void;
  /** Cancel the twin timers. */
  close(): void;
  /** Finals committed so far. */
  readonly finals: number;
  /** Issue 22: `n` turn indexes for turns made elsewhere (a recovered gap); returns the first. */
  reserveIndexes(n: number): number;
  /** End of the last word heard, on the run's timeline (for `--until-silence`). */
  readonly speechEndMs: number | undefined;
}

interface SessionTranscript {
  state: TranscriptState;
  offsetMs: number;
  source: string | undefined;
  twinTimer?: NodeJS.Timeout;
}

export function createAssembler(o: AssemblerOptions): Assembler {
  const twinWaitMs = o.twinWaitMs ?? FORMATTED_TWIN_WAIT_MS;
  const sessions = new Map<string, SessionTranscript>();
  let finals = 0;
  let accepting = true;
  let lastEndMs = 0;
  /** The partial last reported, per source ('' for a run with one). */
  const lastPartial = new Map<string, string>();
  let speechEndMs: number | undefined;

  const speakers = createSourceSpeakers();

  const commit = (sessionId: string, t: Pick<SessionTranscript, 'offsetMs' | 'source'>, turns: FinalTurn[]): void => {
    const tracker = speakers.of(sessionId);
    for (const f of turns) {
      if (!accepting) return;
      const record = turnRecord(f, { index: finals, sessionId, ...t, lastEndMs, audioSentMs: o.audioSentMs, speakers: tracker });
      finals += 1;
      lastEndMs = record.endMs;
      lastPartial.set(t.source ?? '', '');
      o.emit({ type: 'turn', turn: record });
      if (o.onFirstFinal !== undefined) {
        accepting = false;
        o.onFirstFinal();
      }
    }
  };

  const flushSession = (sessionId: string): void => {
    const t = sessions.get(sessionId);
    if (t === undefined) return;
    clearTimeout(t.twinTimer);
    const update = flushPending(t.state);
    t.state = update.state;
    commit(sessionId, t, update.commits);
  };

  return {
    turn(sessionId, offsetMs, turn, source) {
      const lastWord = turn.words[turn.words.length - 1];
      if (lastWord !== undefined) speechEndMs = Math.max(speechEndMs ?? 0, offsetMs + lastWord.endMs);
      let t = sessions.get(sessionId);
      speakers.note(sessionId, source);
      if (t === undefined) {
        t = { state: initialTranscript, offsetMs, source };
        sessions.set(sessionId, t);
      }
      const update = applyTurn(t.state, turn, o.expectTwin());
      t.state = update.state;
      commit(sessionId, { offsetMs, source }, update.commits);
      clearTimeout(t.twinTimer);
      if (t.state.pending !== undefined) t.twinTimer = setTimeout(() => flushSession(sessionId), twinWaitMs);
      const key = source ?? '';
      if (accepting && t.state.partial !== (lastPartial.get(key) ?? '')) {
        lastPartial.set(key, t.state.partial);
        o.emit({
          type: 'partial',
          sessionId,
          turnOrder: turn.turnOrder,
          text: t.state.partial,
          ...(source === undefined ? {} : { source }),
          time: new Date(),
        });
      }
    },
    beginSession(sessionId, source) {
      speakers.begin(sessionId, source);
    },
    reviseSpeakers(sessionId, revisions) {
      // A revision of a final still held for its formatted twin would be lost: commit it first.
      flushSession(sessionId);
      const revised = speakers.of(sessionId).revise(sessionId, revisions);
      if (revised !== undefined) o.emit({ ...revised, time: new Date() });
    },
    endSession(sessionId) {
      flushSession(sessionId);
      sessions.delete(sessionId);
      speakers.end(sessionId);
    },
    flush() {
      for (const id of [...sessions.keys()]) flushSession(id);
    },
    close() {
      for (const t of sessions.values()) clearTimeout(t.twinTimer);
    },
    reserveIndexes(n) {
      const first = finals;
      finals += n;
      return first;
    },
    get finals() {
      return finals;
    },
    get speechEndMs() {
      return speechEndMs;
    },
  };
}

/** A word on the run's timeline, with its run-wide speaker. */
function wordRecord(w: Word, offsetMs: number, sessionId: string, speakers: SpeakerTracker): WordRecord {
  const record: WordRecord = { text: w.text, startMs: offsetMs + w.startMs, endMs: offsetMs + w.endMs, confidence: w.confidence };
  const speaker = speakers.label(sessionId, w.speaker);
  if (speaker !== undefined) record.speaker = speaker;
  if (w.speakerConfidence !== undefined) record.speakerConfidence = w.speakerConfidence;
  return record;
}

/** A committed final as a record on the run's timeline: each session's own times start at its first frame. */
function turnRecord(
  f: FinalTurn,
  c: {
    index: number;
    sessionId: string;
    offsetMs: number;
    source: string | undefined;
    lastEndMs: number;
    audioSentMs: (source?: string) => number;
    speakers: SpeakerTracker;
  },
): TurnRecord {
  const words = f.words.map((w) => wordRecord(w, c.offsetMs, c.sessionId, c.speakers));
  const startMs = words[0]?.startMs ?? c.lastEndMs;
  const endMs = words[words.length - 1]?.endMs ?? Math.max(startMs, c.audioSentMs(c.source));
  const record: TurnRecord = {
    index: c.index,
    sessionId: c.sessionId,
    turnOrder: f.turnOrder,
    text: f.text,
    startMs,
    endMs,
    words,
    endOfTurnConfidence: f.endOfTurnConfidence,
    time: new Date(),
  };
  if (f.languageCode !== undefined) record.languageCode = f.languageCode;
  if (c.source !== undefined) record.source = c.source;
  if (f.languageConfidence !== undefined) record.languageConfidence = f.languageConfidence;
  const speaker = c.speakers.label(c.sessionId, f.speakerLabel);
  if (speaker !== undefined) record.speaker = speaker;
  // Only a labelled turn can be revised later: without --speaker-labels nothing is kept per turn.
  if (speaker !== undefined) c.speakers.recordTurn(c.sessionId, f.turnOrder, c.index, speaker);
  return record;
}

/**
 * One speaker tracker per source ('' with one source), and which source each session belongs to: each
 * source counts its own sessions, so the first session of every source has A, B (issues 12 and 13).
 */
function createSourceSpeakers(): {
  of(sessionId: string): SpeakerTracker;
  note(sessionId: string, source: string | undefined): void;
  begin(sessionId: string, source: string | undefined): void;
  end(sessionId: string): void;
} {
  const trackers = new Map<string, SpeakerTracker>();
  const sourceOf = new Map<string, string>();
  const of = (sessionId: string): SpeakerTracker => {
    const key = sourceOf.get(sessionId) ?? '';
    const tracker = trackers.get(key) ?? createSpeakerTracker();
    trackers.set(key, tracker);
    return tracker;
  };
  return {
    of,
    note(sessionId, source) {
      if (!sourceOf.has(sessionId)) sourceOf.set(sessionId, source ?? '');
    },
    begin(sessionId, source) {
      sourceOf.set(sessionId, source ?? '');
      of(sessionId).beginSession(sessionId);
    },
    end(sessionId) {
      of(sessionId).endSession(sessionId);
      sourceOf.delete(sessionId);
    },
  };
}
