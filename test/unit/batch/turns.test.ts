import { describe, expect, it } from 'vitest';
import { groupWords, transcriptTurns, TURN_PAUSE_MS } from '../../../src/batch/turns.js';
import type { PrerecordedWord, Transcript } from '../../../src/batch/prerecorded.js';

const w = (text: string, start: number, end: number, speaker: string | null = null): PrerecordedWord => ({
  text,
  start,
  end,
  confidence: 0.9,
  speaker,
});
const base: Transcript = {
  id: 't1',
  status: 'completed',
  text: null,
  words: [],
  utterances: null,
  audioDurationS: 3,
  languageCode: 'en_us',
  error: null,
};
const time = new Date(0);

describe('batch turns', () => {
  it('a turn ends at a sentence end, at a long pause, and where the speaker changes', () => {
    const words = [w('Hello', 0, 100), w('there.', 100, 200), w('How', 300, 400), w('are', 400 + TURN_PAUSE_MS, 1500), w('you', 1500, 1600, 'B')];
    expect(groupWords(words).map((g) => g.map((x) => x.text).join(' '))).toEqual(['Hello there.', 'How', 'are', 'you']);
  });

  it('places words at the offset, numbers turns from firstIndex, and uses utterances when there are speakers', () => {
    const u = [w('Hi', 0, 100, 'A'), w('all', 100, 200, 'A')];
    const t: Transcript = { ...base, words: u, utterances: [{ speaker: 'A', text: 'Hi all', start: 0, end: 200, confidence: 0.9, words: u }] };
    const [turn] = transcriptTurns(t, { sessionId: 's', firstIndex: 7, offsetMs: 60_000, time });
    expect(turn).toMatchObject({ index: 7, text: 'Hi all', startMs: 60_000, endMs: 60_200, speaker: 'A' });
    expect(turn!.words[1]).toMatchObject({ startMs: 60_100, endMs: 60_200, speaker: 'A' });
    expect(turn).not.toHaveProperty('languageCode');
    expect(transcriptTurns(t, { sessionId: 's', firstIndex: 0, offsetMs: 0, time, languages: true })[0]).toMatchObject({ languageCode: 'en_us' });
  });
});
