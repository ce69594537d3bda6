import { describe, expect, it } from 'vitest';
import {
  formatClock,
  formatDbfs,
  formatStatusLine,
  litCells,
  shortLabel,
  shortSessionId,
  type StatusLineInput,
} from '../../../src/render/status-line.js';
import { displayWidth } from '../../../src/core/text.js';
import { VirtualTerminal } from '../../support/vterm.js';

const ID = '9f3c1a2b-7d4e-4c1a-9b2f-0e1d2c3b4a59';
const base: StatusLineInput = { levelDbfs: -23, sessionMs: (12 * 60 + 31) * 1000 + 400, sessionId: ID, state: 'listening', columns: 80 };
const line = (o: Partial<StatusLineInput> = {}): string => formatStatusLine({ ...base, ...o });

describe('formatStatusLine', () => {
  it('shows state, session time, short id and the level meter', () => {
    expect(line()).toBe('● 00:12:31 · 9f3c1a · ▁▂▃▄▅··· -23 dBFS');
  });

  it.each([
    [{ state: 'connecting', sessionId: undefined, sessionMs: 1500 }, '○ connecting · 00:00:01 · ▁▂▃▄▅··· -23 dBFS'],
    [{ state: 'paused' }, '‖ paused · 00:12:31 · 9f3c1a · ▁▂▃▄▅··· -23 dBFS'],
    [{ state: 'reconnecting', reconnectAttempt: 2 }, '↻ reconnecting 2 · 00:12:31 · 9f3c1a · ▁▂▃▄▅··· -23 dBFS'],
    [{ state: 'reconnecting' }, '↻ reconnecting · 00:12:31 · 9f3c1a · ▁▂▃▄▅··· -23 dBFS'],
    [{ state: 'stopping' }, '■ stopping · 00:12:31 · 9f3c1a · ▁▂▃▄▅··· -23 dBFS'],
    [{ note: 'no sound' }, '● 00:12:31 · 9f3c1a · ▁▂▃▄▅··· -23 dBFS · no sound'],
  ] as [Partial<StatusLineInput>, string][])('state %o', (o, expected) => {
    expect(line(o)).toBe(expected);
  });

  it('lights the meter from -60 dBFS (nothing) to 0 dBFS (all), with a fixed-width number', () => {
    expect(line({ levelDbfs: -Infinity })).toBe('● 00:12:31 · 9f3c1a · ········ -inf dBFS');
    expect(line({ levelDbfs: -96 })).toBe('● 00:12:31 · 9f3c1a · ········ -96 dBFS');
    expect(line({ levelDbfs: -60 })).toBe('● 00:12:31 · 9f3c1a · ▁······· -60 dBFS');
    expect(line({ levelDbfs: -9 })).toBe('● 00:12:31 · 9f3c1a · ▁▂▃▄▅▆▇·  -9 dBFS');
    expect(line({ levelDbfs: 0 })).toBe('● 00:12:31 · 9f3c1a · ▁▂▃▄▅▆▇█   0 dBFS');
    expect(line({ levelDbfs: Number.NaN })).toBe('● 00:12:31 · 9f3c1a · ········ -inf dBFS');
    expect(displayWidth(line({ levelDbfs: -96 }))).toBe(displayWidth(line({ levelDbfs: -6 })));
    expect(displayWidth(line({ levelDbfs: -Infinity }))).toBe(displayWidth(line({ levelDbfs: -6 })) + 1);
  });

  it('has an ASCII form for terminals without UTF-8', () => {
    expect(line({ unicode: false })).toBe('* 00:12:31 | 9f3c1a | [#####   ] -23 dBFS');
    expect(line({ unicode: false, state: 'paused', levelDbfs: -Infinity })).toBe('|| paused | 00:12:31 | 9f3c1a | [        ] -inf dBFS');
  });

  it('never reaches the last column: drops note, id, number, half the meter, meter, words, then cuts', () => {
    const full = line({ note: 'no sound', state: 'reconnecting', reconnectAttempt: 3 });
    expect(full).toBe('↻ reconnecting 3 · 00:12:31 · 9f3c1a · ▁▂▃▄▅··· -23 dBFS · no sound');
    const widths = new Map<number, string>();
    for (let columns = 0; columns <= 80; columns++) {
      const s = line({ note: 'no sound', state: 'reconnecting', reconnectAttempt: 3, columns });
      expect(displayWidth(s)).toBeLessThanOrEqual(Math.max(0, columns - 1));
      widths.set(columns, s);
    }
    expect(widths.get(68)).toBe(full);
    expect(widths.get(67)).toBe('↻ reconnecting 3 · 00:12:31 · 9f3c1a · ▁▂▃▄▅··· -23 dBFS');
    expect(widths.get(50)).toBe('↻ reconnecting 3 · 00:12:31 · ▁▂▃▄▅··· -23 dBFS');
    expect(widths.get(40)).toBe('↻ reconnecting 3 · 00:12:31 · ▁▂▃▄▅···');
    expect(widths.get(36)).toBe('↻ reconnecting 3 · 00:12:31 · ▁▃▅·');
    expect(widths.get(30)).toBe('↻ reconnecting 3 · 00:12:31');
    expect(widths.get(20)).toBe('↻ 00:12:31');
    expect(widths.get(10)).toBe('↻ 00:12:…');
    expect(widths.get(2)).toBe('…');
    expect(widths.get(1)).toBe('');
    expect(widths.get(0)).toBe('');
  });

  it('cleans what came from outside: the session id and the note', () => {
    expect(line({ sessionId: '\u001b[31mab-cd\u0007ef12' })).toContain(' · 31mabc · ');
    const s = line({ note: 'x\u001b[2J\ny' });
    expect(s).not.toMatch(/[\u0000-\u001f]/);
    expect(s.endsWith(' · x[2J y')).toBe(true);
  });

  it('colours through the theme, and the width is measured on the plain text', () => {
    const t = {
      green: (s: string) => `<g>${s}</g>`,
      yellow: (s: string) => `<y>${s}</y>`,
      red: (s: string) => `<r>${s}</r>`,
      dim: (s: string) => `<d>${s}</d>`,
    };
    expect(line({ theme: t, note: 'p: resume', state: 'paused' })).toBe(
      '<y>‖ paused</y><d> · </d>00:12:31<d> · </d>9f3c1a<d> · </d><g>▁▂▃▄▅</g><d>···</d> -23 dBFS<d> · </d><y>p: resume</y>',
    );
    expect(line({ theme: t, levelDbfs: -8 })).toContain('<y>▁▂▃▄▅▆▇</y>');
    expect(line({ theme: t, levelDbfs: -1 })).toContain('<r>▁▂▃▄▅▆▇█</r>');
    const narrow = line({ theme: t, columns: 30 });
    expect(narrow.replace(/<\/?[gyrd]>/g, '')).toBe(line({ columns: 30 }));
  });

  it('redrawn as the last row of the region, it replaces itself and never adds a row', () => {
    // The drawing recipe from the module's doc, in a virtual terminal: partial (2 rows) + status row.
    const term = new VirtualTerminal(40);
    term.write('a committed turn\n');
    let rows = 0;
    const frame = (partial: string, status: string): void => {
      const erase = rows === 0 ? '' : `\r${rows > 1 ? `\u001b[${rows - 1}A` : ''}\u001b[0J`;
      term.write(`\u001b[?2026h${erase}${partial}\r\n${status}\u001b[?2026l`);
      rows = Math.ceil(displayWidth(partial) / 40) + 1;
    };
    for (let i = 0; i < 30; i++) {
      frame(
        'the partial turn that wraps over two rows of forty',
        formatStatusLine({ ...base, sessionMs: i * 1000, levelDbfs: -80 + i * 2, columns: 40 }),
      );
    }
    expect(term.screen()).toEqual([
      'a committed turn',
      'the partial turn that wraps over two row',
      's of forty',
      '● 00:00:29 · 9f3c1a · ▁▂▃▄▅▆·· -22 dBFS',
    ]);
  });
});

describe('pieces', () => {
  it('formatClock', () => {
    expect(formatClock(0)).toBe('00:00:00');
    expect(formatClock(59_999)).toBe('00:00:59');
    expect(formatClock(3 * 3600_000 + 61_000)).toBe('03:01:01');
    expect(formatClock(-5)).toBe('00:00:00');
    expect(formatClock(Number.NaN)).toBe('00:00:00');
  });
  it('shortSessionId', () => {
    expect(shortSessionId(ID)).toBe('9f3c1a');
    expect(shortSessionId('ab')).toBe('ab');
  });
  it('formatDbfs and litCells', () => {
    expect(formatDbfs(-23.4)).toBe('-23');
    expect(formatDbfs(-6)).toBe(' -6');
    expect(formatDbfs(3)).toBe('  0');
    expect(formatDbfs(-99.4)).toBe('-99');
    expect(formatDbfs(-99.6)).toBe('-inf');
    expect(formatDbfs(Number.NaN)).toBe('-inf');
    expect([-Infinity, -61, -60, -52.6, -52.5, -7.6, -7.5, 0, 5].map((l) => litCells(l))).toEqual([0, 0, 1, 1, 2, 7, 8, 8, 8]);
    expect(litCells(-30, 4)).toBe(3);
  });
});

describe('a level per source (issue 13)', () => {
  it("shows each source's short label and meter, and drops the numbers first when space is short", () => {
    const levels = [
      { label: 'You', levelDbfs: -20 },
      { label: 'Others and more', levelDbfs: -Infinity },
    ];
    const wide = formatStatusLine({ levelDbfs: -Infinity, sessionMs: 0, state: 'listening', columns: 120, levels });
    expect(wide).toMatch(/You ▁▂▃▄▅▆·· -20 dBFS {2}Others … ········ -inf dBFS/);
    expect(shortLabel('Others and more')).toBe('Others …');
    const narrow = formatStatusLine({ levelDbfs: -Infinity, sessionMs: 0, state: 'listening', columns: 50, levels });
    expect(narrow).toMatch(/You ▁▂▃▄▅▆·· {2}Others … ········$/);
    expect(displayWidth(narrow)).toBeLessThanOrEqual(49);
  });
});
