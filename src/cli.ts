/**
 * The command line: commander program, help text, usage errors. runCli() resolves to an exit code and
 * never exits; the transcription itself (ws, ora, SoX) is loaded only once the arguments are valid.
 */
import { Command, CommanderError, Option } from 'commander';
import { colorDisabled, resolveConfig, DEFAULT_CONNECT_TIMEOUT_S, DEFAULT_HOST, DEFAULT_SAMPLE_RATE_HZ, DEFAULT_SPEECH_MODEL, type RawOptions } from './config.js';
import { AppError, ExitCode, exitCodeFor } from './errors.js';
import type { Run, RunIO } from './app.js';

export interface CliIO extends RunIO {
  version: string;
  /** Receives the running transcription, so the process edge can forward signals to it. */
  onRun?: (run: Run) => void;
}

export const EXIT_CODES_HELP = `Exit codes:
  0    success (stopped with Ctrl+C or SIGTERM, everything written)
  1    runtime, server or network failure
  2    usage error (bad flag or value, no API key)
  3    audio capture failure (SoX missing, no microphone)
  4    authentication rejected (invalid key or expired token)
  130  forced stop (a second Ctrl+C)`;

const EXAMPLES = `Examples:
  export ASSEMBLYAI_API_KEY=<your key>
  live-transcribe                                   transcribe the default microphone until Ctrl+C
  live-transcribe > notes.txt                       save final turns, one per line
  live-transcribe | grep --line-buffered -i deploy  react to words as they are said
  live-transcribe --no-format-turns -q              raw lowercase turns, no status lines
  live-transcribe --device "alsa_input.usb-mic"     record from another device
  live-transcribe --keyterms "Kubernetes,AssemblyAI" --max-turn-silence 2000`;

export function createProgram(version: string): Command {
  return new Command('live-transcribe')
    .description('Transcribe speech from your microphone as it is spoken (AssemblyAI Universal-Streaming).')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .option('-k, --api-key <key>', 'AssemblyAI API key (default: $ASSEMBLYAI_API_KEY; prefer the variable: flags show in `ps` and shell history)')
    .option('--token <token>', 'a temporary streaming token instead of a key')
    .option('-r, --sample-rate <hz>', `sample rate captured and declared (default: ${DEFAULT_SAMPLE_RATE_HZ})`)
    .option('--format-turns', 'formatted final turns: punctuation and casing (default)')
    .option('--no-format-turns', 'raw final turns: lowercase, no punctuation')
    .option('--speech-model <name>', `speech model (default: ${DEFAULT_SPEECH_MODEL})`)
    .option('--api-host <host>', `streaming host, or a full wss:// URL (default: ${DEFAULT_HOST})`)
    .option('--device <name>', 'recording device, passed to SoX (default: the system default)')
    .option('--keyterms <a,b,...>', 'comma-separated words and phrases to recognise better (at most 100)')
    .option('--end-of-turn-confidence-threshold <0..1>', 'confidence needed to end a turn at a short pause')
    .option('--min-turn-silence <ms>', 'silence that ends a turn when confident')
    .option('--max-turn-silence <ms>', 'silence that always ends a turn')
    .option('--inactivity-timeout <s>', 'let the service end the session after this much silence (5-3600)')
    .option('--connect-timeout <s>', `give up if the session has not started after this long (default: ${DEFAULT_CONNECT_TIMEOUT_S})`)
    .option('-q, --quiet', 'no status lines on stderr (errors are still shown)')
    .addOption(new Option('--no-color', 'no colours (also: NO_COLOR=1)'))
    .addHelpText('after', `\n${EXAMPLES}\n\n${EXIT_CODES_HELP}\n\nStatus goes to stderr; stdout carries only the transcript.\n`)
    .allowExcessArguments(false)
    .showSuggestionAfterError(true);
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const program = createProgram(io.version);
  let out = '';
  program.exitOverride().configureOutput({
    writeOut: (s) => {
      out += s;
    },
    writeErr: (s) => {
      out += s;
    },
    outputError: () => {},
  });
  let raw: RawOptions;
  try {
    program.parse(argv, { from: 'user' });
    raw = program.opts<RawOptions>();
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        io.stdout.write(out);
        return ExitCode.ok;
      }
      io.stderr.write(`error: ${err.message.replace(/^error: /, '')}\n  run live-transcribe --help for usage\n`);
      return ExitCode.usage;
    }
    throw err;
  }

  let config;
  try {
    config = resolveConfig(raw, io.env);
  } catch (err) {
    if (err instanceof AppError) {
      const { formatError } = await import('./render/status.js');
      const { Chalk } = await import('chalk');
      io.stderr.write(formatError(err, new Chalk({ level: colorDisabled(raw, io.env) ? 0 : io.stderrColorLevel })));
      return exitCodeFor(err);
    }
    throw err;
  }

  const { startTranscription } = await import('./app.js');
  const run = startTranscription(config, io);
  io.onRun?.(run);
  return run.done;
}
