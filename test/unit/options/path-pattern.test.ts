import { describe, expect, it } from 'vitest';
import { expandPathPattern, expandPlaceholders, hasPlaceholder } from '../../../src/options/path-pattern.js';
import { UsageError } from '../../../src/core/errors.js';

// Local time: 6 December 2026, 14:30:09.
const NOW = new Date(2026, 11, 6, 14, 30, 9);
const none = (): boolean => false;

describe('expandPlaceholders (issue 24.2)', () => {
  it('{date} {time} {datetime} in local time, zero-padded', () => {
    expect(expandPlaceholders('meeting-{date}-{time}.srt', NOW, 'output')).toBe('meeting-2026-12-06-1430.srt');
    expect(expandPlaceholders('notes/{datetime}.txt', NOW, 'output')).toBe('notes/2026-12-06-1430.txt');
    expect(expandPlaceholders('{time}', new Date(2026, 0, 2, 3, 4), 'output')).toBe('0304');
    expect(expandPlaceholders('{date}', new Date(2026, 0, 2, 3, 4), 'output')).toBe('2026-01-02');
  });

  it('an unknown placeholder: a UsageError naming the option and the known ones', () => {
    expect(() => expandPlaceholders('x-{day}.txt', NOW, 'output')).toThrow(UsageError);
    expect(() => expandPlaceholders('x-{day}.txt', NOW, 'save-audio')).toThrow(/--save-audio x-\{day\}\.txt: unknown placeholder \{day\}/);
    let err: unknown;
    try {
      expandPlaceholders('x-{}.txt', NOW, 'output');
    } catch (e) {
      err = e;
    }
    expect((err as UsageError).hint).toBe('the placeholders are {date}, {time}, {datetime} (local time)');
  });

  it('hasPlaceholder', () => {
    expect(hasPlaceholder('a-{date}.txt')).toBe(true);
    expect(hasPlaceholder('a.txt')).toBe(false);
  });
});

describe('expandPathPattern', () => {
  it('a free name is used as it is', () => {
    expect(expandPathPattern('m-{date}-{time}.srt', NOW, 'output', none)).toBe('m-2026-12-06-1430.srt');
  });

  it('a name taken within the same minute gets a counter before the extension, never overwriting', () => {
    const taken = new Set(['m-2026-12-06-1430.srt', 'm-2026-12-06-1430-2.srt']);
    expect(expandPathPattern('m-{date}-{time}.srt', NOW, 'output', (p) => taken.has(p))).toBe('m-2026-12-06-1430-3.srt');
    const noExt = new Set(['dir.v1/rec-2026-12-06']);
    expect(expandPathPattern('dir.v1/rec-{date}', NOW, 'save-audio', (p) => noExt.has(p))).toBe('dir.v1/rec-2026-12-06-2');
  });

  it('a name without placeholders is left alone, taken or not (the run refuses or appends as asked)', () => {
    expect(expandPathPattern('meeting.srt', NOW, 'output', () => true)).toBe('meeting.srt');
  });
});
