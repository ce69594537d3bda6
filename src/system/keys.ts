/**
 * Single-key commands on an interactive terminal: Enter ends the current turn now, p pauses and resumes,
 * ? asks a question about the transcript so far (issue 23), q stops like Ctrl+C. stdin goes into raw mode,
 * where the terminal no longer turns Ctrl+C into SIGINT: it arrives here as a byte (0x03) and is passed to
 * onInterrupt, so the caller must treat it exactly as its SIGINT handler does.
 *
 * Use it only when stdin is a TTY and is not the audio input (`--input -`); startKeyboard() does nothing
 * on a non-TTY. The caller owns stop(), which restores the terminal mode and lets the process exit. Node
 * also restores the terminal mode at exit, so a crash does not leave the terminal raw.
 */

export type Key = 'enter' | 'pause' | 'quit' | 'interrupt' | 'ask';

export interface KeyHandlers {
  /** Enter: end the current turn now (send ForceEndpoint). */
  onEnter(): void;
  /** p / P: pause or resume capture. */
  onPause(): void;
  /** q / Q / Ctrl+D: stop gracefully, like the first Ctrl+C. */
  onQuit(): void;
  /** Ctrl+C, which raw mode delivers as a key instead of SIGINT: do what the SIGINT handler does. */
  onInterrupt(): void;
  /** ?: open the question prompt (issue 23). */
  onAsk?(): void;
}

/** The parts of process.stdin this uses (a tty.ReadStream fits). */
export interface KeyboardInput {
  readonly isTTY?: boolean;
  readonly isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface Keyboard {
  /** False when stdin is not a terminal: no keys will come. */
  readonly active: boolean;
  /** Stops listening, restores the previous terminal mode and pauses stdin. Idempotent. */
  stop(): void;
  /**
   * While a listener is set, every chunk goes to it instead of being read as commands (the question
   * prompt's line editor, issue 23); undefined gives the keys back.
   */
  divert(listener: ((chunk: Buffer) => void) | undefined): void;
}

/** For the "Listening..." line. */
export const KEY_HELP = 'Enter: end the turn, p: pause, ?: ask a question, q: quit';

const ESC = 0x1b;

/**
 * The commands in one chunk of raw terminal input (pure). Escape sequences (arrows, function keys,
 * Alt+key) and other keys are ignored. A chunk with more than one printable character is a paste, not
 * typing: only Ctrl+C counts in it, so pasting "quips" does not pause and quit.
 */
export function parseKeys(chunk: Buffer | string): Key[] {
  const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  const keys: Key[] = [];
  let printable = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === ESC) {
      i = endOfEscape(bytes, i);
      continue;
    }
    if (b === 0x03) keys.push('interrupt');
    else if (b === 0x04) keys.push('quit');
    else if (b === 0x0d) {
      keys.push('enter');
      if (bytes[i + 1] === 0x0a) i++; // CR LF is one Enter
    } else if (b === 0x0a) keys.push('enter');
    else if (b >= 0x20 && b !== 0x7f) {
      // UTF-8 continuation bytes belong to the character already counted.
      if ((b & 0xc0) !== 0x80) printable++;
      if (b === 0x70 || b === 0x50) keys.push('pause');
      else if (b === 0x71 || b === 0x51) keys.push('quit');
      else if (b === 0x3f) keys.push('ask');
    }
  }
  return printable > 1 ? keys.filter((k) => k === 'interrupt') : keys;
}

/** Index of the last byte of the escape sequence starting at `start` (CSI, SS3, or ESC + one key). */
function endOfEscape(bytes: Buffer, start: number): number {
  const next = bytes[start + 1];
  if (next === undefined) return start;
  if (next === 0x5b /* [ */) {
    for (let j = start + 2; j < bytes.length; j++) if (bytes[j]! >= 0x40 && bytes[j]! <= 0x7e) return j;
    return bytes.length - 1;
  }
  if (next === 0x4f /* O */) return Math.min(start + 2, bytes.length - 1);
  return start + 1; // Alt+key: the key is not a command
}

/**
 * Puts a TTY stdin into raw mode and calls a handler for each command key. On a non-TTY it returns an
 * inactive keyboard and touches nothing.
 */
export function startKeyboard(stdin: KeyboardInput, handlers: KeyHandlers): Keyboard {
  if (stdin.isTTY !== true || typeof stdin.setRawMode !== 'function') return { active: false, stop() {}, divert() {} };
  const wasRaw = stdin.isRaw === true;
  let diverted: ((chunk: Buffer) => void) | undefined;
  const onData = (chunk: Buffer | string): void => {
    if (diverted !== undefined) {
      diverted(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      return;
    }
    for (const key of parseKeys(chunk)) {
      if (key === 'enter') handlers.onEnter();
      else if (key === 'pause') handlers.onPause();
      else if (key === 'quit') handlers.onQuit();
      else if (key === 'ask') handlers.onAsk?.();
      else handlers.onInterrupt();
    }
  };
  stdin.setRawMode(true);
  stdin.on('data', onData);
  stdin.resume();
  let stopped = false;
  return {
    active: true,
    divert(listener): void {
      diverted = listener;
    },
    stop(): void {
      if (stopped) return;
      stopped = true;
      stdin.off('data', onData);
      stdin.setRawMode?.(wasRaw);
      // A flowing stdin keeps the event loop alive: pause it so the process can exit by itself.
      stdin.pause();
    },
  };
}
