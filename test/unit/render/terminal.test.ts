import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTerminal, formatErase, type Terminal } from '../../../src/render/terminal.js';
import { displayWidth, sanitize } from '../../../src/core/text.js';
import { VirtualTerminal } from '../../support/vterm.js';

const dim = (t: string): string => `\u001b[2m${t}\u001b[22m`;

/** stdout and stderr on one virtual terminal, or only one of them a terminal (the other a pipe). */
function setup(o: { columns?: number; stdoutTTY?: boolean; stderrTTY?: boolean; same?: boolean } = {}) {
  const columns = o.columns ?? 20;
  const term = new VirtualTerminal(columns);
  const pipeOut: string[] = [];
  const pipeErr: string[] = [];
  const writes: string[] = [];
  const stdoutTTY = o.stdoutTTY ?? true;
  const stderrTTY = o.stderrTTY ?? true;
  const t = createTerminal({
    stdout: { write: (s) => (writes.push(s), stdoutTTY ? term.write(s) : pipeOut.push(s)), columns: stdoutTTY ? () => columns : undefined },
    stderr: { write: (s) => (writes.push(s), stderrTTY ? term.write(s) : pipeErr.push(s)), columns: stderrTTY ? () => columns : undefined },
    sameTerminal: o.same ?? (stdoutTTY && stderrTTY),
    dim,
    throttleMs: 0,
  });
  return { term, t, writes, pipeOut, pipeErr };
}

describe('terminal: live partial on stdout', () => {
  afterEach(() => vi.useRealTimers());

  it('rewrites the partial in place and commits finals as lines', () => {
    const { term, t } = setup();
    t.partial('hello');
    t.partial('hello wor');
    expect(term.screen()).toEqual(['hello wor']);
    t.out('Hello world.\n');
    expect(term.screen()).toEqual(['Hello world.']);
    t.partial('next');
    expect(term.screen()).toEqual(['Hello world.', 'next']);
  });

  it('leaves no debris when a wrapped partial shrinks or is committed', () => {
    const { term, t } = setup({ columns: 10 });
    t.partial('one two three four five six');
    expect(term.screen()).toEqual(['one two th', 'ree four f', 'ive six']);
    t.partial('one two');
    expect(term.screen()).toEqual(['one two']);
    t.partial('aaaaaaaaaabbbbbbbbbb'); // exactly two rows: deferred wrap
    t.out('Done.\n');
    expect(term.screen()).toEqual(['Done.']);
  });

  it('skips redraws when the text did not change', () => {
    const { t, writes } = setup();
    t.partial('same');
    const n = writes.length;
    t.partial('same');
    t.partial('same ');
    expect(writes.length).toBe(n);
  });

  it('throttles redraws and draws the latest text', () => {
    vi.useFakeTimers();
    const term = new VirtualTerminal(40);
    const writes: string[] = [];
    const tt: Terminal = createTerminal({
      stdout: { write: (s) => (writes.push(s), term.write(s)), columns: () => 40 },
      stderr: { write: () => {}, columns: undefined },
      sameTerminal: false,
      dim: (s) => s,
      throttleMs: 50,
    });
    tt.partial('a');
    const afterFirst = writes.length;
    tt.partial('a b');
    tt.partial('a b c');
    expect(writes.length).toBe(afterFirst);
    vi.advanceTimersByTime(60);
    expect(writes.length).toBeGreaterThan(afterFirst);
    expect(term.screen()).toEqual(['a b c']);
  });

  it('never lets server text move the cursor', () => {
    const { term, t } = setup();
    t.partial('evil\u001b[2J\u001b[1Atext\r\nmore');
    expect(term.screen()).toEqual(['evil[2J[1Atext more']);
  });

  it('close() erases the live region', () => {
    const { term, t } = setup();
    t.out('kept\n');
    t.partial('partial words');
    t.bar('bar');
    t.close();
    expect(term.screen()).toEqual(['kept']);
  });
});

