/**
 * The typing sink: final turns only (typed text cannot be taken back, so never a partial), in order, one
 * typing command at a time (a queue). Turns are separated by a space, or a line break with --newline; --enter
 * presses Enter after each. Text the backend cannot type goes through the clipboard and a paste keystroke.
 */
import type { TranscriptEvent } from '../transcript/records.js';
import { needsUnicode, type Backend, type ClipboardTool, type Step } from './backends.js';
import type { RunStep } from './run-step.js';

export interface TyperOptions {
  backend: Backend;
  clipboard?: ClipboardTool;
  enter: boolean;
  newline: boolean;
  run: RunStep;
  /** A note for stderr (said once per kind), or a warning about a turn that failed. */
  note(kind: 'clipboard' | 'no-clipboard' | 'failed', detail: string): void;
  /** After a turn was typed (the benchmark's clock). */
  onTyped?: (text: string) => void;
  /** Makes the text's non-ASCII characters typeable before it is typed (X11: x11-keymap.ts); true when done. */
  prepare?: (text: string) => Promise<boolean>;
}

export interface Typer {
  write(event: TranscriptEvent): void;
  close(): void;
  /** Resolves once every turn written so far was typed. */
  drain(): Promise<void>;
}

/** The turn as typed: after a space (a line break with --newline), except the first turn and with --enter. */
export function withSeparator(text: string, first: boolean, o: Pick<TyperOptions, 'enter' | 'newline'>): string {
  return (first || o.enter ? '' : o.newline ? '\n' : ' ') + text;
}

/** The commands for one turn: the separator goes before every turn but the first (no trailing space). */
export function stepsFor(
  text: string,
  first: boolean,
  o: Pick<TyperOptions, 'backend' | 'clipboard' | 'enter' | 'newline'>,
  bound = false,
): { steps: Step[]; via: 'keys' | 'clipboard' | 'lossy' } {
  const whole = withSeparator(text, first, o);
  const enter = o.enter ? o.backend.enterKeys : [];
  if (o.backend.unicode || !needsUnicode(whole)) return { steps: [...o.backend.type(whole, { bound }), ...enter], via: 'keys' };
  if (o.clipboard === undefined || o.backend.pasteKeys === undefined) return { steps: [...o.backend.type(whole), ...enter], via: 'lossy' };
  return { steps: [{ command: o.clipboard.command, args: [...o.clipboard.args], stdin: whole }, ...o.backend.pasteKeys, ...enter], via: 'clipboard' };
}

export function createTyper(o: TyperOptions): Typer {
  let queue: Promise<void> = Promise.resolve();
  let first = true;
  const noted = new Set<string>();
  const noteOnce = (kind: 'clipboard' | 'no-clipboard'): void => {
    if (noted.has(kind)) return;
    noted.add(kind);
    o.note(kind, o.backend.name);
  };
  const type = async (text: string, isFirst: boolean): Promise<void> => {
    const whole = withSeparator(text, isFirst, o);
    const bound = o.prepare !== undefined && needsUnicode(whole) ? await o.prepare(whole) : false;
    const { steps, via } = stepsFor(text, isFirst, o, bound);
    if (via === 'clipboard') noteOnce('clipboard');
    if (via === 'lossy') noteOnce('no-clipboard');
    for (const step of steps) {
      const r = await o.run(step);
      if (!r.ok) {
        o.note('failed', r.reason);
        return;
      }
    }
    o.onTyped?.(text);
  };
  return {
    write(event) {
      if (event.type !== 'turn' || event.turn.text.trim() === '') return;
      const isFirst = first;
      first = false;
      queue = queue.then(() => type(event.turn.text, isFirst));
    },
    close() {},
    drain: () => queue,
  };
}
