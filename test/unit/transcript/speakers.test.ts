import { describe, expect, it } from 'vitest';
import { createSpeakerTracker, PENDING_SPEAKER, runSpeakerLabel } from '../../../src/transcript/speakers.js';

describe('runSpeakerLabel', () => {
  it.each([
    ['A', 1, 'A'],
    ['B', 1, 'B'],
    ['A', 2, 'A2'],
    ['J', 3, 'J3'],
    ['PENDING', 1, 'PENDING'],
    ['PENDING', 4, 'PENDING'],
    ['UNKNOWN', 2, 'PENDING'],
    ['S1', 2, 'S1-2'],
    [' B ', 2, 'B2'],
    ['', 1, undefined],
    ['A\u001b[2J', 1, undefined],
    ['<v x>', 1, undefined],
    ['X'.repeat(17), 1, undefined],
  ] as const)('%j in session %i -> %j', (label, session, shown) => {
    expect(runSpeakerLabel(label, session)).toBe(shown);
  });
});

describe('the speaker tracker', () => {
  it("keeps the first session's labels and numbers those of later sessions, in the order they begin", () => {
    const t = createSpeakerTracker();
    expect(t.beginSession('s1')).toBe(1);
    expect(t.label('s1', 'A')).toBe('A');
    expect(t.beginSession('s2')).toBe(2);
    expect(t.beginSession('s1')).toBe(1);
    expect(t.label('s2', 'A')).toBe('A2');
    expect(t.label('s2', 'PENDING')).toBe(PENDING_SPEAKER);
    expect(t.label('s2', undefined)).toBeUndefined();
    expect(t.label('s3', 'B')).toBe('B3');
  });

  it('turns a SpeakerRevision into the changed emitted turns, by run-wide index', () => {
    const t = createSpeakerTracker();
    t.beginSession('s1');
    t.recordTurn('s1', 0, 0, 'A');
    t.recordTurn('s1', 1, 1, 'PENDING');
    t.beginSession('s2');
    t.recordTurn('s2', 0, 2, 'A2');
    t.recordTurn('s2', 1, 3, 'PENDING');
    t.recordTurn('s2', 2, 4, 'B2');
    expect(
      t.revise('s2', [
        { turnOrder: 2, speaker: 'A' },
        { turnOrder: 1, speaker: 'B' },
        { turnOrder: 0, speaker: 'A' },
        { turnOrder: 9, speaker: 'A' },
      ]),
    ).toEqual({
      type: 'speaker_revision',
      turns: [
        { index: 3, speaker: 'B2' },
        { index: 4, speaker: 'A2' },
      ],
    });
    expect(t.revise('s1', [{ turnOrder: 1, speaker: 'B' }])).toEqual({ type: 'speaker_revision', turns: [{ index: 1, speaker: 'B' }] });
  });

  it('remembers a revision, so the same one again changes nothing', () => {
    const t = createSpeakerTracker();
    t.recordTurn('s1', 0, 0, 'PENDING');
    expect(t.revise('s1', [{ turnOrder: 0, speaker: 'B' }])).toEqual({ type: 'speaker_revision', turns: [{ index: 0, speaker: 'B' }] });
    expect(t.revise('s1', [{ turnOrder: 0, speaker: 'B' }])).toBeUndefined();
    expect(t.revise('s1', [{ turnOrder: 0, speaker: '' }])).toBeUndefined();
  });

  it("forgets an ended session's turns", () => {
    const t = createSpeakerTracker();
    t.recordTurn('s1', 0, 0, 'A');
    t.endSession('s1');
    expect(t.revise('s1', [{ turnOrder: 0, speaker: 'B' }])).toBeUndefined();
    expect(t.label('s1', 'A')).toBe('A');
  });
});
