/**
 * What shell completion knows about the command line, as data: the flags (read from the commander program,
 * so a new flag is completed without touching this file), what each flag's value is (a fixed list, a file,
 * a list the binary prints at completion time, or free text) and the subcommands. The shell scripts
 * (bash.ts, zsh.ts, fish.ts) are formatted from it.
 */
import type { Command } from 'commander';
import { SPEECH_MODELS } from '../config.js';
import { ENCODINGS, OUTPUT_FORMATS } from '../types.js';

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

/** The `--mode` values of the newer speech models (PROTOCOL.md §2.2). */
export const MODES = ['min_latency', 'balanced', 'max_accuracy'] as const;
export const VOICE_FOCUS = ['near-field', 'far-field'] as const;

/**
 * How each flag's value completes, by long name. A flag missing here that takes a value completes as free
 * text; an entry for a flag the program does not have is never used.
 */
export const VALUE_COMPLETIONS: Readonly<Record<string, ValueCompletion>> = {
  '--format': { kind: 'choices', values: OUTPUT_FORMATS },
  '--encoding': { kind: 'choices', values: ENCODINGS },
  '--speech-model': { kind: 'choices', values: SPEECH_MODELS },
  '--mode': { kind: 'choices', values: MODES },
  '--voice-focus': { kind: 'choices', values: VOICE_FOCUS },
  '--input': { kind: 'file' },
  '--output': { kind: 'file' },
  '--save-audio': { kind: 'file' },
  '--keyterms-file': { kind: 'file' },
  '--config': { kind: 'file' },
  '--profile': { kind: 'list', list: 'profiles' },
  '--device': { kind: 'list', list: 'devices' },
};

export const SUBCOMMANDS: readonly CompletionSubcommand[] = [
  { name: 'doctor', description: 'check SoX, the microphone, the key and the network', words: ['--device', '--sample-rate', '--api-host', '--api-key', '--token', '--no-color', '--captions', '--help'] },
  { name: 'config', description: 'print the effective settings and where each came from', words: ['--path', '--init', '--config', '--profile', '--help'] },
  { name: 'completion', description: 'print a shell completion script', words: [...COMPLETION_SHELLS, '--help'] },
  { name: 'help', description: 'show the help', words: [] },
];

export const DEFAULT_LIST_TIMEOUT_S = 2;

/** The completion spec of a commander program: its visible options (help and version included) and SUBCOMMANDS. */
export function createCompletionSpec(program: Command, o: { listTimeoutS?: number } = {}): CompletionSpec {
  const flags: CompletionFlag[] = [];
  for (const option of program.createHelp().visibleOptions(program)) {
    if (option.long === undefined) continue;
    const flag: CompletionFlag = { long: option.long, description: option.description };
    if (option.short !== undefined) flag.short = option.short;
    if (option.required || option.optional) flag.value = VALUE_COMPLETIONS[option.long] ?? { kind: 'free' };
    flags.push(flag);
  }
  return { command: program.name(), flags, subcommands: [...SUBCOMMANDS], listTimeoutS: o.listTimeoutS ?? DEFAULT_LIST_TIMEOUT_S };
}

/** Every name a flag goes by ('-o', '--output'). */
export function flagNames(flag: CompletionFlag): string[] {
  return flag.short === undefined ? [flag.long] : [flag.short, flag.long];
}

/** The flags of a subcommand: the main program's flag of the same name (its value completes the same way), else a bare switch. */
export function subcommandFlags(spec: CompletionSpec, sub: CompletionSubcommand): CompletionFlag[] {
  return sub.words
    .filter((w) => w.startsWith('-'))
    .map((w) => spec.flags.find((f) => f.long === w) ?? { long: w, description: '' });
}

/** The arguments a subcommand takes (`completion bash`). */
export function subcommandArguments(sub: CompletionSubcommand): string[] {
  return sub.words.filter((w) => !w.startsWith('-'));
}
