/**
 * The line each key of a TOML document is written on, so that errors about values can name it
 * (smol-toml reports positions only for syntax errors). Pure; a line scanner, not a second parser: it is
 * only asked about documents smol-toml has already accepted.
 */

/** One key of the tree: its line, and the keys under it. */
export interface KeyNode {
  line: number | undefined;
  children: Map<string, KeyNode>;
}

/**
 * Key paths ("profiles", "work", "format") -> 1-based line, as a tree walked one part at a time: linear in
 * the path's length (a 50,000-part table name must not cost 50,000 copies of its prefixes; issue 19.8).
 */
export class KeyLines {
  private readonly root: KeyNode = { line: undefined, children: new Map() };

  /**
   * Records the path (under `from`, the root by default) and, for table headers, the tables it implies
   * ([a.b] also writes a). Returns the path's node, so the keys of a table are recorded from there.
   */
  record(path: readonly string[], line: number, from: KeyNode = this.root): KeyNode {
    let node = from;
    for (const part of path) {
      let child = node.children.get(part);
      if (child === undefined) {
        child = { line: undefined, children: new Map() };
        node.children.set(part, child);
      }
      child.line ??= line;
      node = child;
    }
    return node;
  }

  /** The line of the key, else of its nearest ancestor written on a line of its own (inline tables). */
  lineOf(path: readonly string[]): number | undefined {
    let node: KeyNode | undefined = this.root;
    let found: number | undefined;
    for (const part of path) {
      node = node.children.get(part);
      if (node === undefined) break;
      if (node.line !== undefined) found = node.line;
    }
    return found;
  }
}

export function locateKeys(text: string): KeyLines {
  const found = new KeyLines();
  let table: KeyNode | undefined;
  let openString: string | undefined;
  text.split(/\r?\n/).forEach((line, index) => {
    if (openString !== undefined) {
      if (count(line, openString) % 2 === 1) openString = undefined;
      return;
    }
    const header = /^\s*\[\[?/.exec(line);
    if (header !== null) {
      const keys = readKeyPath(line, header[0].length);
      if (keys !== undefined) table = found.record(keys.path, index + 1);
      return;
    }
    const keys = readKeyPath(line, 0);
    if (keys === undefined || line[keys.end] !== '=') return;
    found.record(keys.path, index + 1, table);
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

const BARE = /[A-Za-z0-9_-]+/y;
const BASIC = /"(?:[^"\\]|\\.)*"/y;

/** One part of a key at `pos`, read in place (sticky patterns, no copy of the rest of the line). */
function readKeyPart(line: string, pos: number): { key: string; end: number } | undefined {
  BARE.lastIndex = pos;
  const bare = BARE.exec(line);
  if (bare !== null) return { key: bare[0], end: pos + bare[0].length };
  if (line[pos] === "'") {
    const close = line.indexOf("'", pos + 1);
    return close < 0 ? undefined : { key: line.slice(pos + 1, close), end: close + 1 };
  }
  BASIC.lastIndex = pos;
  const basic = BASIC.exec(line);
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
