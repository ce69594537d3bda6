/**
 * Reads the API key for `login`: from a terminal without echo (raw mode, nothing written back but the
 * prompt), or the whole of standard input when it is a pipe or a file. Never writes the key anywhere.
 */

export interface KeyInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

export type KeyRead = { kind: 'key'; key: string } | { kind: 'empty' } | { kind: 'interrupted' };

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACES = new Set(['\u007f', '\b']);
const CTRL_U = '\u0015';

/** One terminal keystroke chunk applied to the line typed so far; 'enter' / 'interrupt' end it. */
export function applyKeys(typed: string, chunk: string): { typed: string; end?: 'enter' | 'interrupt' } {
  let line = typed;
  for (const ch of chunk) {
    if (ch === CTRL_C) return { typed: line, end: 'interrupt' };
    if (ch === '\r' || ch === '\n' || ch === CTRL_D) return { typed: line, end: 'enter' };
    if (BACKSPACES.has(ch)) line = [...line].slice(0, -1).join('');
    else if (ch === CTRL_U) line = '';
    else if (ch >= ' ') line += ch;
  }
  return { typed: line };
}

function fromTerminal(input: KeyInput): Promise<KeyRead> {
  return new Promise((resolve) => {
    let typed = '';
    input.setRawMode?.(true);
    input.setEncoding('utf8');
    const finish = (r: KeyRead): void => {
      input.removeListener('data', onData);
      input.setRawMode?.(false);
      input.pause();
      resolve(r);
    };
    const onData = (chunk: string | Buffer): void => {
      const next = applyKeys(typed, String(chunk));
      typed = next.typed;
      if (next.end === 'interrupt') finish({ kind: 'interrupted' });
      else if (next.end === 'enter') finish(typed.trim() === '' ? { kind: 'empty' } : { kind: 'key', key: typed.trim() });
    };
    input.on('data', onData);
    input.resume();
  });
}

/** Piped input: the first non-blank line (a key file may end with a newline). */
async function fromPipe(input: KeyInput): Promise<KeyRead> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.length > 64 * 1024) break;
  }
  const key = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '');
  return key === undefined ? { kind: 'empty' } : { kind: 'key', key };
}

export function readKey(input: KeyInput): Promise<KeyRead> {
  return input.isTTY === true ? fromTerminal(input) : fromPipe(input);
}
