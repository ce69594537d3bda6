import { afterAll, describe, expect, it } from 'vitest';
import {
  chmodSync,
  closeSync,
  linkSync,
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
import { appendByReplacing, canReplace, partialPathFor } from '../../../src/render/replace-append.js';

const dir = mkdtempSync(path.join(tmpdir(), 'replace-append-'));
afterAll(() => {
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});
const piece = Buffer.from(`${'x'.repeat(9000)}\n`);

function fileWith(name: string, text: string, mode = 0o644): { file: string; fd: number } {
  const file = path.join(dir, name);
  writeFileSync(file, text, { mode });
  chmodSync(file, mode);
  return { file, fd: openSync(file, 'a') };
}

describe('partialPathFor', () => {
  it('a hidden file beside the transcript, named after it and the process', () => {
    expect(partialPathFor('/home/u/talk.srt', 4242)).toBe('/home/u/.talk.srt.partial-4242');
  });
});

describe('appendByReplacing', () => {
  it('the file becomes a new file holding the old bytes and the piece; its permissions kept; no temporary file left', () => {
    const { file, fd } = fileWith('a.txt', 'first\n', 0o640);
    const before = statSync(file).ino;
    const out = appendByReplacing(fd, file, partialPathFor(file, 1), 6, piece);
    expect(statSync(file).ino).not.toBe(before);
    expect(readFileSync(file, 'utf8')).toBe(`first\n${piece}`);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    // The descriptor returned writes on at the end of the new file.
    writeSync(out, 'next\n');
    closeSync(out);
    expect(readFileSync(file, 'utf8')).toBe(`first\n${piece}next\n`);
    expect(readdirSync(dir).filter((n) => n.includes('.partial-'))).toEqual([]);
  });

  it('copies only what was written whole (up to `end`)', () => {
    const { file, fd } = fileWith('end.txt', 'whole\nhalf a c');
    const out = appendByReplacing(fd, file, partialPathFor(file, 2), 6, piece);
    closeSync(out);
    expect(readFileSync(file, 'utf8')).toBe(`whole\n${piece}`);
  });

  it('a leftover of a killed run with the same process id is replaced, a link in its place is not followed', () => {
    const { file, fd } = fileWith('left.txt', 'a\n');
    writeFileSync(partialPathFor(file, 3), 'stale');
    closeSync(appendByReplacing(fd, file, partialPathFor(file, 3), 2, piece));
    expect(readFileSync(file, 'utf8')).toBe(`a\n${piece}`);
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'untouched');
    const other = fileWith('linked.txt', 'b\n');
    symlinkSync(victim, partialPathFor(other.file, 4));
    closeSync(appendByReplacing(other.fd, other.file, partialPathFor(other.file, 4), 2, piece));
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
  });

  it('the temporary file cannot be made (a folder not writable, a full disk): throws, the file untouched', () => {
    const { file, fd } = fileWith('kept.txt', 'kept\n');
    const nowhere = path.join(dir, 'no-such-folder', '.kept.txt.partial-5');
    expect(() => appendByReplacing(fd, file, nowhere, 5, piece)).toThrow(/ENOENT/);
    expect(readFileSync(file, 'utf8')).toBe('kept\n');
    closeSync(fd);
  });

  it('a failure after the temporary file was made removes it', () => {
    const { file, fd } = fileWith('short.txt', 'abc\n');
    // The file holds fewer bytes than the caller says were written whole: the copy fails.
    expect(() => appendByReplacing(fd, file, partialPathFor(file, 7), 100, piece)).toThrow(/shorter/);
    expect(readFileSync(file, 'utf8')).toBe('abc\n');
    expect(readdirSync(dir).filter((n) => n.includes('.partial-'))).toEqual([]);
    closeSync(fd);
  });

  it('a file moved away meanwhile is not replaced', () => {
    const { file, fd } = fileWith('moved.txt', 'mine\n');
    rmSync(file);
    writeFileSync(file, 'theirs\n');
    expect(() => appendByReplacing(fd, file, partialPathFor(file, 6), 5, piece)).toThrow(/no longer the file/);
    expect(readFileSync(file, 'utf8')).toBe('theirs\n');
    closeSync(fd);
  });
});

describe('canReplace', () => {
  it('a regular file with one name only (a second hard link would be split off)', () => {
    const { file, fd } = fileWith('one.txt', '');
    expect(canReplace(fd)).toBe(true);
    const linked = path.join(dir, 'two.txt');
    linkSync(file, linked);
    expect(canReplace(fd)).toBe(false);
    closeSync(fd);
    const dev = openSync('/dev/null', 'w');
    expect(canReplace(dev)).toBe(false);
    closeSync(dev);
  });
});
