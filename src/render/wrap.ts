/**
 * Wrapping on words to a terminal's width (issue 24.9): a long hint or a doctor row breaks between words,
 * never inside one, and its continuation rows keep the line's indent. Colour codes count for nothing. Pure.
 */
import { displayWidth } from '../core/text.js';

const SGR = /\u001b\[[0-9;]*m/g;

/** Columns `text` takes, colour codes left out. */
export function visibleWidth(text: string): number {
  return displayWidth(text.replace(SGR, ''));
}

/**
 * One line (no '\n') wrapped to `columns`: continuation rows start with `indent` (by default, as many spaces
 * as the line's own leading spaces). A word longer than a row stays whole (a URL is not cut).
 */
export function wrapLine(line: string, columns: number, indent?: string): string {
  if (columns <= 0 || visibleWidth(line) <= columns) return line;
  const lead = /^ */.exec(line)?.[0] ?? '';
  const next = indent ?? lead;
  const rows: string[] = [];
  let row = lead;
  let rowHasWord = false;
  // Each word with the spaces before it, kept as written (aligned columns stay aligned).
  for (const [, gap = '', word = ''] of line.slice(lead.length).matchAll(/( *)([^ ]+)/g)) {
    const candidate = `${row}${rowHasWord ? gap : ''}${word}`;
    if (rowHasWord && visibleWidth(candidate) > columns) {
      rows.push(row);
      row = `${next}${word}`;
    } else {
      row = candidate;
    }
    rowHasWord = true;
  }
  rows.push(row);
  return rows.join('\n');
}

/** Every line of `text` wrapped (lines keep their own indent; `extraIndent` is added on continuation rows). */
export function wrapText(text: string, columns: number | undefined, extraIndent = ''): string {
  if (columns === undefined) return text;
  return text
    .split('\n')
    .map((l) => wrapLine(l, columns, `${/^ */.exec(l)?.[0] ?? ''}${extraIndent}`))
    .join('\n');
}
