/**
 * The bash completion script (pure). Plain `complete -F`, no bash-completion helpers, so it works where that
 * package is absent; sourceable under `set -u`; values that change (profiles, devices) come from the binary
 * at completion time, bounded by `timeout` where it exists.
 */
import { flagNames, type CompletionSpec, type ValueCompletion } from './spec.js';

/** A word as one single-quoted bash word. */
export function bashQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A shell function name made from a command name: 'live-transcribe' -> '_live_transcribe'. */
export function completionFunctionName(command: string): string {
  return `_${command.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

const words = (list: readonly string[]): string => list.map(bashQuote).join(' ');

function valueAction(fn: string, value: ValueCompletion): string {
  switch (value.kind) {
    case 'choices':
      return `${fn}_add "$2" "$3" quote < <(printf '%s\\n' ${words(value.values)})`;
    case 'file':
      // bash quotes file names itself with -o filenames (bash 4+; compopt is missing in bash 3.2).
      return `compopt -o filenames 2>/dev/null; ${fn}_add "$2" "$3" '' < <(compgen -f -- "\${3//\\\\/}")`;
    case 'list':
      return `${fn}_add "$2" "$3" quote < <(${fn}_list ${value.list})`;
    case 'free':
      return ':';
  }
}

/** The `case` arms of the value function: one per flag that takes a value. */
function valueCases(fn: string, spec: CompletionSpec): string {
  return spec.flags
    .filter((f) => f.value !== undefined)
    .map((f) => `    ${flagNames(f).join('|')}) ${valueAction(fn, f.value ?? { kind: 'free' })} ;;`)
    .join('\n');
}

function subcommandCases(fn: string, spec: CompletionSpec): string {
  return spec.subcommands
    .map((s) => `    ${s.name}) ${s.words.length === 0 ? ':' : `${fn}_add "$cur" "$cur" '' < <(printf '%s\\n' ${words(s.words)})`} ;;`)
    .join('\n');
}

export function formatBashCompletion(spec: CompletionSpec): string {
  const fn = completionFunctionName(spec.command);
  const cmd = bashQuote(spec.command);
  const flags = words(spec.flags.flatMap(flagNames));
  const subcommands = words(spec.subcommands.map((s) => s.name));
  return `# bash completion for ${spec.command}
# Load it in this shell:   source <(${spec.command} completion bash)
# Or for every new shell:  ${spec.command} completion bash > ~/.local/share/bash-completion/completions/${spec.command}
#                          (or add the first line to ~/.bashrc)

# Values that change (profiles, devices), from the binary itself; bounded so a slow listing never hangs the shell.
${fn}_list() {
  if command -v timeout >/dev/null 2>&1; then
    timeout ${spec.listTimeoutS} ${cmd} completion --list "$1" 2>/dev/null
  else
    ${cmd} completion --list "$1" 2>/dev/null
  fi
}

# Adds the candidates on stdin that start with $2 (the value part of the word $1) to COMPREPLY, as readline
# will insert them: without what precedes the word's last COMP_WORDBREAKS character, escaped when $3 = quote.
${fn}_add() {
  local cur=$1 value=\${2//\\\\/} keep=\${1%"$2"} quote=$3 pre='' k=0 c='' full=''
  for ((k = \${#cur} - 1; k >= 0; k--)); do
    if [[ \${COMP_WORDBREAKS-} == *"\${cur:k:1}"* ]] && { ((k == 0)) || [[ \${cur:k-1:1} != '\\' ]]; }; then break; fi
  done
  pre=\${cur:0:k+1}
  while IFS= read -r c; do
    [[ -n $c && $c == "$value"* ]] || continue
    full=$keep$c
    full=\${full#"$pre"}
    if [[ $quote == quote ]]; then printf -v full '%q' "$full"; fi
    COMPREPLY+=("$full")
  done
}

# $1: the flag before the value, $2: the word, $3: the value part of it. Fails when $1 takes no value.
${fn}_value() {
  case $1 in
${valueCases(fn, spec)}
    *) return 1 ;;
  esac
  return 0
}

${fn}() {
  local line=\${COMP_LINE:0:COMP_POINT} i=$COMP_CWORD cur=\${COMP_WORDS[COMP_CWORD]-} flag='' value='' sub=''
  # bash splits "--format=srt" and "hw:1" at = and : (COMP_WORDBREAKS): glue the pieces back together.
  while ((i > 1)) && [[ \${COMP_WORDS[i-1]} == *[=:] || $cur == [=:]* ]] && [[ $line == *"\${COMP_WORDS[i-1]}$cur" ]]; do
    cur=\${COMP_WORDS[i-1]}$cur
    i=$((i - 1))
  done
  COMPREPLY=()
  value=$cur
  if [[ $cur == --*=* ]]; then
    flag=\${cur%%=*}
    value=\${cur#*=}
  elif ((i > 1)); then
    flag=\${COMP_WORDS[i-1]}
  fi
  if ${fn}_value "$flag" "$cur" "$value"; then return 0; fi
  if ((i > 1)); then sub=\${COMP_WORDS[1]-}; fi
  case $sub in
${subcommandCases(fn, spec)}
    *)
      if [[ $cur == -* ]]; then
        ${fn}_add "$cur" "$cur" '' < <(printf '%s\\n' ${flags})
      elif ((i == 1)); then
        ${fn}_add "$cur" "$cur" '' < <(printf '%s\\n' ${subcommands})
      fi
      ;;
  esac
  return 0
}

complete -F ${fn} ${cmd}
`;
}
