/**
 * The line each key of a TOML document is written on, so that errors about values can name it
 * (smol-toml reports positions only for syntax errors). Pure; a line scanner, not a second parser: it is
 * only asked about documents smol-toml has already accepted.
 */

/** Key paths ("profiles", "work", "format") -> 1-based line. */
export class KeyLines {
  private readonly lines = new Map<string, number>();

  /** Records the path and, for table headers, the tables it implies ([a.b] also writes a). */
  record(path: readonly string[], line: number): void {
    for (let n = 1; n <= path.length; n++) {
      const id = JSON.stringify(path.slice(0, n));
      if (!this.lines.has(id)) this.lines.set(id, line);
    }
  }

  /** The line of the key, else of its nearest ancestor written on a line of its own (inline tables). */
  lineOf(path: readonly string[]): number | undefined {
    for (let n = path.length; n > 0; n--) {
      const line = this.lines.get(JSON.stringify(path.slice(0, n)));
      if (line !== undefined) return line;
    }
    return undefined;
  }
}

export function locateKeys(text: string): KeyLines {
  const found = new KeyLines();
  let table: string[] = [];
  let openString: string | undefined;
  text.split(/\r?\n/).forEach((line, index) => {
    if (openString !== undefined) {
      if (count(line, openString) % 2 === 1) openString = undefined;
      return;
    }
    const header = /^\s*\[\[?/.exec(line);
    if (header !== null) {
      const keys = readKeyPath(line, header[0].length);
      if (keys !== undefined) {
        table = keys.path;
        found.record(table, index + 1);
      }
      return;
    }
    const keys = readKeyPath(line, 0);
    if (keys === undefined || line[keys.end] !== '=') return;
    found.record([...table, ...keys.path], index + 1);
    const rest = line.slice(keys.end + 1);
    for (const delimiter of ['"""', "'''"]) if (count(rest, delimiter) % 2 === 1) openString = delimiter;
  });
  return found;
}

/** A dotted key starting at `start` (bare, "basic" or 'literal' parts); `end` is past trailing blanks. */
function readKeyPath(line: string, start: number): { path: string[]; end: number } | undefined {
  const path: string[] = [];
  let pos = skipBlanks(line, start);
  for (;;) {
    const part = readKeyPart(line, pos);
    if (part === undefined) return undefined;
    path.push(part.key);
    pos = skipBlanks(line, part.end);
    if (line[pos] !== '.') return { path, end: pos };
    pos = skipBlanks(line, pos + 1);
  }
}

function readKeyPart(line: string, pos: number): { key: string; end: number } | undefined {
  const bare = /^[A-Za-z0-9_-]+/.exec(line.slice(pos));
  if (bare !== null) return { key: bare[0], end: pos + bare[0].length };
  if (line[pos] === "'") {
    const close = line.indexOf("'", pos + 1);
    return close < 0 ? undefined : { key: line.slice(pos + 1, close), end: close + 1 };
  }
  const basic = /^"(?:[^"\\]|\\.)*"/.exec(line.slice(pos));
  if (basic === null) return undefined;
  try {
    return { key: JSON.parse(basic[0]) as string, end: pos + basic[0].length };
  } catch {
    return { key: basic[0].slice(1, -1), end: pos + basic[0].length };
  }
}

function skipBlanks(line: string, pos: number): number {
  while (line[pos] === ' ' || line[pos] === '\t') pos++;
  return pos;
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
