/**
 * A sentence for the commonest mistake in a hand-written config file (issue 24.8): a string without quotes,
 * `format = srt`, which TOML only calls an "invalid value". Pure.
 */

const BARE_WORD = /^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=\s*([A-Za-z_][^\s#"']*)\s*(#.*)?$/;
const TOML_WORDS = new Set(['true', 'false', 'inf', 'nan']);

/** `strings need quotes: format = "srt"` when `line` sets a key to a bare word; undefined otherwise. */
export function formatUnquotedStringHint(line: string): string | undefined {
  const m = BARE_WORD.exec(line);
  if (m === null) return undefined;
  const [, key, word] = m;
  if (key === undefined || word === undefined || TOML_WORDS.has(word)) return undefined;
  return `strings need quotes: ${key} = "${word.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
