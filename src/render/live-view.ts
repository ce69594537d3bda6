/**
 * The transcript on an interactive terminal: committed turns as plain lines, and below them the live
 * partial (dimmed), rewritten in place over as many rows as it wraps to. Only this module emits cursor
 * escapes, and only to a TTY. Redraws are throttled and skipped when nothing changed.
 */
import { displayWidth, rowsFor, sanitize } from './text.js';

export interface LiveViewOptions {
  write: (text: string) => void;
  columns: () => number;
  dim: (text: string) => string;
  /** Minimum ms between two redraws of the partial (default 50, i.e. 20 fps). */
  throttleMs?: number;
}

export interface TranscriptView {
  /** Shows (or replaces) the live partial; '' removes it. */
  partial(text: string): void;
  /** Writes a final turn as its own line, replacing the partial. */
  commit(text: string): void;
  /** Erases the partial so that other output can be written; the next partial() draws it again. */
  clear(): void;
  /** Erases the partial and cancels pending redraws. */
  close(): void;
}

const SYNC_START = '\u001b[?2026h'; // synchronized output: the terminal shows the frame whole
const SYNC_END = '\u001b[?2026l';
const ERASE_DOWN = '\u001b[0J';

/** The escape sequence that moves from the end of a drawn partial of `rows` rows back to its first column. */
export function formatErase(rows: number): string {
  if (rows <= 0) return '';
  return `\r${rows > 1 ? `\u001b[${rows - 1}A` : ''}${ERASE_DOWN}`;
}

export function createLiveView(o: LiveViewOptions): TranscriptView {
  const throttleMs = o.throttleMs ?? 50;
  let drawnText = '';
  let drawnRows = 0;
  let wanted = '';
  let lastDrawAt = 0;
  let timer: NodeJS.Timeout | undefined;

  const draw = (): void => {
    timer = undefined;
    if (wanted === drawnText && drawnRows > 0) return;
    const text = wanted;
    const rows = text === '' ? 0 : rowsFor(displayWidth(text), o.columns());
    o.write(`${SYNC_START}${formatErase(drawnRows)}${text === '' ? '' : o.dim(text)}${SYNC_END}`);
    drawnText = text;
    drawnRows = rows;
    lastDrawAt = Date.now();
  };

  return {
    partial(text: string): void {
      wanted = sanitize(text).trim();
      if (wanted === drawnText) return;
      if (timer !== undefined) return;
      const wait = lastDrawAt + throttleMs - Date.now();
      if (wait <= 0) draw();
      else timer = setTimeout(draw, wait);
    },
    commit(text: string): void {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      o.write(`${SYNC_START}${formatErase(drawnRows)}${sanitize(text).trim()}\n${SYNC_END}`);
      drawnText = '';
      drawnRows = 0;
      wanted = '';
    },
    clear(): void {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      if (drawnRows > 0) o.write(formatErase(drawnRows));
      drawnText = '';
      drawnRows = 0;
    },
    close(): void {
      this.clear();
      wanted = '';
    },
  };
}

/** Piped or redirected stdout: final turns only, one per line, never an escape code. */
export function createPlainView(write: (text: string) => void): TranscriptView {
  return {
    partial() {},
    commit(text: string) {
      const line = sanitize(text).trim();
      if (line !== '') write(`${line}\n`);
    },
    clear() {},
    close() {},
  };
}
