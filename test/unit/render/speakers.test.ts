import { describe, expect, it } from 'vitest';
import { formatJsonEvent } from '../../../src/render/formats.js';
import {
  formatSpeakerPrefix,
  formatSrtSpeakerText,
  formatVttSpeakerText,
  jsonTurnSpeaker,
  jsonWordSpeaker,
  SPEAKER_PALETTE,
  speakerColourIndex,
  type SpeakerTheme,
} from '../../../src/render/speakers.js';

const theme = Object.fromEntries([...SPEAKER_PALETTE, 'dim'].map((c) => [c, (s: string): string => `<${c}>${s}</${c}>`])) as SpeakerTheme;

describe('speakers in text', () => {
  it.each([
    [undefined, ''],
    ['A', 'A: '],
    ['B2', 'B2: '],
    ['PENDING', '?: '],
  ])('%j -> %j', (speaker, prefix) => {
    expect(formatSpeakerPrefix(speaker)).toBe(prefix);
  });

  it('colours the label, each speaker its own, pending dim', () => {
    expect(formatSpeakerPrefix('A', theme)).toBe('<cyan>A</cyan>: ');
    expect(formatSpeakerPrefix('B', theme)).toBe('<magenta>B</magenta>: ');
    expect(formatSpeakerPrefix('PENDING', theme)).toBe('<dim>?</dim>: ');
  });

  it('gives A-F distinct colours and every label the same colour on every call', () => {
    expect(new Set(['A', 'B', 'C', 'D', 'E', 'F'].map((s) => speakerColourIndex(s))).size).toBe(6);
    expect(speakerColourIndex('G')).toBe(speakerColourIndex('A'));
    for (const label of ['A2', 'B2', 'S1-2', 'J10']) {
      const i = speakerColourIndex(label);
      expect(i).toBe(speakerColourIndex(label));
      expect(i).toBeGreaterThanOrEqual(0);
      expect(i).toBeLessThan(SPEAKER_PALETTE.length);
    }
    expect(speakerColourIndex('A2', 4)).toBeLessThan(4);
  });
});

describe('speakers in captions', () => {
  it('SRT prefixes the cue text', () => {
    expect(formatSrtSpeakerText('Hello.', 'A')).toBe('A: Hello.');
    expect(formatSrtSpeakerText('Hello.', 'PENDING')).toBe('?: Hello.');
    expect(formatSrtSpeakerText('Hello.', undefined)).toBe('Hello.');
  });

  it('VTT uses a voice span, and escapes the text', () => {
    expect(formatVttSpeakerText('a <b> & c --> d', 'A2')).toBe('<v Speaker A2>a &lt;b&gt; &amp; c --&gt; d</v>');
    expect(formatVttSpeakerText('Hi.', 'PENDING')).toBe('<v Speaker ?>Hi.</v>');
    expect(formatVttSpeakerText('x < y', undefined)).toBe('x &lt; y');
  });
});

describe('speakers in JSON', () => {
  it('puts speaker on the turn and speaker, speaker_confidence on the word, only when present', () => {
    expect(jsonTurnSpeaker({ speaker: 'A' })).toEqual({ speaker: 'A' });
    expect(jsonTurnSpeaker({})).toEqual({});
    expect(jsonWordSpeaker({ speaker: 'B2', speakerConfidence: 0.82 })).toEqual({ speaker: 'B2', speaker_confidence: 0.82 });
    expect(jsonWordSpeaker({ speaker: 'PENDING' })).toEqual({ speaker: 'PENDING' });
    expect(jsonWordSpeaker({})).toEqual({});
  });

  it('writes the speaker_revision event', () => {
    const time = new Date('2026-12-01T10:00:00.000Z');
    expect(formatJsonEvent({ type: 'speaker_revision', turns: [{ index: 3, speaker: 'B2' }], time })).toBe(
      '{"type":"speaker_revision","v":1,"turns":[{"index":3,"speaker":"B2"}],"time":"2026-12-01T10:00:00.000Z"}\n',
    );
  });
});
