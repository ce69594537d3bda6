/**
 * The command line: commander program, help text, usage errors. runCli() resolves to an exit code and
 * never exits; the transcription itself (ws, ora, SoX) is loaded only once the arguments are valid.
 */
import { Command, CommanderError, Option } from 'commander';
import { colorDisabled, resolveConfig, DEFAULT_CONNECT_TIMEOUT_S, DEFAULT_HOST, DEFAULT_SAMPLE_RATE_HZ, DEFAULT_SPEECH_MODEL, type RawOptions } from './config.js';
import { AppError, ExitCode, exitCodeFor } from './errors.js';
import type { Run, RunIO } from './app/run.js';

export interface CliIO extends RunIO {
  version: string;
  /** process.version, for doctor. */
  nodeVersion: string;
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
    .option('-i, --input <file|->', 'transcribe a file (WAV; other formats through SoX) or standard input (-) instead of the microphone')
    .option('--encoding <enc>', 'raw input encoding: pcm_s16le (default) or pcm_mulaw')
    .option('--format <fmt>', 'stdout format: text (default), json (NDJSON), srt, vtt')
    .option('-o, --output <file>', 'also write the transcript to a file (format from .txt .jsonl .srt .vtt)')
    .option('--append', 'add to an existing --output file')
    .option('--force', 'replace an existing --output file')
    .option('--timestamps', 'prefix text lines with [hh:mm:ss.mmm -> hh:mm:ss.mmm]')
    .option('--partials', 'include partial turns in json output')
    .option('--max-duration <s>', 'stop after this much audio (seconds, or 90s / 10m / 1h)')
    .option('--once', 'stop after the first final turn')
    .option('--until-silence <s>', 'stop after this much silence once speech was heard')
    .option('--save-audio <file.wav>', 'keep exactly the audio sent, as a WAV file (with --force: replace it)')
    .option('--list-devices', 'list the recording devices --device accepts, and exit (--format json for JSON)')
    .option('--keyterms <a,b,...>', 'comma-separated words and phrases to recognise better (at most 100)')
    .option('--end-of-turn-confidence-threshold <0..1>', 'confidence needed to end a turn at a short pause')
    .option('--min-turn-silence <ms>', 'silence that ends a turn when confident')
    .option('--max-turn-silence <ms>', 'silence that always ends a turn')
    .option('--inactivity-timeout <s>', 'let the service end the session after this much silence (5-3600)')
    .option('--connect-timeout <s>', `give up if the session has not started after this long (default: ${DEFAULT_CONNECT_TIMEOUT_S})`)
    .option('--reconnect-attempts <n>', 'new sessions tried when the connection drops, before giving up (default: 6; 0: never); the first connection is retried at most 2 times, so a wrong host fails fast')
    .option('-q, --quiet', 'no status lines on stderr (errors are still shown)')
    .addOption(new Option('--no-color', 'no colours (also: NO_COLOR=1)'))
    .addHelpText('after', `\n${EXAMPLES}\n\n${EXIT_CODES_HELP}\n\nStatus goes to stderr; stdout carries only the transcript.\n`)
    .allowExcessArguments(false)
    .showSuggestionAfterError(true);
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  if (argv[0] === 'doctor') return runDoctorCommand(argv.slice(1), io);
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

  if ((raw as { listDevices?: boolean }).listDevices === true) return runListDevices(raw, io);

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

  const { startTranscription } = await import('./app/run.js');
  const run = startTranscription(config, io);
  io.onRun?.(run);
  return run.done;
}

/** --list-devices: what this machine can record from, in the names --device accepts. */
async function runListDevices(raw: RawOptions, io: CliIO): Promise<number> {
  if (raw.format !== undefined && raw.format !== 'json' && raw.format !== 'text') {
    io.stderr.write('error: --list-devices prints text or json (--format json)\n');
    return ExitCode.usage;
  }
  const [{ listDevices, formatDeviceList, formatDeviceListJson }, { execCommand }, { Chalk }] = await Promise.all([
    import('./devices/list-devices.js'),
    import('./exec.js'),
    import('chalk'),
  ]);
  const listing = await listDevices({ platform: io.platform, env: io.env, exec: execCommand });
  const theme = new Chalk({ level: colorDisabled(raw, io.env) ? 0 : io.stdoutColorLevel });
  io.stdout.write(raw.format === 'json' ? formatDeviceListJson(listing) : formatDeviceList(listing, theme));
  return listing.devices.length > 0 ? ExitCode.ok : ExitCode.audio;
}

