/**
 * dictate's own options (issue 21), added to the normal run's program: every input, model, language and stop
 * option works as in a normal run. Kept here, in one block, so the option table can take them over.
 */
import { Option, type Command } from 'commander';
import { BACKEND_NAMES, type BackendName } from './backends.js';

export interface DictateOptions {
  enter: boolean;
  newline: boolean;
  toggle: boolean;
  notify: boolean;
  typeWith?: BackendName;
}

export function addDictateOptions(program: Command): Command {
  return program
    .name('live-transcribe dictate')
    .description('Type what you say into the window that has the keyboard focus, one final turn at a time.')
    .option('--enter', 'press Enter after each turn (a chat, a coding agent)')
    .option('--newline', 'a line break between turns instead of a space')
    .addOption(new Option('--type-with <name>', 'how to type, instead of the one found for this desktop').choices([...BACKEND_NAMES]))
    .option('--toggle', 'start dictation, or stop the one running (for a desktop shortcut)')
    .option('--no-notify', 'no desktop notification when dictation starts and stops');
}

/** What dictate needs of the parsed options (commander checked --type-with's value). */
export function dictateOptions(raw: Record<string, unknown>): DictateOptions {
  const typeWith = raw.typeWith as BackendName | undefined;
  return { enter: raw.enter === true, newline: raw.newline === true, toggle: raw.toggle === true, notify: raw.notify !== false, ...(typeWith === undefined ? {} : { typeWith }) };
}
