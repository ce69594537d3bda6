/**
 * The config file's top-level `api-key` line, set and removed as text (pure), so that comments, profiles and
 * every other line of the user's file stay as they were. Top-level keys must come before the first [table]
 * in TOML, so a new line goes first (after the file's opening comments).
 */

const TABLE = /^\s*\[/;
const API_KEY_LINE = /^\s*(?:api-key|"api-key"|'api-key')\s*=/;

/** A TOML basic string: quotes, backslashes and control characters escaped. */
export function tomlString(value: string): string {
  return `"${value.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => (c === '\\' || c === '"' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}"`;
}

/** Index of the first [table] line, or the number of lines. */
function topEnd(lines: string[]): number {
  const i = lines.findIndex((l) => TABLE.test(l));
  return i === -1 ? lines.length : i;
}

/** The file without its top-level api-key line(s); `removed` says whether there was one. */
export function withoutApiKey(text: string): { text: string; removed: boolean } {
  const lines = text.split('\n');
  const end = topEnd(lines);
  const kept = lines.filter((l, i) => i >= end || !API_KEY_LINE.test(l));
  return { text: kept.join('\n'), removed: kept.length !== lines.length };
}

/** The file with `api-key = "<key>"` as its top-level key, replacing one there was. */
export function withApiKey(text: string, key: string): string {
  const lines = withoutApiKey(text).text.split('\n');
  let at = 0;
  while (at < lines.length && /^\s*#/.test(lines[at] ?? '')) at++;
  const line = `api-key = ${tomlString(key)}`;
  if (text === '') return `${line}\n`;
  lines.splice(at, 0, line);
  return lines.join('\n');
}
