/**
 * The command line: commander program, help text, usage errors. runCli() resolves to an exit code and
 * never exits; the transcription itself (ws, ora, SoX) is loaded only once the arguments are valid.
 */
import { Command, CommanderError, Option } from 'commander';
import { colorDisabled, parseApiHost, parseSampleRate, resolveConfig, type Config, type RawOptions } from './config.js';
import { DEFAULT_CONNECT_TIMEOUT_S, DEFAULT_HOST, DEFAULT_RECONNECT_ATTEMPTS, DEFAULT_SAMPLE_RATE_HZ, DEFAULT_SPEECH_MODEL, DEFAULT_START_ATTEMPTS } from './defaults.js';
import {
  DOCTOR_DESCRIPTION,
  DOCTOR_HELP_AFTER,
  formatPlainError,
  formatUnknownCommand,
  formatUsageError,
  LIST_DEVICES_FORMAT_ERROR,
  MAIN_HELP_AFTER,
} from './render/cli-messages.js';

export { EXIT_CODES_HELP } from './render/cli-messages.js';
import { AppError, ExitCode, exitCodeFor, UsageError } from './errors.js';
import { nearestKey } from './settings/option-keys.js';
import type { Run, RunIO } from './app/run.js';
import type { DeviceListing } from './devices/list-devices.js';

export interface CliIO extends RunIO {
  version: string;
  /** process.version, for doctor. */
  nodeVersion: string;
  /** Receives the running transcription, so the process edge can forward signals to it. */
  onRun?: (run: Run) => void;
  /** os.homedir(), for the config file's usual place. */
  homedir: string;
}

/** The options `doctor` shares with the main program: declared once, each with its two descriptions. */
const SHARED_OPTIONS = {
  apiKey: {
    flags: '-k, --api-key <key>',
    run: 'AssemblyAI API key (default: $ASSEMBLYAI_API_KEY; prefer the variable: flags show in `ps` and shell history)',
    doctor: 'check this key instead of $ASSEMBLYAI_API_KEY (never printed)',
  },
  token: { flags: '--token <token>', run: 'a temporary streaming token instead of a key', doctor: 'check a temporary token instead' },
  sampleRate: { flags: '-r, --sample-rate <hz>', run: `sample rate captured and declared, 8000-96000 (default: ${DEFAULT_SAMPLE_RATE_HZ})`, doctor: 'sample rate to record at' },
  apiHost: { flags: '--api-host <host>', run: `streaming host, or a full wss:// URL (default: ${DEFAULT_HOST})`, doctor: `streaming host or wss:// URL (default: ${DEFAULT_HOST})` },
  device: { flags: '--device <name>', run: 'recording device, passed to SoX (default: the system default)', doctor: 'the recording device to test (default: the system default)' },
  noColor: { flags: '--no-color', run: 'no colours (also: NO_COLOR=1)', doctor: 'no colours' },
} as const;

type SharedOption = keyof typeof SHARED_OPTIONS;

function addShared(program: Command, use: 'run' | 'doctor', ...names: SharedOption[]): Command {
  for (const name of names) program.addOption(new Option(SHARED_OPTIONS[name].flags, SHARED_OPTIONS[name][use]));
  return program;
}

