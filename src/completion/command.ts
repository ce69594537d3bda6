/**
 * `live-transcribe completion bash|zsh|fish` prints a completion script; `live-transcribe completion --list
 * profiles|devices` prints the values the scripts ask for at completion time, one a line. Never exits:
 * runCompletionCommand() resolves to an exit code.
 */
import type { Command } from 'commander';
import type { DeviceListing } from '../devices/list-devices.js';
import { ExitCode } from '../core/errors.js';
import { formatBashCompletion } from './bash.js';
import { formatFishCompletion } from './fish.js';
import { formatZshCompletion } from './zsh.js';
import { COMPLETION_LISTS, COMPLETION_SHELLS, createCompletionSpec, type CompletionList, type CompletionShell, type CompletionSpec } from './spec.js';

export function formatCompletionScript(shell: CompletionShell, spec: CompletionSpec): string {
  if (shell === 'bash') return formatBashCompletion(spec);
  if (shell === 'zsh') return formatZshCompletion(spec);
  return formatFishCompletion(spec);
}

export interface CompletionValueDeps {
  /** Profile names of the config file (the `[profiles.NAME]` tables). May throw (a broken file). */
  profiles: () => Promise<readonly string[]> | readonly string[];
  /** The device list, e.g. `() => listDevices({ platform, env, exec: execCommand })`. */
  devices: () => Promise<DeviceListing>;
  /** Bound on one listing; past it the list is empty (the shell is waiting). Default 1500 ms. */
  timeoutMs?: number;
}

export const COMPLETION_LIST_TIMEOUT_MS = 1500;

/** A value the shell can offer as one word: no line breaks or other control characters. */
const offerable = (value: string): boolean => value !== '' && !/[\u0000-\u001f\u007f]/.test(value);

/**
 * The values of `kind`, deduplicated, in the order given. Resolves to [] when the listing takes longer than
 * the timeout; rejects when the listing fails (a broken config file).
 */
export async function listCompletionValues(kind: CompletionList, deps: CompletionValueDeps): Promise<string[]> {
  const listing = async (): Promise<readonly string[]> => (kind === 'profiles' ? deps.profiles() : (await deps.devices()).devices.map((d) => d.name));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<readonly string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), deps.timeoutMs ?? COMPLETION_LIST_TIMEOUT_MS);
  });
  try {
    const values = await Promise.race([listing(), timeout]);
    return [...new Set(values.filter(offerable))];
  } finally {
    clearTimeout(timer);
  }
}

export interface CompletionIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** The main program (`createProgram(version)`): its flags are what the scripts complete. */
  program: Command;
  values: CompletionValueDeps;
}

const USAGE = `Usage: live-transcribe completion bash|zsh|fish

Print a shell completion script. Install it:
  bash  source <(live-transcribe completion bash)              in ~/.bashrc
  zsh   source <(live-transcribe completion zsh)               in ~/.zshrc, after compinit
  fish  live-transcribe completion fish > ~/.config/fish/completions/live-transcribe.fish

The scripts call \`live-transcribe completion --list profiles|devices\` for values that change.
`;

function usageError(io: CompletionIO, message: string): number {
  io.stderr.write(`error: ${message}\n  run live-transcribe completion --help for usage\n`);
  return ExitCode.usage;
}

const isOneOf = <T extends string>(list: readonly T[], value: string | undefined): value is T =>
  (list as readonly (string | undefined)[]).includes(value);

/** `completion ARGS` (argv after the word `completion`). Exit 0, 1 (a listing failed) or 2 (usage). */
export async function runCompletionCommand(argv: readonly string[], io: CompletionIO): Promise<number> {
  const [first, second, ...extra] = argv;
  if (first === '-h' || first === '--help') {
    io.stdout.write(USAGE);
    return ExitCode.ok;
  }
  if (first === '--list' || first?.startsWith('--list=') === true) {
    const kind = first === '--list' ? second : first.slice('--list='.length);
    if (!isOneOf(COMPLETION_LISTS, kind)) return usageError(io, `--list takes one of: ${COMPLETION_LISTS.join(', ')}`);
    if ((first === '--list' ? extra : [second, ...extra]).some((a) => a !== undefined)) return usageError(io, 'too many arguments');
    try {
      const values = await listCompletionValues(kind, io.values);
      io.stdout.write(values.map((v) => `${v}\n`).join(''));
      return ExitCode.ok;
    } catch (err) {
      io.stderr.write(`error: cannot list ${kind}: ${(err as Error).message}\n`);
      return ExitCode.failure;
    }
  }
  if (first === undefined) return usageError(io, `name a shell: ${COMPLETION_SHELLS.join(', ')}`);
  if (!isOneOf(COMPLETION_SHELLS, first)) return usageError(io, `unknown shell "${first}": choose one of ${COMPLETION_SHELLS.join(', ')}`);
  if (second !== undefined) return usageError(io, 'too many arguments');
  io.stdout.write(formatCompletionScript(first, createCompletionSpec(io.program)));
  return ExitCode.ok;
}
