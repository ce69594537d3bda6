import { describe, expect, it } from 'vitest';
import { formatNoteLine, transcriptLines, voiceOf } from '../../../src/notes/transcript-text.js';

describe('the transcript as the model reads it', () => {
  it('labels each line with its time, its source and its speaker', () => {
    expect(formatNoteLine({ text: 'Hello.', startMs: 65_400, source: 'You' })).toBe('[00:01:05] You: Hello.');
    expect(formatNoteLine({ text: 'Hi.', startMs: 69_000, source: 'Others', speaker: 'B' })).toBe('[00:01:09] Others B: Hi.');
    expect(formatNoteLine({ text: 'Yes.', startMs: 3_723_000, speaker: 'A' })).toBe('[01:02:03] Speaker A: Yes.');
    expect(formatNoteLine({ text: 'No time.' })).toBe('No time.');
  });
  it('leaves out a speaker not known yet, control characters and line breaks', () => {
    expect(voiceOf({ speaker: 'PENDING' })).toBe('');
    expect(formatNoteLine({ text: 'a\nb\u001b[2Jc', startMs: 0, speaker: 'PENDING' })).toBe('[00:00:00] a b[2Jc');
  });
  it('skips empty turns', () => {
    expect(transcriptLines([{ text: ' ' }, { text: 'x', startMs: 1000 }])).toEqual(['[00:00:01] x']);
  });
});