export function createProgram(version: string): Command {
  const program = new Command('live-transcribe')
    .description('Transcribe speech from your microphone as it is spoken (AssemblyAI Universal-Streaming).')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help');
  addShared(program, 'run', 'apiKey', 'token', 'sampleRate')
    .option('--format-turns', 'formatted final turns: punctuation and casing (default)')
    .option('--no-format-turns', 'raw final turns: lowercase, no punctuation')
    .option('--speech-model <name>', `speech model, any name the service knows (default: ${DEFAULT_SPEECH_MODEL}, or what --language needs; see --list-models)`);
  addShared(program, 'run', 'apiHost');
  // Meetings (issue 13): several sources, each its own session
  program
    .addOption(new Option(SHARED_OPTIONS.device.flags, SHARED_OPTIONS.device.run).argParser(collect))
    .option('--system-audio', 'also transcribe what this computer plays (a call), labelled Others; --device again (NAME=Label) adds a microphone')
    .option('--system-device <name>', 'record the system audio from this device (a monitor or loopback); implies --system-audio')
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
    .option('--inactivity-timeout <s>', 'let the service end the session when no audio arrives for this long (5-3600); silence still counts as audio, so it fires only when the input stalls')
    .option('--connect-timeout <s>', `give up if the session has not started after this long (default: ${DEFAULT_CONNECT_TIMEOUT_S})`)
    .option('--reconnect-attempts <n>', `after a drop, new sessions are tried without a limit while missed audio can be kept on disk; once the spool is full, at most this many per outage (default: ${DEFAULT_RECONNECT_ATTEMPTS}; 0: never reconnect); the first connection is retried at most ${DEFAULT_START_ATTEMPTS} times (see --keep-recording), so a wrong host fails fast`)
    .option('-q, --quiet', 'no status lines on stderr (errors are still shown)');
  // Issue 14: the config file and its profiles, the spoken stop phrase.
  program
    .option('--config <file>', 'read settings from this file instead of the usual one (live-transcribe config --path; also: LIVE_TRANSCRIBE_CONFIG)')
    .option('--profile <name>', 'use this [profiles.NAME] table of the config file (also: LIVE_TRANSCRIBE_PROFILE)')
    .option('--stop-phrase <words>', 'stop when a final turn ends with these words, written without them (repeatable)', collect);
  // Today's service (issue 12): languages and models, speakers, the model-specific options, tokens per session.
  program
    .option('--language <code,...|auto>', 'what is spoken: de, en,es (up to 10) or auto; the client picks a model that supports it (default: en)')
    .option('--list-models', 'list the speech models this client knows, their languages and features, and exit (--format json for JSON)')
    .option('--speaker-labels', 'label each final turn with its speaker: A: ..., B: ... (JSON: speaker; VTT: <v Speaker A>)')
    .option('--max-speakers <n>', 'at most this many speakers, 1-10 (with --speaker-labels)')
    .option('--prompt <text>', 'describe the audio to the model, at most 1750 characters (Universal-3 models)')
    .option('--mode <preset>', 'turn detection of the Universal-3 models: min_latency, balanced or max_accuracy')
    .option('--vad-threshold <0..1>', 'how sure the model must be that a sound is speech')
    .option('--voice-focus <focus>', 'near-field (a headset) or far-field (a room) (Universal-3 models)')
    .option('--redact-pii <policy,...>', 'replace personal data of these kinds, e.g. person_name,phone_number (Universal-3 models)')
    .option('--redact-pii-sub <sub>', 'what replaces it: hash or entity_name (with --redact-pii)')
    .option('--filter-profanity', 'mask profanity in the transcript')
    .option('--keyterms-file <file>', 'words and phrases to recognise better, one a line (with --keyterms: at most 100 together)')
    .option('--token-command <cmd>', 'run this before each session (start, reconnect, rollover) and use the temporary token it prints');
  // Issue 22 (recovery / batch): the pre-recorded API.
  program
    .option('--replay-limit <s>', 'audio replayed into a new session after a drop, 5-3600 seconds (default: 120); older audio the service missed is kept on disk (the spool)')
    .option('--spool-limit <duration>', 'at most this much missed audio kept on disk per source (default: 4h; e.g. 90m)')
    .option('--keep-recording', 'start recording even when the service cannot be reached at the start: retry like an outage (without a limit while the spool has room), keep the audio on disk, recover it once connected');
  program.option('--batch', 'with -i FILE: upload the whole file and get its transcript at once (seconds, not real time; pre-recorded price); without it a file streams in real time like live audio');
  return addShared(program, 'run', 'noColor').addHelpText('after', MAIN_HELP_AFTER).allowExcessArguments(false).showSuggestionAfterError(true);
}

