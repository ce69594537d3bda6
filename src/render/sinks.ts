/**
 * Where transcript events go: stdout (through the terminal, so live partials and status keep their
 * place) and an optional transcript file. Every final is written the moment it is final; file writes are
 * synchronous, one piece per write, so a file cut off by a crash still parses cue by cue. A piece is written
 * whole or not at all (issue 19.4): a short write is continued, and a write that fails part-way (a full disk,
 * a file-size limit) is cut back to the end of the last whole piece, and the failure reported. A piece larger
 * than a page replaces the file through a temporary one (replace-append.ts), so `kill -9` cannot cut it.
 */
import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  ftruncateSync,
  lstatSync,
  openSync,
  readFileSync,
  realpathSync,
  statSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { createSpeakerSettler } from './settle-speakers.js';
import { appendByReplacing, canReplace, partialPathFor, REPLACE_ABOVE_BYTES } from './replace-append.js';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import type { OutputFormat, OutputSpec } from '../core/types.js';
import { AppError, ErrorCode, UsageError } from '../core/errors.js';
import type { TranscriptEvent } from '../transcript/records.js';
import { createEventFormatter, VTT_HEADER } from './formats.js';
import type { SpeakerTheme } from './speakers.js';
import type { Terminal } from './terminal.js';

export interface Sink {
  write(event: TranscriptEvent): void;
  /** `ok`: the run ended well (a file sink then exists even if nothing was said). */
  close(ok?: boolean): void;
}

/** `theme`: the speakers' colours, used on a terminal only (a pipe or a file gets plain `A: `). */
export function createStdoutSink(output: OutputSpec, terminal: Terminal, isTTY: boolean, theme?: SpeakerTheme, liveOnStderr = false): Sink {
  const format = output.format;
  const formatter = createEventFormatter(format, isTTY && theme !== undefined ? { ...output, speakerTheme: theme } : output);
  let headerWritten = false;
  return {
    write(event: TranscriptEvent): void {
      // On a terminal, text shows the partial live; everywhere else partials only go to JSON with --partials.
      const live = event.type === 'partial' && ((format === 'text' && isTTY) || liveOnStderr);
      if (event.type === 'partial' && live) {
        // Several sources: each one's partial on its own line, named like its turns.
        if (event.source === undefined) terminal.partial(event.text);
        else terminal.partial(event.text === '' ? '' : `${event.source}: ${event.text}`, event.source);
        // Issue 24.9: shown on stderr while stdout is a pipe, where JSON --partials still get them.
        if (!liveOnStderr) return;
      }
      if (!headerWritten) {
        headerWritten = true;
        if (formatter.header !== '') terminal.out(formatter.header);
      }
      const text = formatter.format(event);
      if (text !== '') terminal.out(text, event.type === 'turn' ? event.turn.source : undefined);
    },
    close(): void {},
  };
}

/** The numbering and time offset that continue an existing SRT/VTT file (cues are never rewritten). */
export function continuationOf(
  format: OutputFormat,
  existing: string,
): { cueNumber: number; offsetMs: number; needsHeader: boolean; separator: string } {
  let cueNumber = 0;
  let offsetMs = 0;
  const times = /(?:^|\n)(?:(\d+)\n)?(\d+):(\d\d):(\d\d)[.,](\d{3}) --> (\d+):(\d\d):(\d\d)[.,](\d{3})/g;
  for (const m of existing.matchAll(times)) {
    if (m[1] !== undefined) cueNumber = Math.max(cueNumber, Number(m[1]));
    const end = ((Number(m[6]) * 60 + Number(m[7])) * 60 + Number(m[8])) * 1000 + Number(m[9]);
    offsetMs = Math.max(offsetMs, end);
  }
  const needsHeader = format === 'vtt' && !existing.startsWith(VTT_HEADER.trimEnd());
  const trimmed = existing.length === 0 || existing.endsWith('\n\n') ? '' : existing.endsWith('\n') ? '\n' : '\n\n';
  const separator = format === 'srt' || format === 'vtt' ? trimmed : existing.length === 0 || existing.endsWith('\n') ? '' : '\n';
  return { cueNumber, offsetMs, needsHeader, separator };
}

