/**
 * The status line on an interactive stderr: state, session time (the service bills open time), a short
 * session id and a live input level meter, e.g. `● 00:12:31 · 9f3c1a · ▁▂▃▄▅··· -23 dBFS`. Pure: it
 * returns one line that fits in `columns - 1` (never wraps), dropping the least useful parts first.
 *
 * How the writer must draw it (render/terminal.ts owns the escapes), so that it neither flickers nor
 * tears the live partial on stdout when both streams are the same terminal:
 * - Only on an interactive stderr, never on stdout, never in a pipe or file, not with --quiet.
 * - It is the last row of the live region, below the partial: one frame = erase the region from its first
 *   row (`\r`, cursor up, erase down), the partial on stdout, `\r\n`, this line on stderr. Wrap the frame
 *   in synchronized output (`ESC[?2026h` ... `ESC[?2026l`): the terminal sees one byte stream whichever
 *   fd wrote it, and shows the frame whole. stdout and stderr writes to a TTY are synchronous on Linux
 *   and macOS, so the two fds cannot interleave within a frame.
 * - Never draw a line as wide as the terminal: the cursor would sit in the pending-wrap state and the
 *   next `\r\n` or a resize would push a row. formatStatusLine() keeps to `columns - 1`.
 * - Pass the line through as is, or sanitize only what came from outside (this module already cleans
 *   the session id and note): sanitizing the whole line would also strip the colour escapes, and rows
 *   must be counted on the plain text (call it without a theme, or measure `formatStatusLine` without one).
 * - Redraw at most 4-10 times a second, and only when the text changes: feed the level through
 *   audio/level.ts decayLevel() so the meter does not jump at every 50 ms frame. The line changes once a
 *   second anyway (the clock); a redraw of a long wrapped partial costs more than the status itself.
 * - Erase it before anything else is written to stderr (warnings scroll above the region) and at exit,
 *   so the final screen and the summary carry no meter.
 */
import { formatClock } from './formats.js';
import { displayWidth, sanitize } from '../core/text.js';

/** Session time as hh:mm:ss (fixed width, so the line does not jitter). */
export { formatClock } from './formats.js';

export type SessionState = 'connecting' | 'listening' | 'paused' | 'reconnecting' | 'stopping';

/** A chalk-like theme (a ChalkInstance fits; level 0 means no colour). */
export interface StatusLineTheme {
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  dim(text: string): string;
}

export interface StatusLineInput {
  /** The input level to show, in dBFS (smoothed with decayLevel); -Infinity for digital silence. */
  levelDbfs: number;
  /** Time since the session opened (what the service bills). */
  sessionMs: number;
  /** The service's session id; shown shortened. Undefined while connecting. */
  sessionId?: string;
  state: SessionState;
  /** Shown while reconnecting: "reconnecting 2". */
  reconnectAttempt?: number;
  /** The terminal's width; the line keeps to columns - 1. */
  columns: number;
  /** Colours; plain text without one. */
  theme?: StatusLineTheme;
  /** Block characters and bullets (default); false: ASCII only, for terminals without UTF-8. */
  unicode?: boolean;
  /** A short note at the end, e.g. "no sound" or "p: resume"; the first part dropped when space is short. */
  note?: string;
  /** Several sources (issue 13): a level per source, each after its short label, instead of `levelDbfs`. */
  levels?: readonly { label: string; levelDbfs: number }[];
}

/** How much of a source's label the status line shows. */
const SHORT_LABEL_CHARS = 8;

/** A label cut to SHORT_LABEL_CHARS characters for the status line ("…" when cut). */
export function shortLabel(label: string): string {
  const chars = [...sanitize(label).trim()];
  return chars.length <= SHORT_LABEL_CHARS ? chars.join('') : `${chars.slice(0, SHORT_LABEL_CHARS - 1).join('')}…`;
}

/** The level part of the line: one meter, or one per source after its label. */
function levelGroup(o: StatusLineInput, cells: number, db: boolean, unicode: boolean): Segment[] {
  const one = (levelDbfs: number): Segment[] => {
    const meter = cells > 0 ? meterSegments(levelDbfs, cells, unicode, o.theme) : [];
    return [...meter, ...(db ? [{ text: `${meter.length > 0 ? ' ' : ''}${formatDbfs(levelDbfs)} dBFS` }] : [])];
  };
  if (o.levels === undefined) return one(o.levelDbfs);
  return o.levels.flatMap((l, i) => [{ text: `${i > 0 ? '  ' : ''}${shortLabel(l.label)}${cells > 0 || db ? ' ' : ''}` }, ...one(l.levelDbfs)]);
}

/** The meter's range: below this level no cell is lit. */
const METER_FLOOR_DBFS = -60;
const METER_CELLS = 8;
const BLOCKS = '▁▂▃▄▅▆▇█';

interface Segment {
  text: string;
  style?: (t: string) => string;
}

/** The first 6 letters or digits of a session id: enough to tell sessions apart in a support request. */
export function shortSessionId(id: string): string {
  return sanitize(id)
    .replace(/[^0-9A-Za-z]/g, '')
    .slice(0, 6);
}

/** The level as a number three columns wide ("-23", " -6", "  0"), or "-inf" for (near) digital silence. */
export function formatDbfs(levelDbfs: number): string {
  if (!(levelDbfs >= -99.5)) return '-inf';
  return String(Math.min(0, Math.round(levelDbfs))).padStart(3, ' ');
}

/** How many of `cells` meter cells `levelDbfs` lights (0 at or below the floor, all at 0 dBFS). */
export function litCells(levelDbfs: number, cells = METER_CELLS): number {
  if (!(levelDbfs >= METER_FLOOR_DBFS)) return 0;
  const step = -METER_FLOOR_DBFS / cells;
  return Math.min(cells, Math.floor((levelDbfs - METER_FLOOR_DBFS) / step) + 1);
}