/** A repeatable flag (--stop-phrase, --device): every value in the order given. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function createDoctorProgram(): Command {
  const program = new Command('live-transcribe doctor').description(DOCTOR_DESCRIPTION);
  return addShared(program, 'doctor', 'device', 'sampleRate', 'apiHost', 'apiKey', 'token', 'noColor')
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', DOCTOR_HELP_AFTER)
    .allowExcessArguments(false);
}

/** What commander printed itself (help, version) is on stdout and a success. */
const SHOWN_BY_COMMANDER = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

type Parsed = { ok: true; raw: RawOptions } | { ok: false; exitCode: ExitCode };

/** Parses with commander's exits and output captured: help and version go to stdout, mistakes to stderr. */
function parseArgs(program: Command, argv: string[], io: CliIO): Parsed {
  let out = '';
  const collect = (text: string): void => {
    out += text;
  };
  program.exitOverride().configureOutput({ writeOut: collect, writeErr: collect, outputError: () => {} });
  try {
    program.parse(argv, { from: 'user' });
    return { ok: true, raw: program.opts<RawOptions>() };
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (SHOWN_BY_COMMANDER.has(err.code)) {
      io.stdout.write(out);
      return { ok: false, exitCode: ExitCode.ok };
    }
    io.stderr.write(formatUsageError(err.message, program.name()));
    return { ok: false, exitCode: ExitCode.usage };
  }
}

/** Words that run a command of their own instead of a transcription. */
const COMMANDS: Readonly<Record<string, (argv: string[], io: CliIO) => Promise<number>>> = {
  doctor: (argv, io) => runDoctorCommand(argv, io),
  config: (argv, io) => runConfig(argv, io),
  completion: (argv, io) => runCompletion(argv, io),
  // `help` and `help COMMAND`: the same as --help.
  help: (argv, io) => runCli([...argv.slice(0, 1), '--help'], io),
};

/** The subcommands, the first word of a command line: a mistyped one gets a suggestion (issue 11.12). */
export const SUBCOMMANDS: readonly string[] = Object.keys(COMMANDS);

/** The usage error for a first word that is not an option and close to a subcommand; undefined otherwise. */
function mistypedCommand(word: string | undefined): string | undefined {
  if (word === undefined || word.startsWith('-') || SUBCOMMANDS.includes(word)) return undefined;
  const near = nearestKey(word, SUBCOMMANDS);
  return near === undefined ? undefined : formatUsageError(formatUnknownCommand(word, near), 'live-transcribe');
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const command = argv[0] === undefined ? undefined : COMMANDS[argv[0]];
  if (command !== undefined) return command(argv.slice(1), io);
  const mistyped = mistypedCommand(argv[0]);
  if (mistyped !== undefined) {
    io.stderr.write(mistyped);
    return ExitCode.usage;
  }
  const program = createProgram(io.version);
  const parsed = parseArgs(program, argv, io);
  if (!parsed.ok) return parsed.exitCode;
  if ((parsed.raw as { listModels?: boolean }).listModels === true) return runListModels(parsed.raw, io);
  const resolved = await resolveRun(program, parsed.raw, io);
  if (typeof resolved === 'number') return resolved;
  if (resolved.listDevices) return runListDevices(resolved.options, io);
  await printNotices(resolved.config, io);
  // Issue 22: -i FILE --batch goes through the pre-recorded API, not a streaming session.
  if (resolved.config.batch !== undefined) {
    const { startBatch } = await import('./batch/run-batch.js');
    const batch = startBatch(resolved.config, io);
    io.onRun?.(batch);
    return batch.done;
  }
  const { startTranscription } = await import('./app/run.js');
  const run = startTranscription(resolved.config, io);
  io.onRun?.(run);
  return run.done;
}

type Resolved = { listDevices: true; options: RawOptions } | { listDevices: false; config: Config };

/** The warnings and notes about choices made for the run (the model, --format-turns), unless --quiet. */
async function printNotices(config: Config, io: CliIO): Promise<void> {
  if (config.quiet === true || config.notices === undefined || config.notices.length === 0) return;
  const [{ formatNotice }, { Chalk }] = await Promise.all([import('./render/notices.js'), import('chalk')]);
  const theme = new Chalk({ level: config.color === false ? 0 : io.stderrColorLevel });
  for (const notice of config.notices) io.stderr.write(formatNotice(notice, theme));
}

