/**
 * The set-up helpers of the end-to-end files (test/support/e2e-files.ts): what a test opened is ended after
 * it (closed or killed, the last opened first) and forgotten; the temp folder lives as long as its file.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { closeAfterEach, openedPerTest, useTempDir } from '../support/e2e-files.js';

const ended: string[] = [];
const closable = (name: string) => ({
  close: async () => {
    ended.push(`close ${name}`);
  },
});
const killable = (name: string) => ({
  kill: () => {
    ended.push(`kill ${name}`);
  },
});

describe('openedPerTest', () => {
  const open = openedPerTest<{ server: ReturnType<typeof closable>; term: ReturnType<typeof killable> }>();

  it('holds what a test opens, by name', () => {
    open.server = closable('server');
    open.term = killable('term');
    expect(ended).toEqual([]);
  });

  it('ended them after that test, the last opened first, and forgot them', () => {
    expect(ended.splice(0)).toEqual(['kill term', 'close server']);
    expect(open).toEqual({});
  });
});

describe('closeAfterEach', () => {
  let server: ReturnType<typeof closable> | undefined;
  let term: ReturnType<typeof killable> | undefined;
  closeAfterEach(() => {
    const them = [term, server];
    term = undefined;
    server = undefined;
    return them;
  });

  it('is handed what a test opened', () => {
    server = closable('server');
    term = killable('term');
  });

  it('ended each of them after that test, in the order handed over; nothing is left for the next', () => {
    expect(ended.splice(0)).toEqual(['kill term', 'close server']);
    expect([server, term]).toEqual([undefined, undefined]);
  });
});

describe('useTempDir', () => {
  const tmp = useTempDir('lt-e2e-files-', (t) => writeFile(t.f('made.txt'), 'made before the tests\n'));

  it('is made, and filled, before the tests', async () => {
    expect(tmp.dir).toMatch(/lt-e2e-files-/);
    expect(tmp.f('made.txt').startsWith(tmp.dir)).toBe(true);
    expect(await readFile(tmp.f('made.txt'), 'utf8')).toBe('made before the tests\n');
    expect(existsSync(tmp.dir)).toBe(true);
  });
});