function meterSegments(levelDbfs: number, cells: number, unicode: boolean, theme: StatusLineTheme | undefined): Segment[] {
  const lit = litCells(levelDbfs, cells);
  const hot = levelDbfs > -3 ? theme?.red : levelDbfs > -12 ? theme?.yellow : theme?.green;
  const on = unicode
    ? [...BLOCKS]
        .filter((_, i) => i % (BLOCKS.length / cells) === 0)
        .slice(0, lit)
        .join('')
    : '#'.repeat(lit);
  const off = (unicode ? '·' : ' ').repeat(cells - lit);
  const segments: Segment[] = [];
  if (!unicode) segments.push({ text: '[' });
  if (on !== '') segments.push(hot === undefined ? { text: on } : { text: on, style: hot });
  if (off !== '') segments.push(theme === undefined ? { text: off } : { text: off, style: theme.dim });
  if (!unicode) segments.push({ text: ']' });
  return segments;
}

function stateSegment(o: StatusLineInput, unicode: boolean, short: boolean): Segment {
  const t = o.theme;
  switch (o.state) {
    case 'listening':
      return { text: unicode ? '●' : '*', ...(t ? { style: t.green } : {}) };
    case 'paused':
      return { text: `${unicode ? '‖' : '||'}${short ? '' : ' paused'}`, ...(t ? { style: t.yellow } : {}) };
    case 'reconnecting': {
      const n = o.reconnectAttempt === undefined ? '' : ` ${o.reconnectAttempt}`;
      return { text: `${unicode ? '↻' : '~'}${short ? '' : ` reconnecting${n}`}`, ...(t ? { style: t.yellow } : {}) };
    }
    case 'stopping':
      return { text: `${unicode ? '■' : '#'}${short ? '' : ' stopping'}`, ...(t ? { style: t.dim } : {}) };
    case 'connecting':
      return { text: `${unicode ? '○' : 'o'}${short ? '' : ' connecting'}`, ...(t ? { style: t.dim } : {}) };
  }
}

/**
 * One status line, at most `columns - 1` columns wide. When space is short it drops, in order: the note,
 * the session id, the dB number, half the meter, the meter, the state's word; then it cuts with "…".
 * Returns '' when there is no room at all (columns < 2).
 */
export function formatStatusLine(o: StatusLineInput): string {
  const unicode = o.unicode ?? true;
  const max = Math.max(0, Math.floor(o.columns) - 1);
  if (max < 1) return '';
  const sep: Segment = { text: unicode ? ' · ' : ' | ', ...(o.theme ? { style: o.theme.dim } : {}) };
  const id = o.sessionId === undefined ? '' : shortSessionId(o.sessionId);
  const note = o.note === undefined ? '' : sanitize(o.note).trim();

  const variants: { note: boolean; id: boolean; db: boolean; cells: number; short: boolean }[] = [
    { note: true, id: true, db: true, cells: METER_CELLS, short: false },
    { note: false, id: true, db: true, cells: METER_CELLS, short: false },
    { note: false, id: false, db: true, cells: METER_CELLS, short: false },
    { note: false, id: false, db: false, cells: METER_CELLS, short: false },
    { note: false, id: false, db: false, cells: METER_CELLS / 2, short: false },
    { note: false, id: false, db: false, cells: 0, short: false },
    { note: false, id: false, db: false, cells: 0, short: true },
  ];
  let line: Segment[] = [];
  for (const v of variants) {
    const groups: Segment[][] = [[stateSegment(o, unicode, v.short)], [{ text: formatClock(o.sessionMs) }]];
    if (v.id && id !== '') groups.push([{ text: id }]);
    if (v.cells > 0 || v.db || o.levels !== undefined) groups.push(levelGroup(o, v.cells, v.db, unicode));
    if (v.note && note !== '') groups.push([{ text: note, ...(o.theme ? { style: o.theme.yellow } : {}) }]);
    // A bare symbol ("●") reads as part of the clock; a word ("‖ paused") gets a separator.
    const bare = o.state === 'listening' || v.short;
    line = groups.flatMap((g, i) => (i === 0 ? g : [i === 1 && bare ? { text: ' ' } : sep, ...g]));
    if (widthOf(line) <= max) return render(line);
  }
  return render(cut(line, max));
}

function widthOf(segments: Segment[]): number {
  return segments.reduce((w, s) => w + displayWidth(s.text), 0);
}

function render(segments: Segment[]): string {
  return segments.map((s) => (s.style === undefined ? s.text : s.style(s.text))).join('');
}

/** Cuts to `max` columns, ending with "…" when something was cut. */
function cut(segments: Segment[], max: number): Segment[] {
  const out: Segment[] = [];
  let width = 0;
  const room = max - 1; // for the ellipsis
  for (const s of segments) {
    let text = '';
    for (const ch of s.text) {
      const w = displayWidth(ch);
      if (width + w > room) {
        if (text !== '') out.push({ ...s, text });
        out.push({ text: '…' });
        return out;
      }
      text += ch;
      width += w;
    }
    out.push({ ...s, text });
  }
  return out;
}

/** The progress of recorded input: "▶ talk.wav 00:00:12 / 00:01:30 (13%)" (no total for a stream). */
export function formatProgress(label: string, positionMs: number, durationMs: number | undefined): string {
  if (durationMs === undefined || durationMs <= 0) return `▶ ${label} ${formatClock(positionMs)}`;
  const pct = Math.min(100, Math.floor((positionMs / durationMs) * 100));
  return `▶ ${label} ${formatClock(Math.min(positionMs, durationMs))} / ${formatClock(durationMs)} (${pct}%)`;
}
