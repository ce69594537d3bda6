import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { applyKeys, readKey } from '../../../src/login/read-key.js';

describe('typing the key', () => {
  it('Enter ends it; backspace and Ctrl+U edit; control characters are dropped', () => {
    expect(applyKeys('', 'abc\u007fd\r')).toEqual({ typed: 'abd', end: 'enter' });
    expect(applyKeys('xyz', '\u0015k')).toEqual({ typed: 'k' });
    expect(applyKeys('a', '\u001b[A')).toEqual({ typed: 'a[A' });
  });
  it('Ctrl+C interrupts', () => {
    expect(applyKeys('abc', '\u0003')).toEqual({ typed: 'abc', end: 'interrupt' });
  });
});

describe('readKey', () => {
  it('from a pipe: the first non-blank line, trimmed', async () => {
    const input = new PassThrough();
    input.end('\n  key-123  \nignored\n');
    expect(await readKey(input)).toEqual({ kind: 'key', key: 'key-123' });
  });
  it('from a terminal: raw mode on while typing, off after', async () => {
    const input = Object.assign(new PassThrough(), {
      isTTY: true,
      modes: [] as boolean[],
      setRawMode(m: boolean) {
        this.modes.push(m);
      },
    });
    const read = readKey(input);
    input.write('k-1');
    input.write('\r');
    expect(await read).toEqual({ kind: 'key', key: 'k-1' });
    expect(input.modes).toEqual([true, false]);
  });
  it('from a terminal: Enter alone is empty', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
    const read = readKey(input);
    input.write('\r');
    expect(await read).toEqual({ kind: 'empty' });
  });
});
