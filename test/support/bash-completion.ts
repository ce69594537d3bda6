/**
 * bash's side of a completion, for the tests that run the completion script in real bash: COMP_WORDS,
 * COMP_CWORD, COMP_LINE and COMP_POINT set the way bash sets them (under `set -u`, no bash-completion loaded),
 * the script's function called, COMPREPLY printed one word a line.
 */

const HARNESS = `set -u
source "$1"
COMP_CWORD=$2
COMP_LINE=$3
COMP_POINT=\${#COMP_LINE}
shift 3
COMP_WORDS=("$@")
COMPREPLY=()
_live_transcribe live-transcribe "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]-}"
printf '%s\\n' "\${COMPREPLY[@]}"
`;

/** The arguments of `bash` that complete the last of `words` (the line `line` split as bash splits it) with `script`. */
export function bashCompletionArgs(script: string, line: string, words: readonly string[]): string[] {
  return ['--norc', '--noprofile', '-c', HARNESS, 'bash', script, String(words.length - 1), line, ...words];
}
