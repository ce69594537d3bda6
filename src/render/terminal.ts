/**
 * What a person sees on an interactive terminal. Committed lines scroll up; below them a live region
 * is redrawn in place: the partial turn (stdout, dimmed, over as many rows as it wraps to) and a status
 * bar (stderr: progress, level meter...). When stdout and stderr are the same terminal, the region spans
 * both; when only one is a terminal, only its part is live. Only this module emits cursor escapes, and
 * only to a TTY. Redraws are throttled and skipped when nothing changed.
 */
import { displayWidth, rowsFor, sanitize } from '../core/text.js';

export interface TerminalStream {
  write: (text: string) => void;
  /** Columns if this stream is an interactive terminal; undefined for pipes and files. */
  columns: (() => number) | undefined;
}

export interface TerminalOptions {
  stdout: TerminalStream;
  stderr: TerminalStream;
  /** stdout and stderr are the same terminal (so one region spans both). */
  sameTerminal: boolean;
  dim: (text: string) => string;
  /** Minimum ms between two redraws (default 50, i.e. 20 fps). */
  throttleMs?: number;
  /**
   * Issue 24.9: stdout is not a terminal (a pipe, a capture) but stderr is: the partials are shown there, in
   * stderr's live region. A write to stdout may come back to this terminal (`| tee`): the region is erased
   * first and drawn again only `pipeHoldMs` later (default 250), so the echoed line lands on a clean row.
   */
  partialsOnStderr?: boolean;
  pipeHoldMs?: number;
}

export interface Terminal {
  /**
   * Shows (or replaces) the live partial on a TTY stdout; '' removes it. No-op elsewhere. With several
   * sources, each `key` has its own partial, on its own rows, in the order the keys first came.
   */
  partial(text: string, key?: string): void;
  /** Writes to stdout: a committed line, or formatted output; the live region is kept below it. `clears`: the partial it replaces (default: the one without a key). */
  out(text: string, clears?: string): void;
  /** Writes a status line to stderr, above the live region. */
  status(text: string): void;
  /**
   * Shows (or replaces) the status bar on a TTY stderr; '' removes it. No-op elsewhere. `styled` is the
   * same text with colours (its width is measured on `text`).
   */
  bar(text: string, styled?: string): void;
  /** Erases the live region for good (end of run). */
  close(): void;
}

const SYNC_START = '\u001b[?2026h'; // synchronized output: the terminal shows each frame whole
const SYNC_END = '\u001b[?2026l';
const ERASE_DOWN = '\u001b[0J';