/** `live-transcribe doctor`: each check with ok / problem / how to fix; exit 0 only when all pass. */
async function runDoctorCommand(argv: string[], io: CliIO): Promise<number> {
  const program = new Command('live-transcribe doctor')
    .description('Check what live-transcribe needs: Node, SoX, the microphone, the API key, the network.')
    .option('--device <name>', 'the recording device to test (default: the system default)')
    .option('-r, --sample-rate <hz>', 'sample rate to record at')
    .option('--api-host <host>', `streaming host or wss:// URL (default: ${DEFAULT_HOST})`)
    .option('-k, --api-key <key>', 'check this key instead of $ASSEMBLYAI_API_KEY (never printed)')
    .option('--token <token>', 'check a temporary token instead')
    .addOption(new Option('--no-color', 'no colours'))
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', '\nExit codes: 0 all checks passed, 1 a check found a problem, 2 usage error.\n')
    .allowExcessArguments(false);
  let out = '';
  program.exitOverride().configureOutput({ writeOut: (t) => (out += t), writeErr: (t) => (out += t), outputError: () => {} });
  let raw: RawOptions;
  try {
    program.parse(argv, { from: 'user' });
    raw = program.opts<RawOptions>();
  } catch (err) {
    if (err instanceof CommanderError && (err.code === 'commander.helpDisplayed' || err.code === 'commander.help')) {
      io.stdout.write(out);
      return ExitCode.ok;
    }
    io.stderr.write(`error: ${(err as Error).message.replace(/^error: /, '')}\n  run live-transcribe doctor --help for usage\n`);
    return ExitCode.usage;
  }
  const [{ runDoctor, createDoctorDeps, formatDoctorCheck, formatDoctorVerdict }, { execCommand }, { parseApiHost }, { Chalk }] = await Promise.all([
    import('./doctor.js'),
    import('./exec.js'),
    import('./config.js'),
    import('chalk'),
  ]);
  const theme = new Chalk({ level: colorDisabled(raw, io.env) ? 0 : io.stdoutColorLevel });
  let endpoint: string;
  let sampleRateHz: number | undefined;
  try {
    endpoint = parseApiHost(raw.apiHost ?? DEFAULT_HOST);
    if (raw.sampleRate !== undefined) sampleRateHz = resolveConfig({ sampleRate: raw.sampleRate, apiKey: 'placeholder' }, {}).params.sampleRateHz;
  } catch (err) {
    io.stderr.write(`error: ${(err as Error).message}\n`);
    return ExitCode.usage;
  }
  const deps = createDoctorDeps({ platform: io.platform, env: io.env, nodeVersion: io.nodeVersion, exec: execCommand });
  deps.onCheckStart = (id) => {
    if (id === 'microphone') io.stderr.write('Recording 1 s from the microphone: say something...\n');
  };
  deps.onCheck = (check) => io.stdout.write(formatDoctorCheck(check, theme));
  const report = await runDoctor(
    {
      endpoint,
      ...(raw.device === undefined ? {} : { device: raw.device }),
      ...(sampleRateHz === undefined ? {} : { sampleRateHz }),
      ...(raw.apiKey === undefined ? {} : { apiKey: raw.apiKey }),
      ...(raw.token === undefined ? {} : { token: raw.token }),
    },
    deps,
  );
  // The checks were printed as they finished (onCheck); the verdict closes the report.
  io.stdout.write(`\n${formatDoctorVerdict(report, theme)}`);
  return report.ok ? ExitCode.ok : ExitCode.failure;
}