/**
 * Flags, environment and the config file -> the run's Config (or the options of --list-devices), or the
 * exit code of a usage error, printed naming the file, line and key of a bad value from the file.
 */
async function resolveRun(program: Command, raw: RawOptions, io: CliIO): Promise<Resolved | number> {
  const [{ loadSettings, flagLayer, explainFileError }, { createNodeConfigFs }] = await Promise.all([import('./settings/sources.js'), import('./settings/node-fs.js')]);
  const { config: configFlag, profile: profileFlag } = program.opts<{ config?: string; profile?: string }>();
  let options: RawOptions = raw;
  try {
    const flags = flagLayer(raw, (f) => program.getOptionValueSource(f));
    const settings = await loadSettings({ flags, configFlag, profileFlag }, { env: io.env, platform: io.platform, homedir: io.homedir, fs: createNodeConfigFs() });
    options = settings.options;
    if ((raw as { listDevices?: boolean }).listDevices === true) return { listDevices: true, options: listDevicesOptions(settings) };
    try {
      return { listDevices: false, config: resolveConfig(await withKeytermsFile(options), io.env) };
    } catch (err) {
      throw err instanceof UsageError ? explainFileError(err, settings) : err;
    }
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const { formatError } = await import('./render/status.js');
    const { Chalk } = await import('chalk');
    io.stderr.write(formatError(err, new Chalk({ level: colorDisabled(options, io.env) ? 0 : io.stderrColorLevel })));
    return exitCodeFor(err);
  }
}

/** --list-devices prints text or JSON: a --format flag says which, a format from the file only when it is one of them. */
function listDevicesOptions(settings: { options: RawOptions; sources: Partial<Record<keyof RawOptions, string>> }): RawOptions {
  const { format } = settings.options;
  const usable = settings.sources.format === 'flag' || format === 'json' || format === 'text';
  const { format: _format, ...rest } = settings.options;
  return usable && format !== undefined ? { ...rest, format } : rest;
}

/** `live-transcribe config ...`: the settings in effect, the file's path, or a starter file. */
async function runConfig(argv: string[], io: CliIO): Promise<number> {
  const [{ runConfigCommand }, { createNodeConfigFs }] = await Promise.all([import('./settings/config-command.js'), import('./settings/node-fs.js')]);
  return runConfigCommand(argv, {
    stdout: io.stdout,
    stderr: io.stderr,
    env: io.env,
    platform: io.platform,
    homedir: io.homedir,
    fs: createNodeConfigFs(),
    stderrColorLevel: io.stderrColorLevel,
  });
}

/** `live-transcribe completion bash|zsh|fish`, and the lists (profiles, devices) the scripts ask for. */
async function runCompletion(argv: string[], io: CliIO): Promise<number> {
  const [{ runCompletionCommand }, { loadConfigFile }, { resolveConfigPath }, { createNodeConfigFs }] = await Promise.all([
    import('./completion/command.js'),
    import('./settings/config-file.js'),
    import('./settings/config-path.js'),
    import('./settings/node-fs.js'),
  ]);
  const profiles = async (): Promise<string[]> => {
    const location = resolveConfigPath({ env: io.env, platform: io.platform, homedir: io.homedir });
    const file = await loadConfigFile(location, createNodeConfigFs(), io.platform);
    return file === undefined ? [] : [...file.profiles.keys()];
  };
  const devices = async (): Promise<DeviceListing> => {
    const [{ listDevices }, { execCommand }] = await Promise.all([import('./devices/list-devices.js'), import('./exec.js')]);
    return listDevices({ platform: io.platform, env: io.env, exec: execCommand });
  };
  return runCompletionCommand(argv, { stdout: io.stdout, stderr: io.stderr, program: createProgram(io.version), values: { profiles, devices } });
}