/**
 * Opens the -o file. A FIFO is opened without blocking (issue 19.6: with no reader, a plain open waits
 * forever and Ctrl+C is never handled): no reader is an error, and a full pipe is waited for, bounded.
 */
function openTranscript(path: string, mode: 'create' | 'append' | 'overwrite'): number {
  if (statOrUndefined(path)?.isFIFO() === true) return openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  return openSync(path, mode === 'create' ? 'wx' : mode === 'append' ? 'a' : 'w');
}

/** Why the transcript file cannot be opened, as the error the run reports. */
function refusalFor(path: string, code: string | undefined, err: unknown): AppError {
  if (code === 'EEXIST') {
    return new UsageError(`the transcript file ${path} already exists`, 'add to it with --append, or replace it with --force');
  }
  if (code === 'EISDIR') return new UsageError(`--output ${path} is a directory`, 'give a file name');
  if (code === 'ENOENT') return new UsageError(`cannot create ${path}: its folder does not exist`);
  if (code === 'EACCES' || code === 'EPERM') return new UsageError(`cannot write ${path}: permission denied`);
  if (code === 'ENXIO')
    return new UsageError(`--output ${path} is a FIFO that no program reads`, 'start the program that reads it first, or give a regular file');
  return new AppError(ErrorCode.server, `cannot open ${path}: ${(err as Error).message}`, { cause: err });
}

/**
 * Checks, before connecting, what opening the file would refuse (it exists without --append/--force, a
 * directory, a missing folder, no permission), without creating or changing anything.
 */
function checkWritable(path: string, mode: 'create' | 'append' | 'overwrite'): void {
  const stat = statOrUndefined(path);
  // Issue 19.8: a link to nothing was refused only at the first write, after a session was opened and billed.
  if (stat === undefined && isLink(path)) {
    throw new UsageError(
      `--output ${path} is a symbolic link to a file that does not exist`,
      'create the file it points to first, or give another path',
    );
  }
  if (stat !== undefined) {
    if (stat.isDirectory()) throw refusalFor(path, 'EISDIR', undefined);
    if (mode === 'create') throw refusalFor(path, 'EEXIST', undefined);
  }
  try {
    accessSync(stat === undefined ? dirname(path) : path, constants.W_OK);
  } catch (err) {
    throw refusalFor(path, (err as NodeJS.ErrnoException).code, err);
  }
}

/** The size of an open file; 0 for what has none (a FIFO, a device). */
function sizeOf(fd: number): number {
  try {
    const st = fstatSync(fd);
    return st.isFile() ? st.size : 0;
  } catch {
    return 0;
  }
}

/**
 * Writes all of `buf` (writeSync may write less than asked: the rest is written after it), or, when a write
 * fails part-way, cuts the file back to `wholeEnd` (the end of the last whole piece) and throws. Returns the
 * new end of the last whole piece.
 */
export function writeWhole(fd: number, buf: Buffer, wholeEnd: number, write: typeof writeSync = writeSync): number {
  let done = 0;
  let stalledMs = 0;
  try {
    while (done < buf.length) {
      let n: number;
      try {
        n = write(fd, buf, done, buf.length - done);
      } catch (err) {
        // A FIFO (opened without blocking) whose reader is slow: wait a little, bounded.
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        if (stalledMs >= PIPE_STALL_MS) throw new Error(`the program reading it took nothing for ${PIPE_STALL_MS / 1000} s`, { cause: err });
        Atomics.wait(STALL_CELL, 0, 0, STALL_STEP_MS);
        stalledMs += STALL_STEP_MS;
        continue;
      }
      if (n <= 0) throw new Error('the disk accepted no more bytes');
      done += n;
      stalledMs = 0;
    }
  } catch (err) {
    if (done > 0) {
      try {
        ftruncateSync(fd, wholeEnd);
      } catch {
        // not a regular file (a device, a pipe): nothing to cut back
      }
    }
    throw err;
  }
  return wholeEnd + done;
}

