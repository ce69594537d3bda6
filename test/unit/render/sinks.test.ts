import { afterAll, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStdoutSink, writeWhole } from '../../../src/render/sinks.js';
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
