import { describe, expect, it } from 'vitest';
import { formatGivenTwice } from '../../../src/render/repeat-messages.js';
import { formatOutputIsFolder, formatSaveAudioNotWav, formatUnknownOutputExtension, isFolderName } from '../../../src/render/usage-messages.js';

describe('issue 24.8 sentences', () => {
  it('a flag given twice says both values and what to do', () => {
    expect(formatGivenTwice('--format', 'srt', 'json')).toBe(
      '--format was given twice (srt, then json): give it once\n  standard output has one format; to also get json, add -o FILE with its extension (e.g. -o transcript.jsonl)',
    );
  });
  it('folders are named as folders', () => {
    expect(['.', '..', 'out/', 'a/..', 'C:\\x\\'].map(isFolderName)).toEqual([true, true, true, true, true]);
    expect(['a.txt', '.hidden.txt', 'x..txt'].map(isFolderName)).toEqual([false, false, false]);
    expect(formatUnknownOutputExtension('.')).toEqual(formatOutputIsFolder('.'));
  });
  it('--save-audio suggests the .wav name', () => {
    expect(formatSaveAudioNotWav('talk.mp3')).toEqual({
      message: '--save-audio writes WAV only, and talk.mp3 is not a .wav name',
      hint: 'name it talk.wav (convert it afterwards, e.g. sox talk.wav out.mp3)',
    });
  });
});
