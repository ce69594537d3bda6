/**
 * The zsh completion script (pure): one `_arguments` spec per flag, works both from a file on $fpath
 * (#compdef) and sourced (`source <(live-transcribe completion zsh)`, after compinit).
 */
import { completionFunctionName } from './bash.js';
import {
  flagNames,
  subcommandArguments,
  subcommandFlags,
  type CompletionFlag,
  type CompletionSpec,
  type CompletionSubcommand,
  type ValueCompletion,
} from './spec.js';

/** A word as one single-quoted zsh word. */
export function zshQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Text inside an _arguments description or message: brackets and colons are syntax there. */
function escapeSpecText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/([[\]:])/g, '\\$1');
}

function valueSpec(fn: string, flag: CompletionFlag, value: ValueCompletion): string {
  const message = escapeSpecText(flag.long.replace(/^--/, ''));
  switch (value.kind) {
    case 'choices':
      return `:${message}:(${value.values.map((v) => v.replace(/([\\ ()'"])/g, '\\$1')).join(' ')})`;
    case 'file':
      return `:${message}:_files`;
    case 'list':
      return `:${message}:${fn}_list_${value.list}`;
    case 'free':
      return `:${message}: `;
  }
}

/** One _arguments spec: '(-o --output)'{-o,--output}'[description]:message:action'. */
function flagSpec(fn: string, flag: CompletionFlag): string {
  const names = flagNames(flag);
  const description = `${flag.description === '' ? '' : `[${escapeSpecText(flag.description)}]`}${flag.value === undefined ? '' : valueSpec(fn, flag, flag.value)}`;
  if (names.length === 1) return zshQuote(`${flag.long}${description}`);
  return `${zshQuote(`(${names.join(' ')})`)}{${names.join(',')}}${zshQuote(description)}`;
}

/** `_arguments` after a subcommand: its flags, and its arguments as the first word after it. */
function subcommandCase(fn: string, spec: CompletionSpec, sub: CompletionSubcommand): string {
  const specs = subcommandFlags(spec, sub).map((f) => flagSpec(fn, f));
  const args = subcommandArguments(sub);
  if (args.length > 0) specs.push(zshQuote(`1:${sub.name === 'completion' ? 'shell' : 'argument'}:(${args.join(' ')})`));
  return `      ${sub.name}) ${specs.length === 0 ? ':' : `_arguments -s -S ${specs.join(' ')}`} ;;`;
}

export function formatZshCompletion(spec: CompletionSpec): string {
  const fn = completionFunctionName(spec.command);
  const lists = [...new Set(spec.flags.flatMap((f) => (f.value?.kind === 'list' ? [f.value.list] : [])))];
  const listFunctions = lists
    .map((list) => `${fn}_list_${list}() {\n  local -a values\n  values=(\${(f)"$(${fn}_list ${list})"})\n  compadd -a values\n}`)
    .join('\n\n');
  const subcommands = spec.subcommands.map((s) => zshQuote(`${s.name}:${s.description.replace(/:/g, '\\:')}`)).join(' ');
  const subcommandCases = spec.subcommands.map((s) => subcommandCase(fn, spec, s)).join('\n');
  return `#compdef ${spec.command}
# zsh completion for ${spec.command}
# Load it in this shell (after compinit):  source <(${spec.command} completion zsh)
# Or for every new shell:  ${spec.command} completion zsh > "\${fpath[1]}/${fn}"   (then restart zsh)

# Values that change (profiles, devices), from the binary itself; bounded so a slow listing never hangs the shell.
${fn}_list() {
  if (( $+commands[timeout] )); then
    timeout ${spec.listTimeoutS} ${zshQuote(spec.command)} completion --list "$1" 2>/dev/null
  else
    ${zshQuote(spec.command)} completion --list "$1" 2>/dev/null
  fi
}

${listFunctions}

${fn}_subcommands() {
  local -a subcommands
  subcommands=(${subcommands})
  _describe -t commands 'command' subcommands
}

${fn}() {
  if (( CURRENT > 2 )) && [[ \${words[2]} == (${spec.subcommands.map((s) => s.name).join('|')}) ]]; then
    # The subcommand's own words: drop the command name so _arguments sees the subcommand as the command.
    shift words
    (( CURRENT-- ))
    case \${words[1]} in
${subcommandCases}
    esac
    return 0
  fi
  _arguments -s -S \\
${spec.flags.map((f) => `    ${flagSpec(fn, f)} \\`).join('\n')}
    '1:: :${fn}_subcommands'
}

if [[ \${funcstack[1]-} == ${fn} ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${zshQuote(spec.command)}
fi
`;
}
