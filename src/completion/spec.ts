/**
 * What shell completion knows about the command line, as data: the flags (read from the commander program,
 * so a new flag is completed without touching this file), what each flag's value is (a fixed list, a file,
 * a list the binary prints at completion time, or free text) and the subcommands. The shell scripts
 * (bash.ts, zsh.ts, fish.ts) are formatted from it.
 */
import type { Command } from 'commander';
import { helpLine } from '../options/program.js';
import { flagsOf, optionNamed, optionsOf, type OptionSpec } from '../options/table.js';

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** Values the script asks the binary for (`live-transcribe completion --list KIND`), because they change. */
export const COMPLETION_LISTS = ['profiles', 'devices'] as const;
export type CompletionList = (typeof COMPLETION_LISTS)[number];

export type ValueCompletion =
  | { kind: 'choices'; values: readonly string[] }
  | { kind: 'file' }
  | { kind: 'list'; list: CompletionList }
  /** Free text (a key, a number): nothing to offer. */
  | { kind: 'free' };

export interface CompletionFlag {
  /** '--format'; every flag the program has a long name. */
  long: string;
  /** '-o', when there is one. */
  short?: string;
  description: string;
  /** undefined: a switch. */
  value?: ValueCompletion;
}

export interface CompletionSubcommand {
  name: string;
  description: string;
  /** Words offered after the subcommand (its flags or arguments). */
  words: readonly string[];
}

export interface CompletionSpec {
  /** The command completed: 'live-transcribe'. */
  command: string;
  flags: CompletionFlag[];
  subcommands: CompletionSubcommand[];
  /** Bound on each `completion --list` call from the script, so a slow device list never hangs the shell. */
  listTimeoutS: number;
}

/** How an option's value completes, from its kind in the option table. */
export function valueCompletion(option: OptionSpec): ValueCompletion {
  if (option.complete !== undefined) return { kind: 'list', list: option.complete };
  const value = option.value;
  if (value.kind === 'choice') return { kind: 'choices', values: value.values };
  if (value.kind === 'text' && value.suggest !== undefined) return { kind: 'choices', values: value.suggest };
  if (value.kind === 'file') return { kind: 'file' };
  return { kind: 'free' };
}

/** The flags of a command in the table, as the words completion offers after it. */
const flagWords = (command: 'doctor' | 'config'): string[] => optionsOf(command).flatMap((o) => flagsOf(o).filter((f) => f.startsWith('--')));

export const SUBCOMMANDS: readonly CompletionSubcommand[] = [
  { name: 'doctor', description: 'check SoX, the microphone, the key and the network', words: flagWords('doctor') },
  { name: 'config', description: 'print the effective settings and where each came from', words: flagWords('config') },
  { name: 'completion', description: 'print a shell completion script', words: [...COMPLETION_SHELLS, '--help'] },
  { name: 'help', description: 'show the help', words: [] },
];

export const DEFAULT_LIST_TIMEOUT_S = 2;

/** The completion spec of a commander program (createProgram: the table's options): its visible options, each value completing by its kind in the table, and SUBCOMMANDS. */
export function createCompletionSpec(program: Command, o: { listTimeoutS?: number } = {}): CompletionSpec {
  const flags: CompletionFlag[] = [];
  for (const option of program.createHelp().visibleOptions(program)) {
    if (option.long === undefined) continue;
    const flag: CompletionFlag = { long: option.long, description: option.description };
    if (option.short !== undefined) flag.short = option.short;
    const known = optionNamed(option.long.replace(/^--(no-)?/, ''));
    if (option.required || option.optional) flag.value = known === undefined ? { kind: 'free' } : valueCompletion(known);
    flags.push(flag);
  }
  return { command: program.name(), flags, subcommands: [...SUBCOMMANDS], listTimeoutS: o.listTimeoutS ?? DEFAULT_LIST_TIMEOUT_S };
}

/** Every name a flag goes by ('-o', '--output'). */
export function flagNames(flag: CompletionFlag): string[] {
  return flag.short === undefined ? [flag.long] : [flag.short, flag.long];
}

/** The flags of a subcommand: as the table declares them for it (its own words), else the main program's flag of the same name. */
export function subcommandFlags(spec: CompletionSpec, sub: CompletionSubcommand): CompletionFlag[] {
  return sub.words
    .filter((w) => w.startsWith('-'))
    .map((w) => tableFlag(sub.name, w) ?? spec.flags.find((f) => f.long === w) ?? { long: w, description: '' });
}

/** A flag of `doctor` or `config` from the table, described in that command's words. */
function tableFlag(command: string, long: string): CompletionFlag | undefined {
  if (command !== 'doctor' && command !== 'config') return undefined;
  const option = optionsOf(command).find((o) => flagsOf(o).includes(long));
  if (option === undefined) return undefined;
  const flag: CompletionFlag = { long, description: helpLine(option, command) };
  if (option.short !== undefined) flag.short = `-${option.short}`;
  if (option.value.kind !== 'switch' && option.value.kind !== 'optional') flag.value = valueCompletion(option);
  return flag;
}

/** The arguments a subcommand takes (`completion bash`). */
export function subcommandArguments(sub: CompletionSubcommand): string[] {
  return sub.words.filter((w) => !w.startsWith('-'));
}
