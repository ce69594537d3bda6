/**
 * What dictate reads of its own options (declared in options/table.ts, command `dictate`): every input, model,
 * language and stop option of a run works as in a normal run.
 */
import type { BackendName } from './backends.js';

export interface DictateOptions {
  enter: boolean;
  newline: boolean;
  toggle: boolean;
  notify: boolean;
  typeWith?: BackendName;
}

export const DICTATE_DESCRIPTION = 'Type what you say into the window that has the keyboard focus, one final turn at a time.';

/** What dictate needs of the parsed options (commander checked --type-with's value). */
export function dictateOptions(raw: Record<string, unknown>): DictateOptions {
  const typeWith = raw.typeWith as BackendName | undefined;
  return {
    enter: raw.enter === true,
    newline: raw.newline === true,
    toggle: raw.toggle === true,
    notify: raw.notify !== false,
    ...(typeWith === undefined ? {} : { typeWith }),
  };
}
