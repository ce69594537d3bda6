/**
 * Turn state keyed by turn_order (pure). Decides what is a partial to show and what is a final to commit,
 * exactly once per turn, under both format_turns behaviours of docs/service.md#turns:
 * - classic: an unformatted final, then a formatted final with the same turn_order;
 * - inline: one final, already formatted.
 * With `expectFormattedTwin`, an unformatted final is held until its formatted twin arrives, the next turn
 * starts, or the caller flushes it (timeout or end of session), so nothing is lost and nothing doubled.
 */
import type { TurnMessage, Word } from '../streaming/protocol.js';

export interface FinalTurn {
  turnOrder: number;
  text: string;
  formatted: boolean;
  words: Word[];
  endOfTurnConfidence: number;
  languageCode?: string;
  languageConfidence?: number;
  /** The service's speaker label, as sent (the run-wide label is the assembler's). */
  speakerLabel?: string;
}

export interface TranscriptState {
  /**
   * Highest turn_order committed in this session (-1: none). Turns finish in order, so any message at or
   * below it is a late duplicate and is ignored; one number keeps memory flat over hours of turns.
   */
  readonly committedThrough: number;
  /** An unformatted final waiting for its formatted twin. */
  readonly pending: FinalTurn | undefined;
  /** Text of the live partial (or the held final), '' when nothing is in progress. */
  readonly partial: string;
}

export interface TurnUpdate {
  state: TranscriptState;
  /** Finals to write now, in order. */
  commits: FinalTurn[];
}

export const initialTranscript: TranscriptState = { committedThrough: -1, pending: undefined, partial: '' };

/** Display text of a turn: all its words, the last possibly non-final; `transcript` lags by that word (docs/service.md#turns). */
export function turnText(turn: TurnMessage): string {
  const fromWords = turn.words.map((w) => w.text).join(' ');
  return (fromWords.length >= turn.transcript.length ? fromWords : turn.transcript).trim();
}

export function applyTurn(state: TranscriptState, turn: TurnMessage, expectFormattedTwin: boolean): TurnUpdate {
  if (turn.turnOrder <= state.committedThrough) return { state, commits: [] };
  const commits: FinalTurn[] = [];
  let committed = state.committedThrough;
  let pending = state.pending;

  // A message for another turn means the held final's twin is not coming: commit it now.
  if (pending !== undefined && pending.turnOrder !== turn.turnOrder) {
    commits.push(pending);
    committed = pending.turnOrder;
    pending = undefined;
  }

  if (!turn.endOfTurn) {
    const partial = pending === undefined ? turnText(turn) : state.partial;
    return { state: { committedThrough: committed, pending, partial }, commits };
  }
  // A final's transcript is authoritative (all its words are final).
  const text = turn.transcript.trim() === '' ? turnText(turn) : turn.transcript.trim();
  if (text === '') {
    // The empty final sent on Terminate (docs/service.md#turns): nothing to write.
    return { state: { committedThrough: committed, pending, partial: pending?.text ?? '' }, commits };
  }
  const final = toFinal(turn, text);
  if (turn.formatted || !expectFormattedTwin) {
    commits.push(final);
    return { state: { committedThrough: turn.turnOrder, pending: undefined, partial: '' }, commits };
  }
  return { state: { committedThrough: committed, pending: final, partial: final.text }, commits };
}

/** Commits a held final (its twin did not come in time, or the session is ending). */
export function flushPending(state: TranscriptState): TurnUpdate {
  if (state.pending === undefined) return { state, commits: [] };
  return {
    state: { committedThrough: state.pending.turnOrder, pending: undefined, partial: '' },
    commits: [state.pending],
  };
}

function toFinal(turn: TurnMessage, text: string): FinalTurn {
  const final: FinalTurn = {
    turnOrder: turn.turnOrder,
    text,
    formatted: turn.formatted,
    words: turn.words,
    endOfTurnConfidence: turn.endOfTurnConfidence,
  };
  if (turn.languageCode !== undefined) final.languageCode = turn.languageCode;
  if (turn.languageConfidence !== undefined) final.languageConfidence = turn.languageConfidence;
  if (turn.speakerLabel !== undefined) final.speakerLabel = turn.speakerLabel;
  return final;
}
