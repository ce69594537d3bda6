/** Pure text helpers for terminal output: sanitising untrusted text and measuring its display width. */

/**
 * Removes control characters (C0, DEL, C1) so text from the network can never move the cursor or
 * inject escape sequences, and folds line breaks into spaces (one turn = one line).
 */
export function sanitize(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u200b\u2028\u2029]/g, '');
}

/**
 * Keeps the lines of a block (a file's lines quoted in an error) but shows each other control character as
 * one "?", so the block keeps its columns and can never move the cursor or colour the terminal (issue 19.8).
 */
export function sanitizeBlock(text: string): string {
  return text
    .replace(/\r?\n/g, '\n')
    .replace(/\t/g, ' ')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
}

const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
// biome-ignore lint/suspicious/noMisleadingCharacterClass: the joiners are matched one by one on purpose (their width is zero)
const ZERO = /[\p{Mn}\p{Me}\u200d\ufe0f]/u;

/** Columns the text occupies in a terminal (East Asian wide = 2, combining marks = 0). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    if (ZERO.test(ch)) continue;
    width += WIDE.test(ch) ? 2 : 1;
  }
  return width;
}

/** Rows a line of this width takes in a terminal this wide (at least 1). */
export function rowsFor(width: number, columns: number): number {
  if (columns <= 0) return 1;
  return Math.max(1, Math.ceil(width / columns));
}

/**
 * A name as a shell word, sanitized: as it is when it holds only safe characters, else in double quotes
 * with `"`, `\\`, `$` and backquote escaped (a POSIX shell reads it back as the name; so does PowerShell
 * for names without those four).
 */
export function shellQuote(name: string): string {
  const clean = sanitize(name);
  return /^[\w@%+=:,./-]+$/.test(clean) ? clean : `"${clean.replace(/(["\\$`])/g, '\\$1')}"`;
}
