/**
 * A pre-recorded transcript -> the run's turn records (transcript/records.ts), so every output format is
 * written by the same code as a live run. With speakers: one turn per utterance. Without: a turn ends at a
 * sentence's end or at a pause. `offsetMs` places the words on a longer timeline (a recovered gap). Pure.
 */
import type { TurnRecord, WordRecord } from '../transcript/records.js';
import type { PrerecordedWord, Transcript } from './prerecorded.js';

/** CHOICE: a pause this long between two words starts a new turn (the streaming default ends turns sooner). */
export const TURN_PAUSE_MS = 1000;
const SENTENCE_END = /[.!?]["')\]]*$/;

export interface TurnContext {
  sessionId: string;
  /** Index of the first turn made (turn indexes count every turn of the run). */
  firstIndex: number;
  offsetMs: number;
  time: Date;
  source?: string;
  /** The language was detected (not given): each turn carries it, like a streaming turn with detection. */
  languages?: boolean;
}

function wordRecord(w: PrerecordedWord, offsetMs: number): WordRecord {
  return {
    text: w.text,
    startMs: w.start + offsetMs,
    endMs: w.end + offsetMs,
    confidence: w.confidence,
    ...(w.speaker === null ? {} : { speaker: w.speaker }),
  };
}

/** Words grouped into turns: at a sentence end, at a pause of TURN_PAUSE_MS, or where the speaker changes. */
export function groupWords(words: readonly PrerecordedWord[]): PrerecordedWord[][] {
  const groups: PrerecordedWord[][] = [];
  let current: PrerecordedWord[] = [];
  for (const w of words) {
    const prev = current[current.length - 1];
    if (prev !== undefined && (w.start - prev.end >= TURN_PAUSE_MS || SENTENCE_END.test(prev.text) || w.speaker !== prev.speaker)) {
      groups.push(current);
      current = [];
    }
    current.push(w);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

export function transcriptTurns(t: Transcript, ctx: TurnContext): TurnRecord[] {
  const groups = t.utterances !== null && t.utterances.length > 0 ? t.utterances.map((u) => u.words) : groupWords(t.words);
  const turns: TurnRecord[] = [];
  for (const words of groups) {
    const first = words[0];
    const last = words[words.length - 1];
    if (first === undefined || last === undefined) continue;
    const speaker = first.speaker ?? undefined;
    turns.push({
      index: ctx.firstIndex + turns.length,
      sessionId: ctx.sessionId,
      turnOrder: turns.length,
      text: words.map((w) => w.text).join(' '),
      startMs: first.start + ctx.offsetMs,
      endMs: last.end + ctx.offsetMs,
      words: words.map((w) => wordRecord(w, ctx.offsetMs)),
      endOfTurnConfidence: 1,
      ...(t.languageCode === null || ctx.languages !== true ? {} : { languageCode: t.languageCode }),
      ...(ctx.source === undefined ? {} : { source: ctx.source }),
      ...(speaker === undefined ? {} : { speaker }),
      time: ctx.time,
    });
  }
  return turns;
}
