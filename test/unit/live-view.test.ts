import { describe, expect, it, vi, afterEach } from 'vitest';
import { createLiveView, createPlainView, formatErase } from '../../src/render/live-view.js';
import { displayWidth, sanitize } from '../../src/render/text.js';
import { VirtualTerminal } from '../support/vterm.js';

function setup(columns = 20) {
  const term = new VirtualTerminal(columns);
  const writes: string[] = [];
  const view = createLiveView({
    write: (t) => {
      writes.push(t);
      term.write(t);
    },
    columns: () => columns,
    dim: (t) => `\u001b[2m${t}\u001b[22m`,
    throttleMs: 0,
  });
  return { term, view, writes };
}

describe('live view on a TTY', () => {
  afterEach(() => vi.useRealTimers());

  it('rewrites the partial in place and commits finals as lines', () => {
    const { term, view } = setup();
    view.partial('hello');
    view.partial('hello wor');
    expect(term.screen()).toEqual(['hello wor']);
    view.commit('Hello world.');
    expect(term.screen()).toEqual(['Hello world.']);
    view.partial('next');
    expect(term.screen()).toEqual(['Hello world.', 'next']);
  });

  it('leaves no debris when a wrapped partial shrinks or is committed', () => {
    const { term, view } = setup(10);
    view.partial('one two three four five six'); // 27 columns: 3 rows
    expect(term.screen()).toEqual(['one two th', 'ree four f', 'ive six']);
    view.partial('one two');
    expect(term.screen()).toEqual(['one two']);
    view.partial('aaaaaaaaaabbbbbbbbbb'); // exactly two rows: deferred wrap
    view.commit('Done.');
    expect(term.screen()).toEqual(['Done.']);
  });

  it('skips redraws when the text did not change', () => {
    const { view, writes } = setup();
    view.partial('same');
    const n = writes.length;
    view.partial('same');
    view.partial('same ');
    expect(writes.length).toBe(n);
  });

  it('throttles redraws and draws the latest text', () => {
    vi.useFakeTimers();
    const term = new VirtualTerminal(40);
    const writes: string[] = [];
    const view = createLiveView({ write: (t) => (writes.push(t), term.write(t)), columns: () => 40, dim: (t) => t, throttleMs: 50 });
    view.partial('a');
    view.partial('a b');
    view.partial('a b c');
    expect(writes.length).toBe(1);
    vi.advanceTimersByTime(60);
    expect(writes.length).toBe(2);
    expect(term.screen()).toEqual(['a b c']);
  });

  it('never lets server text move the cursor', () => {
    const { term, view } = setup();
    view.commit('evil\u001b[2J\u001b[1Atext\r\nmore');
    expect(term.screen()).toEqual(['evil[2J[1Atext more']);
  });

  it('clear() erases the partial so status can be written', () => {
    const { term, view } = setup();
    view.partial('partial words');
    view.clear();
    term.write('status line\n');
    view.partial('partial words');
    expect(term.screen()).toEqual(['status line', 'partial words']);
  });
});

describe('plain view (pipes and files)', () => {
  it('writes finals only, one per line, without escapes', () => {
    const out: string[] = [];
    const view = createPlainView((t) => out.push(t));
    view.partial('ignored');
    view.commit('First turn.');
    view.commit('  ');
    view.commit('Second\nturn.');
    expect(out.join('')).toBe('First turn.\nSecond turn.\n');
  });
});

describe('text helpers', () => {
  it('measures display width', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
  });
  it('sanitizes control characters', () => {
    expect(sanitize('a\u0007b\u009bc')).toBe('abc');
  });
  it('formats the erase sequence for N rows', () => {
    expect(formatErase(0)).toBe('');
    expect(formatErase(1)).toBe('\r\u001b[0J');
    expect(formatErase(3)).toBe('\r\u001b[2A\u001b[0J');
  });
});
