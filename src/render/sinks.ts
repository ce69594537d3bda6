/**
 * Where transcript events go: stdout (through the terminal, so live partials and status keep their
 * place) and an optional transcript file. Every final is written the moment it is final; file writes are
 * synchronous, one piece per write, so a file cut off by a crash still parses cue by cue.
 */
import { closeSync, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { OutputFormat, OutputSpec } from '../types.js';
import { AppError, ErrorCode, UsageError } from '../errors.js';
import type { TranscriptEvent } from '../transcript/records.js';
import { createEventFormatter, VTT_HEADER } from './formats.js';
import type { SpeakerTheme } from './speakers.js';
import type { Terminal } from './terminal.js';

export interface Sink {
  write(event: TranscriptEvent): void;
  close(): void;
}

/** `theme`: the speakers' colours, used on a terminal only (a pipe or a file gets plain `A: `). */
export function createStdoutSink(output: OutputSpec, terminal: Terminal, isTTY: boolean, theme?: SpeakerTheme): Sink {
  const format = output.format;
  const formatter = createEventFormatter(format, isTTY && theme !== undefined ? { ...output, speakerTheme: theme } : output);
  let headerWritten = false;
  return {
    write(event: TranscriptEvent): void {
      // On a terminal, text shows the partial live; everywhere else partials only go to JSON with --partials.
      if (format === 'text' && isTTY && event.type === 'partial') {
        terminal.partial(event.text);
        return;
      }
      if (!headerWritten) {
        headerWritten = true;
        if (formatter.header !== '') terminal.out(formatter.header);
      }
      const text = formatter.format(event);
      if (text !== '') terminal.out(text);
    },
    close(): void {},
  };
}

/** The numbering and time offset that continue an existing SRT/VTT file (cues are never rewritten). */
export function continuationOf(format: OutputFormat, existing: string): { cueNumber: number; offsetMs: number; needsHeader: boolean; separator: string } {
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

export function openFileSink(file: NonNullable<OutputSpec['file']>, output: OutputSpec): Sink {
  const { path, format, mode } = file;
  let fd: number;
  try {
    fd = openSync(path, mode === 'create' ? 'wx' : mode === 'append' ? 'a+' : 'w');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new UsageError(`the transcript file ${path} already exists`, 'add to it with --append, or replace it with --force');
    }
    if (code === 'EISDIR') throw new UsageError(`--output ${path} is a directory`, 'give a file name');
    if (code === 'ENOENT') throw new UsageError(`cannot create ${path}: its folder does not exist`);
    if (code === 'EACCES' || code === 'EPERM') throw new UsageError(`cannot write ${path}: permission denied`);
    throw new AppError(ErrorCode.server, `cannot open ${path}: ${(err as Error).message}`, { cause: err });
  }
  const existing = mode === 'append' && fstatSync(fd).size > 0 ? readFileSync(path, 'utf8') : '';
  const cont = continuationOf(format, existing);
  const formatter = createEventFormatter(format, output, cont);
  let failed: AppError | undefined;
  const put = (text: string): void => {
    if (failed !== undefined || text === '') return;
    try {
      writeSync(fd, text);
    } catch (err) {
      failed = new AppError(ErrorCode.server, `cannot write the transcript to ${path}: ${(err as Error).message}`, { cause: err });
      throw failed;
    }
  };
  put(cont.separator);
  if (mode !== 'append' || cont.needsHeader) put(formatter.header);
  return {
    write(event: TranscriptEvent): void {
      put(formatter.format(event));
    },
    close(): void {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    },
  };
}