/** From the end of a drawn region of `rows` rows back to its first column, erasing it. */
export function formatErase(rows: number): string {
  if (rows <= 0) return '';
  return `\r${rows > 1 ? `\u001b[${rows - 1}A` : ''}${ERASE_DOWN}`;
}

interface Part {
  stream: TerminalStream;
  /** Plain text: compared, and measured for rows. */
  wanted: string;
  drawn: string;
  /** What is written for `wanted` (with colours). */
  styled: string;
}

/** One terminal's live region: parts drawn in order, each on its own rows (the partials may grow in number). */
class Region {
  private rows = 0;
  constructor(
    private readonly partsNow: () => readonly Part[],
    private readonly columns: () => number,
  ) {}

  get parts(): readonly Part[] {
    return this.partsNow();
  }

  get dirty(): boolean {
    return this.parts.some((p) => p.wanted !== p.drawn);
  }

  /** Erases the region, runs `between` (writes that scroll above it), and draws the region again. */
  redraw(between?: () => void): void {
    const first = this.parts[0]!.stream;
    first.write(SYNC_START + formatErase(this.rows));
    between?.();
    let rows = 0;
    let last = first;
    for (const part of this.parts) {
      part.drawn = part.wanted;
      if (part.wanted === '') continue;
      part.stream.write(`${rows > 0 ? '\r\n' : ''}${part.styled}`);
      rows += rowsFor(displayWidth(part.wanted), this.columns());
      last = part.stream;
    }
    last.write(SYNC_END);
    this.rows = rows;
  }

  /** Erases what is drawn and marks every part to be drawn again at the next redraw. */
  erase(): void {
    if (this.rows > 0) this.parts[0]!.stream.write(formatErase(this.rows));
    this.rows = 0;
    for (const p of this.parts) p.drawn = '';
  }

  clear(): void {
    if (this.rows > 0) this.parts[0]!.stream.write(formatErase(this.rows));
    this.rows = 0;
    for (const p of this.parts) {
      p.wanted = '';
      p.drawn = '';
    }
  }
}

export function createTerminal(o: TerminalOptions): Terminal {
  const throttleMs = o.throttleMs ?? 50;
  const live = o.stdout.columns !== undefined;
  const onStderr = !live && o.partialsOnStderr === true && o.stderr.columns !== undefined;
  const holdMs = o.pipeHoldMs ?? 250;
  let holdUntil = 0;
  /** One partial per key ('' without sources), in the order the keys came. */
  const partials = new Map<string, Part>();
  const partialOf = (key: string): Part => {
    let p = partials.get(key);
    if (p === undefined) {
      p = { stream: onStderr ? o.stderr : o.stdout, wanted: '', drawn: '', styled: '' };
      partials.set(key, p);
    }
    return p;
  };
  if (live) partialOf('');
  const bar: Part | undefined = o.stderr.columns === undefined ? undefined : { stream: o.stderr, wanted: '', drawn: '', styled: '' };
  const regions: Region[] = [];
  const partialParts = (): Part[] => [...partials.values()];
  if (live && bar !== undefined && o.sameTerminal) {
    regions.push(new Region(() => [...partialParts(), bar], o.stdout.columns!));
  } else if (onStderr) {
    regions.push(new Region(() => [...partialParts(), ...(bar === undefined ? [] : [bar])], o.stderr.columns!));
  } else {
    if (live) regions.push(new Region(partialParts, o.stdout.columns!));
    if (bar !== undefined) regions.push(new Region(() => [bar], o.stderr.columns!));
  }
  const regionOf = (stream: TerminalStream): Region | undefined => regions.find((r) => r.parts.some((p) => p.stream === stream));

  let timer: NodeJS.Timeout | undefined;
  let lastDrawAt = 0;
  const flush = (): void => {
    timer = undefined;
    lastDrawAt = Date.now();
    for (const r of regions) if (r.dirty) r.redraw();
  };
  const request = (): void => {
    if (timer !== undefined) return;
    const wait = Math.max(lastDrawAt + throttleMs, holdUntil) - Date.now();
    if (wait <= 0) flush();
    else timer = setTimeout(flush, wait);
  };

  const writeAbove = (stream: TerminalStream, text: string): void => {
    const region = regionOf(stream);
    if (region === undefined) stream.write(text);
    else region.redraw(() => stream.write(text));
  };

  return {
    partial(text: string, key = ''): void {
      if (!live && !onStderr) return;
      const partial = partialOf(key);
      partial.wanted = sanitize(text).trim();
      partial.styled = o.dim(partial.wanted);
      if (partial.wanted !== partial.drawn) request();
    },
    out(text: string, clears = ''): void {
      const partial = partials.get(clears);
      if (partial !== undefined) partial.wanted = '';
      if (onStderr) {
        // The line may come back through `| tee`: a clean row for it, the region drawn again a little later.
        for (const r of regions) r.erase();
        holdUntil = Date.now() + holdMs;
        o.stdout.write(text);
        request();
        return;
      }
      writeAbove(o.stdout, text);
    },
    status(text: string): void {
      // On a terminal, start on a clean row: Ctrl+C echoes "^C" where the cursor is.
      writeAbove(o.stderr, o.stderr.columns === undefined ? text : `\r\u001b[2K${text}`);
    },
    bar(text: string, styled?: string): void {
      if (bar === undefined) return;
      bar.wanted = sanitize(text);
      // Styled text comes from our own formatters (status-line.ts), never from the network.
      bar.styled = styled ?? bar.wanted;
      if (bar.wanted !== bar.drawn) request();
    },
    close(): void {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      for (const r of regions) r.clear();
    },
  };
}
