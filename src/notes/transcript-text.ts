/**
 * The transcript as the model reads it (pure): one line a turn, its start time, who spoke (the source of a
 * meeting, the speaker label) and the text: `[00:01:05] You: …`, `[00:01:09] Others B: …`, `[00:01:12] Speaker A: …`.
 */
import { formatClock } from '../render/formats.js';
import { sanitize } from '../core/text.js';

/** One turn, from a run or read back from a file; times are ms from the start of the audio. */
export interface NoteTurn {
  text: string;
  startMs?: number;
  source?: string;
  speaker?: string;
}

/** `Others B`, `You`, `Speaker A`, or '' when nobody is named. */
export function voiceOf(turn: Pick<NoteTurn, 'source' | 'speaker'>): string {
  const speaker = turn.speaker === undefined || turn.speaker === '' || turn.speaker === 'PENDING' ? undefined : turn.speaker;
  if (turn.source !== undefined && turn.source !== '') return speaker === undefined ? turn.source : `${turn.source} ${speaker}`;
  return speaker === undefined ? '' : `Speaker ${speaker}`;
}

export function formatNoteLine(turn: NoteTurn): string {
  const time = turn.startMs === undefined ? '' : `[${formatClock(turn.startMs)}] `;
  const voice = voiceOf(turn);
  return `${time}${voice === '' ? '' : `${sanitize(voice).trim()}: `}${sanitize(turn.text).replace(/\s+/g, ' ').trim()}`;
}

/** Every turn with text, one line each. */
export function transcriptLines(turns: readonly NoteTurn[]): string[] {
  return turns.filter((t) => t.text.trim() !== '').map(formatNoteLine);
}