describe('terminal: status lines and the bar', () => {
  it('keeps partial and bar below committed lines and status lines, on one terminal', () => {
    const { term, t } = setup({ columns: 30 });
    t.status('Session started: abc\n');
    t.partial('hello wor');
    t.bar('▶ 00:01 / 00:10 (10%)');
    expect(term.screen()).toEqual(['Session started: abc', 'hello wor', '▶ 00:01 / 00:10 (10%)']);
    t.out('Hello world.\n');
    expect(term.screen()).toEqual(['Session started: abc', 'Hello world.', '▶ 00:01 / 00:10 (10%)']);
    t.partial('next one');
    t.status('warning: something\n');
    t.bar('▶ 00:02 / 00:10 (20%)');
    expect(term.screen()).toEqual(['Session started: abc', 'Hello world.', 'warning: something', 'next one', '▶ 00:02 / 00:10 (20%)']);
    t.bar('');
    t.partial('');
    expect(term.screen()).toEqual(['Session started: abc', 'Hello world.', 'warning: something']);
  });

  it('with stdout piped: plain lines on stdout, the bar alone on stderr', () => {
    const { term, t, pipeOut } = setup({ stdoutTTY: false });
    t.partial('ignored');
    t.bar('▶ 00:01');
    t.out('First.\n');
    t.status('Session ended.\n');
    expect(pipeOut.join('')).toBe('First.\n');
    expect(pipeOut.join('')).not.toContain('\u001b');
    expect(term.screen()).toEqual(['Session ended.', '▶ 00:01']);
  });

  it('with stderr piped: no bar, status lines plain', () => {
    const { term, t, pipeErr } = setup({ stderrTTY: false });
    t.bar('never shown');
    t.status('status\n');
    t.partial('live');
    expect(pipeErr.join('')).toBe('status\n');
    expect(term.screen()).toEqual(['live']);
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

describe('terminal: one partial per source (issue 13)', () => {
  it("each source's partial on its own rows, rewritten in place; a final clears only its own", () => {
    const { term, t } = setup({ columns: 12 });
    t.partial('You: hello', 'You');
    t.partial('Others: good morning', 'Others');
    expect(term.screen()).toEqual(['You: hello', 'Others: good', ' morning']);
    t.partial('You: hello there', 'You');
    expect(term.screen()).toEqual(['You: hello t', 'here', 'Others: good', ' morning']);
    t.out('You: Hi.\n', 'You');
    expect(term.screen()).toEqual(['You: Hi.', 'Others: good', ' morning']);
    t.partial('', 'Others');
    expect(term.screen()).toEqual(['You: Hi.']);
  });
});

describe('terminal: stdout a pipe, stderr a terminal (issue 24.9)', () => {
  afterEach(() => vi.useRealTimers());

  it('shows the partial with the bar on stderr; a stdout line erases them first and they come back after the hold', () => {
    vi.useFakeTimers();
    const term = new VirtualTerminal(30);
    const pipeOut: string[] = [];
    const t = createTerminal({
      stdout: { write: (s) => void pipeOut.push(s), columns: undefined },
      stderr: { write: (s) => term.write(s), columns: () => 30 },
      sameTerminal: false,
      dim: (s) => s,
      throttleMs: 0,
      partialsOnStderr: true,
      pipeHoldMs: 200,
    });
    t.partial('good morning');
    t.bar('▶ 00:01');
    vi.advanceTimersByTime(1);
    expect(term.screen().join('\n')).toContain('good morning');
    expect(term.screen().join('\n')).toContain('▶ 00:01');
    t.out('Good morning everyone.\n');
    expect(pipeOut).toEqual(['Good morning everyone.\n']);
    // Erased at once: an echo of the line (| tee) lands on a clean row.
    expect(term.screen().join('\n').trim()).toBe('');
    term.write('Good morning everyone.\r\n');
    vi.advanceTimersByTime(199);
    expect(term.screen().join('\n')).not.toContain('▶');
    vi.advanceTimersByTime(2);
    expect(term.screen().join('\n')).toContain('Good morning everyone.\n▶ 00:01');
    expect(term.screen().join('\n')).not.toContain('good morning');
  });
});
