/**
 * Appends a large piece to the -o file so that a `kill -9` at any instant leaves the file whole (issue 19).
 *
 * A write(2) to a regular file is copied into the page cache one page (folio) at a time, and the kernel checks
 * for a fatal signal between two of them (mm/filemap.c generic_perform_write, iomap's twin): a SIGKILL
 * during a write that spans page boundaries leaves the file cut at one of them. No single syscall appends
 * any number of bytes whole; rename(2) replaces a name whole. So a piece larger than 64 KiB is written to
 * `.FILE.partial-PID` beside the file (the file's bytes, then the piece; readable by the user alone), synced,
 * and renamed over the file: the file is the old one or the new one, never a half. The open descriptor of
 * the new file is kept for the next writes. docs/faults.md says what it costs (a reader needs `tail -F`).
 */
import { closeSync, constants, fchmodSync, fstatSync, fsyncSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Pieces larger than this replace the file. The kernel can cut any write at a page boundary (4 KiB), but a
 * write of up to 64 KiB lasts microseconds; replacing the file costs a copy of it and makes `tail -f` lose it,
 * so only the pieces that are both rare and long to write (a JSON turn of some 600 words, a text turn of
 * 10,000) pay that. docs/faults.md gives the figures.
 */
export const REPLACE_ABOVE_BYTES = 64 * 1024;

/** The temporary file beside `file`: hidden, named after it and after the process that writes it. */
export function partialPathFor(file: string, pid: number | string): string {
  return join(dirname(file), `.${basename(file)}.partial-${pid}`);
}

/** What the file must be for replacing it to keep what the user has: a regular file with one name. */
export function canReplace(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    return st.isFile() && st.nlink === 1;
  } catch {
    return false;
  }
}

/**
 * Writes the first `end` bytes of the file open as `fd` (named `file`), then `piece`, to `temp`, syncs it,
 * renames it over `file`, closes `fd` and returns the descriptor of the new file (at its end). Throws, with
 * `file` untouched and no temporary file left, when that cannot be done (the folder is not writable, the
 * disk is full, `file` is no longer the file open as `fd`): the caller then appends in place.
 */
export function appendByReplacing(fd: number, file: string, temp: string, end: number, piece: Buffer): number {
  const st = fstatSync(fd);
  const named = statSync(file);
  // Moved or replaced by someone else meanwhile: never put our copy over theirs.
  if (named.ino !== st.ino || named.dev !== st.dev) throw new Error(`${file} is no longer the file being written`);
  const out = openTemp(temp);
  try {
    copyPrefix(file, out, end);
    writeAll(out, piece);
    // A power cut after the rename must not find a new name with its data still unwritten.
    fsyncSync(out);
    renameSync(temp, file);
  } catch (err) {
    closeSync(out);
    removeQuietly(temp);
    throw err;
  }
  // The file keeps its permissions (the temporary file was the user's alone until it became the file).
  try {
    fchmodSync(out, st.mode & 0o7777);
  } catch {
    // not ours to change (another owner): it stays readable by the user alone
  }
  try {
    closeSync(fd);
  } catch {
    // already gone: nothing was pending on it
  }
  return out;
}

/** Creates `temp` (never following a link, never reusing a file); a leftover of a killed run is replaced. */
function openTemp(temp: string): number {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  try {
    return openSync(temp, flags, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Its name holds this process's id: a run killed before with the same id left it.
    unlinkSync(temp);
    return openSync(temp, flags, 0o600);
  }
}

const COPY_CHUNK = 1024 * 1024;

function copyPrefix(file: string, out: number, end: number): void {
  const src = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(Math.min(COPY_CHUNK, Math.max(end, 1)));
    let at = 0;
    while (at < end) {
      const n = readSync(src, buf, 0, Math.min(buf.length, end - at), at);
      if (n <= 0) throw new Error(`${file} is shorter than what was written to it`);
      writeAll(out, buf.subarray(0, n));
      at += n;
    }
  } finally {
    closeSync(src);
  }
}

function writeAll(fd: number, buf: Buffer): void {
  let done = 0;
  while (done < buf.length) {
    const n = writeSync(fd, buf, done, buf.length - done);
    if (n <= 0) throw new Error('the disk accepted no more bytes');
    done += n;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // never created, or already gone
  }
}