/** --list-devices: what this machine can record from, in the names --device accepts. */
async function runListDevices(raw: RawOptions, io: CliIO): Promise<number> {
  if (raw.format !== undefined && raw.format !== 'json' && raw.format !== 'text') {
    io.stderr.write(LIST_DEVICES_FORMAT_ERROR);
    return ExitCode.usage;
  }
  const [{ listDevices }, { formatDeviceList, formatDeviceListJson }, { markMonitors }, { execCommand }, { Chalk }] = await Promise.all([
    import('./devices/list-devices.js'),
    import('./render/device-list.js'),
    import('./devices/system-audio.js'),
    import('./exec.js'),
    import('chalk'),
  ]);
  const found = await listDevices({ platform: io.platform, env: io.env, exec: execCommand });
  const listing = { ...found, devices: markMonitors(found.devices) }; // loopback inputs (BlackHole, Stereo Mix) too
  const theme = new Chalk({ level: colorDisabled(raw, io.env) ? 0 : io.stdoutColorLevel });
  io.stdout.write(raw.format === 'json' ? formatDeviceListJson(listing) : formatDeviceList(listing, theme));
  return listing.devices.length > 0 ? ExitCode.ok : ExitCode.audio;
}

/** --keyterms-file's text, read here so that config stays pure; a file that cannot be read is a usage error. */
async function withKeytermsFile(raw: RawOptions): Promise<RawOptions> {
  if (raw.keytermsFile === undefined) return raw;
  const { readFile } = await import('node:fs/promises');
  try {
    return { ...raw, keytermsFileText: await readFile(raw.keytermsFile, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new UsageError(`cannot read --keyterms-file ${raw.keytermsFile}: ${why}`, 'give a text file with one term a line');
  }
}

/** --list-models: the models this client knows, their languages and features (PROTOCOL.md §12.2). */
async function runListModels(raw: RawOptions, io: CliIO): Promise<number> {
  if (raw.format !== undefined && raw.format !== 'json' && raw.format !== 'text') {
    io.stderr.write(formatPlainError('--list-models prints text or, with --format json, JSON'));
    return ExitCode.usage;
  }
  const [{ formatModelList, formatModelListJson }, { MODEL_CATALOGUE }, { Chalk }] = await Promise.all([
    import('./render/model-list.js'),
    import('./streaming/models.js'),
    import('chalk'),
  ]);
  const theme = new Chalk({ level: colorDisabled(raw, io.env) ? 0 : io.stdoutColorLevel });
  io.stdout.write(raw.format === 'json' ? formatModelListJson(MODEL_CATALOGUE) : formatModelList(MODEL_CATALOGUE, theme));
  return ExitCode.ok;
}

/** `live-transcribe doctor`: each check with ok / problem / how to fix; exit 0 only when all pass. */
async function runDoctorCommand(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(createDoctorProgram(), argv, io);
  if (!parsed.ok) return parsed.exitCode;
  const raw = parsed.raw;
  const [{ runDoctor, createDoctorDeps }, { DOCTOR_RECORDING_NOTICE, formatDoctorCheck, formatDoctorVerdict }, { execCommand }, { Chalk }] = await Promise.all([
    import('./doctor.js'),
    import('./render/doctor-messages.js'),
    import('./exec.js'),
    import('chalk'),
  ]);
  const theme = new Chalk({ level: colorDisabled(raw, io.env) ? 0 : io.stdoutColorLevel });
  let endpoint: string;
  let sampleRateHz: number | undefined;
  try {
    endpoint = parseApiHost(raw.apiHost ?? DEFAULT_HOST);
    if (raw.sampleRate !== undefined) sampleRateHz = parseSampleRate(raw.sampleRate);
  } catch (err) {
    io.stderr.write(formatPlainError((err as Error).message));
    return ExitCode.usage;
  }
  const deps = createDoctorDeps({ platform: io.platform, env: io.env, nodeVersion: io.nodeVersion, exec: execCommand });
  deps.onCheckStart = (id) => {
    if (id === 'microphone') io.stderr.write(DOCTOR_RECORDING_NOTICE);
  };
  deps.onCheck = (check) => io.stdout.write(formatDoctorCheck(check, theme));
  const report = await runDoctor(
    {
      endpoint,
      ...(typeof raw.device === 'string' ? { device: raw.device } : {}),
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
