/** Every sentence the command line itself shows (pure): help texts, and the usage errors of the parser. */

export const EXIT_CODES_HELP = `Exit codes:
  0    success (stopped with Ctrl+C or SIGTERM, everything written)
  1    runtime, server or network failure
  2    usage error (bad flag or value, no API key)
  3    audio capture failure (SoX missing, no microphone)
  4    no usable credential (key or token refused, --token-command failed)
  5    nothing was said: the run ended without a single final turn
  6    the transcript has a hole: some audio could not be transcribed
  130  forced stop (a second Ctrl+C)`;

const EXAMPLES = `Examples:
  export ASSEMBLYAI_API_KEY=<your key>
  live-transcribe  # transcribe the default microphone until Ctrl+C
  live-transcribe > notes.txt  # save final turns, one per line
  live-transcribe -o meeting.srt  # watch live, keep subtitles (or .vtt .jsonl .txt)
  live-transcribe --format json | jq -r 'select(.type=="turn") | .text'  # the text of each turn (the JSON lines: README)
  live-transcribe --timestamps -o notes.txt --append  # add to a file, with times
  live-transcribe -i interview.wav --format srt  # a file, in real time (mp3... via SoX)
  arecord -f S16_LE -r 16000 | live-transcribe -i -  # audio on standard input
  answer=$(live-transcribe --once -q)  # the first sentence said, for scripts
  live-transcribe --max-duration 10m --until-silence 5  # 10 minutes at most, or until 5 s of silence
  live-transcribe | grep --line-buffered -i deploy  # react to words as they are said
  live-transcribe --list-devices  # the names --device accepts
  live-transcribe --device "alsa_input.usb-mic"  # record from another device
  live-transcribe doctor  # check SoX, the microphone, the key, the network

Keys while listening (on a terminal): Enter ends the turn now, p pauses, q stops.`;

const COMMANDS = `Commands:
  live-transcribe doctor  check SoX, the microphone, the key and the network
  live-transcribe config  the settings in effect and where each came from (--path: the file, --init: a starter file)
  live-transcribe dictate  type what you say into the focused window (--toggle for a shortcut; docs/dictation.md)
  live-transcribe notes FILE  notes of a transcript written earlier, from the LLM Gateway (docs/notes.md)
  live-transcribe completion bash|zsh|fish  print a shell completion script (README: how to install it)
  live-transcribe help [all|COMMAND]  this help; all: every option; a command's own help

Settings: flags > environment > the chosen profile > the config file's top-level keys > built-in defaults.`;

/** What --help shows after the options. */
export const MAIN_HELP_AFTER = `\n${COMMANDS}\n\n${EXAMPLES}\n\n${EXIT_CODES_HELP}\n\nStatus goes to stderr; stdout carries only the transcript.\n`;

/** What the plain --help (the first screen) shows after the essential options. */
export const MAIN_HELP_AFTER_ESSENTIALS = `
Commands:
  doctor  check SoX, the microphone, the key and the network
  config  the settings in effect and where each came from
  dictate  type what you say into the focused window
  completion bash|zsh|fish  print a shell completion script

More: live-transcribe --help all (every option, examples, exit codes)
`;

/** `help WORD` for a word that is no command (nor `all`). */
export function formatUnknownHelpTopic(word: string, suggestion: string | undefined): string {
  return `unknown command ${word}${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}: help takes all, doctor, config or completion`;
}

export const DOCTOR_DESCRIPTION = 'Check what live-transcribe needs: Node, SoX, the microphone, the API key, the network.';

/** What `doctor --help` shows after the options. */
export const DOCTOR_HELP_AFTER = '\nExit codes: 0 all checks passed, 1 a check found a problem, 2 usage error.\n';

/** A flag commander refused, and where to read the usage: `command` is "live-transcribe" or "live-transcribe doctor". */
export function formatUsageError(message: string, command: string): string {
  return `error: ${message.replace(/^error: /, '')}\n  run ${command} --help for usage\n`;
}

/** A first word close to a subcommand, in commander's words for a mistyped option. */
export function formatUnknownCommand(word: string, suggestion: string): string {
  return `unknown command '${word}'\n(Did you mean ${suggestion}?)`;
}

/** A value refused after parsing (e.g. doctor's --api-host), on one line. */
export function formatPlainError(message: string): string {
  return `error: ${message}\n`;
}

export const LIST_DEVICES_FORMAT_ERROR = 'error: --list-devices prints text or json (--format json)\n';
