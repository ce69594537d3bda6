/**
 * The fish completion script (pure): one `complete` line per flag and per subcommand; files only where a
 * flag takes a file.
 */
import { subcommandArguments, subcommandFlags, type CompletionFlag, type CompletionSpec } from './spec.js';

/** A word as one single-quoted fish word (fish escapes only \ and ' inside single quotes). */
export function fishQuote(word: string): string {
  return `'${word.replace(/[\\']/g, '\\$&')}'`;
}

function flagLine(spec: CompletionSpec, flag: CompletionFlag, listFn: string, condition: string): string {
  const parts = ['complete -c', fishQuote(spec.command), '-n', fishQuote(condition)];
  if (flag.short !== undefined) parts.push('-s', flag.short.replace(/^-/, ''));
  parts.push('-l', flag.long.replace(/^--/, ''));
  const value = flag.value;
  if (value?.kind === 'file') parts.push('-r', '-F');
  else if (value?.kind === 'choices') parts.push('-x', '-a', fishQuote(value.values.join(' ')));
  else if (value?.kind === 'list') parts.push('-x', '-a', fishQuote(`(${listFn} ${value.list})`));
  else if (value?.kind === 'free') parts.push('-x');
  if (flag.description !== '') parts.push('-d', fishQuote(flag.description));
  return parts.join(' ');
}

export function formatFishCompletion(spec: CompletionSpec): string {
  const cmd = fishQuote(spec.command);
  const listFn = `__${spec.command.replace(/[^A-Za-z0-9_]/g, '_')}_list`;
  const names = spec.subcommands.map((s) => s.name).join(' ');
  const noSubcommand = `not __fish_seen_subcommand_from ${names}`;
  const lines = [
    `# fish completion for ${spec.command}`,
    `# Load it in this shell:   ${spec.command} completion fish | source`,
    `# Or for every new shell:  ${spec.command} completion fish > ~/.config/fish/completions/${spec.command}.fish`,
    '',
    '# Values that change (profiles, devices), from the binary itself; bounded so a slow listing never hangs the shell.',
    `function ${listFn}`,
    '    if command -q timeout',
    `        timeout ${spec.listTimeoutS} ${cmd} completion --list $argv[1] 2>/dev/null`,
    '    else',
    `        ${cmd} completion --list $argv[1] 2>/dev/null`,
    '    end',
    'end',
    '',
    `complete -c ${cmd} -f`,
    ...spec.subcommands.map(
      (s) => `complete -c ${cmd} -n ${fishQuote(`__fish_use_subcommand`)} -a ${fishQuote(s.name)} -d ${fishQuote(s.description)}`,
    ),
    ...spec.subcommands.flatMap((s) => {
      const seen = `__fish_seen_subcommand_from ${s.name}`;
      const args = subcommandArguments(s);
      return [
        ...(args.length === 0 ? [] : [`complete -c ${cmd} -n ${fishQuote(seen)} -a ${fishQuote(args.join(' '))}`]),
        ...subcommandFlags(spec, s).map((f) => flagLine(spec, f, listFn, seen)),
      ];
    }),
    ...spec.flags.map((f) => flagLine(spec, f, listFn, noSubcommand)),
  ];
  return `${lines.join('\n')}\n`;
}