/** A FIFO's reader that takes nothing this long fails the write (the wait blocks the process: keep it short). */
const PIPE_STALL_MS = 5000;
const STALL_STEP_MS = 10;
const STALL_CELL = new Int32Array(new SharedArrayBuffer(4));

/** The -o file could not be written: what happened, and what to do. */
function formatWriteFailed(path: string, reason: string): string {
  return `cannot write the transcript to ${path}: ${reason} (the file ends at the last whole turn; free some space or choose another -o)`;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function realPathOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function randomTag(): string {
  return randomBytes(4).toString('hex');
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The -o file. It is checked now but created (or replaced, or added to) only at the first thing written to
 * it, so a run that fails before that leaves no empty file behind to block the retry (issue 11.4); an
 * error record alone does not create it. A run that ends well with nothing said still leaves the file
 * (with its header): close(true). Every text is passed through `scrub` (the run's secrets) as it is written.
 */
export function openFileSink(
  file: NonNullable<OutputSpec['file']>,
  output: OutputSpec,
  scrub: (text: string) => string = (t) => t,
  /** Names the temporary file of a piece larger than a page (`.FILE.partial-PID`). */
  pid: number | string = randomTag(),
): Sink {
  const { path, format, mode } = file;
  checkWritable(path, mode);
  const existing = mode === 'append' && (statOrUndefined(path)?.size ?? 0) > 0 ? readFileSync(path, 'utf8') : '';
  const cont = continuationOf(format, existing);
  const formatter = createEventFormatter(format, output, cont);
  let fd: number | undefined;
  let failed: AppError | undefined;
  /** Where the last whole piece ends. */
  let whole = 0;
  /** The file's own path (through a link) when it is a regular file: a large piece replaces it there. */
  let real: string | undefined;
  const write = (text: string): void => {
    if (failed !== undefined || text === '') return;
    const buf = Buffer.from(scrub(text));
    if (buf.length > REPLACE_ABOVE_BYTES && real !== undefined && canReplace(fd!)) {
      try {
        fd = appendByReplacing(fd!, real, partialPathFor(real, pid), whole, buf);
        whole += buf.length;
        return;
      } catch {
        // The folder is not writable, the disk has no room for a copy, the file was moved: append in place.
      }
    }
    try {
      whole = writeWhole(fd!, buf, whole);
    } catch (err) {
      failed = new AppError(ErrorCode.server, formatWriteFailed(path, (err as Error).message), { cause: err });
      throw failed;
    }
  };
  const ensureOpen = (): void => {
    if (fd !== undefined || failed !== undefined) return;
    try {
      fd = openTranscript(path, mode);
      whole = sizeOf(fd);
      real = canReplace(fd) ? realPathOf(path) : undefined;
    } catch (err) {
      failed = refusalFor(path, (err as NodeJS.ErrnoException).code, err);
      throw failed;
    }
    write(cont.separator);
    if (mode !== 'append' || cont.needsHeader) write(formatter.header);
  };
  const writeEvent = (event: TranscriptEvent): void => {
    const text = formatter.format(event);
    if (text === '' || (fd === undefined && event.type === 'error')) return;
    ensureOpen();
    write(text);
  };
  // Issue 24.9: text, SRT and VTT files get the settled speaker labels, not `?`.
  const settler = format === 'json' ? undefined : createSpeakerSettler(writeEvent);
  return {
    write(event: TranscriptEvent): void {
      if (settler === undefined) writeEvent(event);
      else settler.push(event);
    },
    close(ok = false): void {
      try {
        settler?.flush();
        if (ok && fd === undefined) ensureOpen();
        if (fd !== undefined) closeSync(fd);
      } catch {
        // already closed, or could not be created at the end: nothing more to write
      }
      fd = undefined;
      failed ??= new AppError(ErrorCode.server, 'closed');
    },
  };
}
