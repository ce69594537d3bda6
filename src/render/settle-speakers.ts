/**
 * For a transcript file in text, SRT or VTT (issue 24.9): a turn whose speaker is still pending is held, with
 * everything after it, until a `speaker_revision` settles it or the run ends, so the file carries the settled
 * labels instead of `?`. JSON files keep every event as it came (they carry the revisions). Pure.
 */
import { PENDING_SPEAKER } from '../transcript/speakers.js';
import type { TranscriptEvent } from '../transcript/records.js';

export interface SpeakerSettler {
  /** Passes the event on now, or holds it (and what follows) while a turn before it waits for its speaker. */
  push(event: TranscriptEvent): void;
  /** Passes on everything held (the run ends: a speaker still pending shows as pending). */
  flush(): void;
}

const pending = (event: TranscriptEvent): boolean => event.type === 'turn' && event.turn.speaker === PENDING_SPEAKER;

export function createSpeakerSettler(emit: (event: TranscriptEvent) => void): SpeakerSettler {
  let held: TranscriptEvent[] = [];
  const release = (): void => {
    while (held.length > 0 && !pending(held[0]!)) emit(held.shift()!);
  };
  return {
    push(event) {
      if (event.type === 'speaker_revision') {
        const settled = new Map(event.turns.map((t) => [t.index, t.speaker]));
        held = held.map((e) =>
          e.type === 'turn' && settled.has(e.turn.index) ? { ...e, turn: { ...e.turn, speaker: settled.get(e.turn.index)! } } : e,
        );
        release();
        return;
      }
      if (held.length > 0 || pending(event)) {
        held.push(event);
        release();
        return;
      }
      emit(event);
    },
    flush() {
      for (const e of held.splice(0)) emit(e);
    },
  };
}
