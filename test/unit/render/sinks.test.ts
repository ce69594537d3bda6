import { afterAll, describe, expect, it } from 'vitest';
import {
  closeSync,
  linkSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStdoutSink, openFileSink, writeWhole } from '../../../src/render/sinks.js';
import type { Terminal } from '../../../src/render/terminal.js';
import type { TurnRecord } from '../../../src/transcript/records.js';

const turn: TurnRecord = {
  index: 0,
  sessionId: 's',
  turnOrder: 0,
  text: 'Hi.',
  startMs: 0,
  endMs: 1,
  words: [],
  endOfTurnConfidence: 1,
  speaker: 'B',
  time: new Date(0),
};
const paint = (t: string): string => `<${t}>`;
const theme = { cyan: paint, magenta: (t: string) => `<m:${t}>`, yellow: paint, green: paint, blue: paint, cyanBright: paint, dim: paint };

function written(isTTY: boolean): string {
  let out = '';
  const terminal = { out: (t: string) => void (out += t), partial: () => {} } as unknown as Terminal;
  createStdoutSink({ format: 'text', timestamps: false, partials: false }, terminal, isTTY, theme).write({ type: 'turn', turn });
  return out;
}

describe('createStdoutSink: speaker colours', () => {
  it('on a terminal, each speaker in its colour', () => {
    expect(written(true)).toBe('<m:B>: Hi.\n');
  });
  it('in a pipe, plain', () => {
    expect(written(false)).toBe('B: Hi.\n');
  });
});

describe('writeWhole (issue 19.4)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sinks-whole-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a short write is continued with the rest', () => {
    const file = path.join(dir, 'short.txt');
    const fd = openSync(file, 'w');
    // At most 3 bytes per call, as a nearly full disk or a signal may make write(2) do.
    const short = ((f: number, b: Buffer, off: number, len: number) => writeSync(f, b, off, Math.min(3, len))) as typeof writeSync;
    const end = writeWhole(fd, Buffer.from('first piece\n'), 0, short);
    expect(writeWhole(fd, Buffer.from('second\n'), end, short)).toBe(19);
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe('first piece\nsecond\n');
  });

  it('a write that fails part-way is cut back to the last whole piece, and the error thrown', () => {
    const file = path.join(dir, 'cut.txt');
    const fd = openSync(file, 'w');
    const end = writeWhole(fd, Buffer.from('whole\n'), 0);
    let calls = 0;
    const failing = ((f: number, b: Buffer, off: number, len: number) => {
      calls += 1;
      if (calls > 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return writeSync(f, b, off, Math.min(4, len));
    }) as typeof writeSync;
    expect(() => writeWhole(fd, Buffer.from('half a cue\n'), end, failing)).toThrow(/ENOSPC/);
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe('whole\n');
  });

  it('a write that makes no progress is an error, not a loop', () => {
    const file = path.join(dir, 'stuck.txt');
    const fd = openSync(file, 'w');
    expect(() => writeWhole(fd, Buffer.from('x\n'), 0, (() => 0) as typeof writeSync)).toThrow(/no more bytes/);
    closeSync(fd);
  });
});

describe('openFileSink: a piece larger than 64 KiB replaces the file (issue 19: whole at any kill -9)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sinks-large-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const long = `${'word '.repeat(14_000)}end`; // 70 KB
  const medium = `${'word '.repeat(2000)}end`; // 10 KB: appended in place
  const output = { format: 'text' as const, timestamps: false, partials: false };
  const writeTurns = (file: string, mode: 'create' | 'append', texts: string[]): void => {
    const sink = openFileSink({ path: file, format: 'text', mode }, output, undefined, 77);
    texts.forEach((text, index) => sink.write({ type: 'turn', turn: { ...turn, index, turnOrder: index, text, speaker: undefined } }));
    sink.close(true);
  };

  it('small turns are appended in place (tail -f keeps following); a large one replaces the file; nothing left beside it', () => {
    const file = path.join(dir, 'talk.txt');
    writeFileSync(file, 'before\n', { mode: 0o640 });
    const inode = statSync(file).ino;
    writeTurns(file, 'append', ['Hi.', medium, 'Again.']);
    expect(statSync(file).ino).toBe(inode);
    writeTurns(file, 'append', ['Small.', long, 'After.']);
    expect(statSync(file).ino).not.toBe(inode);
    expect(readFileSync(file, 'utf8')).toBe(`before\nHi.\n${medium}\nAgain.\nSmall.\n${long}\nAfter.\n`);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['talk.txt']);
  });

  it('-o a symbolic link: the file it points to is replaced, the link stays', () => {
    const target = path.join(dir, 'target.txt');
    const link = path.join(dir, 'link.txt');
    writeFileSync(target, '');
    symlinkSync(target, link);
    writeTurns(link, 'append', [long]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(`${long}\n`);
  });

  it('a file with a second hard link is appended in place (replacing it would split the two names)', () => {
    const file = path.join(dir, 'shared.txt');
    const other = path.join(dir, 'shared-too.txt');
    writeFileSync(file, '');
    linkSync(file, other);
    writeTurns(file, 'append', [long]);
    expect(readFileSync(other, 'utf8')).toBe(`${long}\n`);
  });
});
