/**
 * The command line: commander program, help text, usage errors. runCli() resolves to an exit code and
 * never exits. What a plain run needs is imported statically (dist/main.js holds all of it and nothing else,
 * scripts/bundle.mjs); commands and what only some runs use are imported where they are used.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Chalk } from 'chalk';
import { Command, CommanderError } from 'commander';
import { addProgramOptions, addTableOptions, type HelpView } from './options/program.js';
import { OPTIONS } from './options/table.js';
import { readEnvironment } from './options/environment.js';
import { listDevicesOptions, resolveConfig, type Config, type RawOptions } from './options/resolve.js';
import { streamColors, type ColorLevel, type ColorSetting } from './options/color.js';
import {
  DOCTOR_DESCRIPTION,
  DOCTOR_HELP_AFTER,
  formatPlainError,
  formatUnknownCommand,
  formatUsageError,
  LIST_DEVICES_FORMAT_ERROR,
  MAIN_HELP_AFTER,
  MAIN_HELP_AFTER_ESSENTIALS,
  formatUnknownHelpTopic,
} from './render/cli-messages.js';

export { EXIT_CODES_HELP } from './render/cli-messages.js';
import { AppError, ExitCode, exitCodeFor, UsageError } from './core/errors.js';
import { nearestKey } from './core/edit-distance.js';
import { formatInputTwice } from './render/usage-messages.js';
import { startTranscription, type Run, type RunIO } from './app/run.js';
import { explainFileError, flagLayer, loadSettings } from './options/layers.js';
import { createNodeConfigFs } from './options/node-fs.js';
import { resolveOutputPaths } from './options/output-paths.js';
import { formatNotice } from './render/notices.js';
import { formatError } from './render/status.js';
import type { DeviceListing } from './devices/list-devices.js';
import type { Sink } from './render/sinks.js';

export interface CliIO extends RunIO {
  version: string;
  /** process.version, for doctor. */
  nodeVersion: string;
  /** Receives the running transcription, so the process edge can forward signals to it. */
  onRun?: (run: Run) => void;
  /** os.homedir(), for the config file's usual place. */
  homedir: string;
  /** Called once the command line is parsed, when it holds a secret (--api-key, --token): hide the arguments. */
  onSecretArguments?: () => void;
  /** This process's id, for dictate's instance file (issue 21). */
  pid?: number;
}

/**
 * The main program, its options from the table (options/table.ts). `view` decides the help only: the plain
 * --help shows the essentials (the first screen), `--help all` every option in its group; both accept every option.
 */
export function createProgram(version: string, view: HelpView = 'all'): Command {
  const program = new Command('live-transcribe').description(
    'Transcribe speech from your microphone as it is spoken (AssemblyAI Universal-Streaming).',
  );
  addTableOptions(program, 'run', view);
  addProgramOptions(program, 'run', view, version);
  return program
    .addHelpText('after', view === 'all' ? MAIN_HELP_AFTER : MAIN_HELP_AFTER_ESSENTIALS)
    .allowExcessArguments(true) // `live-transcribe talk.wav` is `-i talk.wav` (takeFileArgument)
    .showSuggestionAfterError(false);
}

function createDoctorProgram(): Command {
  const program = new Command('live-transcribe doctor').description(DOCTOR_DESCRIPTION);
  addTableOptions(program, 'doctor', 'all');
  return addProgramOptions(program, 'doctor', 'all')
    .addHelpText('after', DOCTOR_HELP_AFTER)
    .allowExcessArguments(false)
    .showSuggestionAfterError(false);
}

/** Issue 24.3: the file argument as --input; both given is a usage error (thrown as commander's, so it prints alike). */
function takeFileArgument(program: Command): void {
  if (program.args.length > 1)
    throw new CommanderError(
      ExitCode.usage,
      'commander.excessArguments',
      `too many arguments: ${program.args.length} files (${program.args.join(', ')}); give one, as the argument or with -i`,
    );
  const file = program.args[0];
  if (file === undefined) return;
  const input = program.opts<RawOptions>().input;
  if (input !== undefined) {
    const r = formatInputTwice(file, input);
    throw new CommanderError(ExitCode.usage, 'live-transcribe.inputTwice', `${r.message}\n  ${r.hint}`);
  }
  program.setOptionValueWithSource('input', file, 'cli');
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
    takeFileArgument(program);
    // The table's secret options typed on the command line: the process edge hides its arguments (`ps`).
    if (OPTIONS.some((o) => o.secret === true && o.field !== undefined && program.getOptionValueSource(o.field) === 'cli')) io.onSecretArguments?.();
    return { ok: true, raw: program.opts<RawOptions>() };
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (SHOWN_BY_COMMANDER.has(err.code)) {
      io.stdout.write(out);
      return { ok: false, exitCode: ExitCode.ok };
    }
    io.stderr.write(formatUsageError(withSuggestion(err, program), program.name()));
    return { ok: false, exitCode: ExitCode.usage };
  }
}

/**
 * commander's message, and for an unknown option the nearest flag of the command in the table ("did you
 * mean", with the one edit distance of core/edit-distance.ts), hidden ones included.
 */
function withSuggestion(err: CommanderError, program: Command): string {
  const word = /^error: unknown option '([^']+)'/.exec(err.message)?.[1];
  if (err.code !== 'commander.unknownOption' || word === undefined) return err.message;
  const flags = program.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined));
  const near = nearestKey(word.replace(/=.*$/, ''), flags);
  return near === undefined ? err.message : `${err.message}\n(Did you mean ${near}?)`;
}

/** Words that run a command of their own instead of a transcription. */
const COMMANDS: Readonly<Record<string, (argv: string[], io: CliIO) => Promise<number>>> = {
  doctor: (argv, io) => runDoctorCommand(argv, io),
  config: (argv, io) => runConfig(argv, io),
  completion: (argv, io) => runCompletion(argv, io),
  help: (argv, io) => runHelp(argv, io),
  // Issue 21: type each final turn into the focused window.
  dictate: (argv, io) => runDictate(argv, io),
  // Issue 23: notes for a transcript written earlier.
  notes: async (argv, io) => (await import('./commands/notes.js')).runNotesCommand(argv, io),
  // Issue 24.7: keep the API key (login) and remove it (logout).
  login: (argv, io) => runLoginCommand('login', argv, io),
  logout: (argv, io) => runLoginCommand('logout', argv, io),
};

/** The subcommands, the first word of a command line: a mistyped one gets a suggestion (issue 11.12). */
export const SUBCOMMANDS: readonly string[] = Object.keys(COMMANDS);

/** The usage error for a first word that is not an option and close to a subcommand; undefined otherwise. */
function mistypedCommand(word: string | undefined): string | undefined {
  if (word === undefined || word.startsWith('-') || SUBCOMMANDS.includes(word)) return undefined;
  const near = nearestKey(word, SUBCOMMANDS);
  return near === undefined ? undefined : formatUsageError(formatUnknownCommand(word, near), 'live-transcribe');
}

/** `help`, `help all`, `help COMMAND`; anything else is an unknown command (exit 2). */
async function runHelp(argv: string[], io: CliIO): Promise<number> {
  const [topic, ...extra] = argv;
  if (topic === undefined) return runCli(['--help'], io);
  if (topic === 'all' && extra.length === 0) return runCli(['--help', 'all'], io);
  const command = topic === 'help' ? undefined : COMMANDS[topic];
  if (command !== undefined && extra.length === 0) return command(['--help'], io);
  const near = command === undefined ? nearestKey(topic, [...SUBCOMMANDS.filter((c) => c !== 'help'), 'all']) : undefined;
  io.stderr.write(
    command === undefined
      ? formatUsageError(formatUnknownHelpTopic(topic, near), 'live-transcribe')
      : formatUsageError('too many arguments', 'live-transcribe'),
  );
  return ExitCode.usage;
}

/** `--help all` (or `-h all`): every option, in its group. */
const FULL_HELP = /^(--help|-h)$/;

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  if (argv.length === 2 && FULL_HELP.test(argv[0] ?? '') && argv[1] === 'all') {
    const shown = parseArgs(createProgram(io.version, 'all'), ['--help'], io);
    return shown.ok ? ExitCode.ok : shown.exitCode;
  }
  const command = argv[0] === undefined ? undefined : COMMANDS[argv[0]];
  if (command !== undefined) return command(argv.slice(1), io);
  const mistyped = mistypedCommand(argv[0]);
  if (mistyped !== undefined) {
    io.stderr.write(mistyped);
    return ExitCode.usage;
  }
  const program = createProgram(io.version, 'essentials');
  const parsed = parseArgs(program, argv, io);
  if (!parsed.ok) return parsed.exitCode;
  if ((parsed.raw as { listModels?: boolean }).listModels === true) return runListModels(parsed.raw, io);
  if (parsed.raw.listLlmModels === true) return (await import('./commands/notes.js')).runListLlmModels(parsed.raw, io); // issue 23
  const resolved = await resolveRun(program, parsed.raw, io);
  if (typeof resolved === 'number') return resolved;
  if (resolved.listDevices) return runListDevices(resolved.options, io);
  await printNotices(resolved.config, io);
  const notesChecked = await checkNotes(resolved.config, io); // issue 23: the notes file and the model, before the run
  if (typeof notesChecked === 'number') return notesChecked;
  // Issue 22: -i FILE --batch goes through the pre-recorded API, not a streaming session.
  if (resolved.config.batch !== undefined) {
    const { startBatch } = await import('./app/batch-run.js');
    const batch = startBatch(resolved.config, runIO(io, resolved.config));
    io.onRun?.(batch);
    return batch.done;
  }
  const run = startTranscription(resolved.config, runIO(io, resolved.config));
  io.onRun?.(run);
  return run.done;
}

/** A stream's colour for a command: options/color.ts decides it, as for a run (`settings`: the command's options, when it has them). */
function colorLevel(io: CliIO, stream: 'stdout' | 'stderr', settings: ColorSetting = {}): ColorLevel {
  const levels = streamColors(io, settings, io.env);
  return stream === 'stdout' ? levels.stdoutColorLevel : levels.stderrColorLevel;
}

/** What a run gets: the process edge's streams, with the colour options/color.ts decides for the run's settings. */
function runIO(io: CliIO, config: Pick<Config, 'color'>): CliIO {
  return { ...io, ...streamColors(io, config, io.env) };
}

type Resolved = { listDevices: true; options: RawOptions } | { listDevices: false; config: Config };

/** Issue 23: with --notes, the notes file may be written and the region's gateway serves the model; else the exit code. */
async function checkNotes(config: Config, io: CliIO): Promise<number | undefined> {
  if (config.llm?.notes === undefined) return undefined;
  const { prepareNotes } = await import('./notes/prepare.js');
  const theme = new Chalk({ level: colorLevel(io, 'stderr', config) });
  try {
    config.llm = await prepareNotes(config.llm, io.userAgent, (line) => void io.stderr.write(`${theme.yellow('warning:')} ${line}\n`));
    return undefined;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    io.stderr.write(formatError(err, theme));
    return exitCodeFor(err);
  }
}

/** The warnings and notes about choices made for the run (the model, --format-turns), unless --quiet. */
async function printNotices(config: Config, io: CliIO): Promise<void> {
  if (config.quiet === true || config.notices === undefined || config.notices.length === 0) return;
  const theme = new Chalk({ level: colorLevel(io, 'stderr', config) });
  for (const notice of config.notices) io.stderr.write(formatNotice(notice, theme));
}

/**
 * Flags, environment and the config file -> the run's Config (or the options of --list-devices), or the
 * exit code of a usage error, printed naming the file, line and key of a bad value from the file.
 */
/** The program's flags merged with the environment, the chosen profile and the config file (options/layers.ts). */
async function programSettings(program: Command, raw: RawOptions, io: CliIO) {
  const { config: configFlag, profile: profileFlag } = program.opts<{ config?: string; profile?: string }>();
  const flags = flagLayer(raw, (f) => program.getOptionValueSource(f));
  return loadSettings({ flags, configFlag, profileFlag }, { env: io.env, platform: io.platform, homedir: io.homedir, fs: createNodeConfigFs() });
}

async function resolveRun(program: Command, raw: RawOptions, io: CliIO): Promise<Resolved | number> {
  let options: RawOptions = raw;
  try {
    const settings = await programSettings(program, raw, io);
    options = settings.options;
    if ((raw as { listDevices?: boolean }).listDevices === true) return { listDevices: true, options: listDevicesOptions(settings) };
    try {
      // Issue 24.2: {date}/{time} in output and save-audio, and a taken name from the file named with its origin.
      options = await withStoredKey(resolveOutputPaths(settings, { now: new Date(), exists: existsSync }), io);
      return { listDevices: false, config: resolveConfig(await withKeytermsFile(options), io.env) };
    } catch (err) {
      throw err instanceof UsageError ? explainFileError(err, settings) : err;
    }
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    io.stderr.write(formatError(err, new Chalk({ level: colorLevel(io, 'stderr', options) })));
    return exitCodeFor(err);
  }
}

// Issue 24.7 (login): the key `login` put in the OS keyring, used when nothing else gives a credential.
// ASSEMBLYAI_API_KEY is one (`options` holds no values from the environment): with it, the keyring is not
// asked at all (no `secret-tool` at every start), and its key cannot displace the variable's (docs/login.md).
async function withStoredKey(options: RawOptions, io: CliIO): Promise<RawOptions> {
  const given = options as { apiKey?: string; token?: string; tokenCommand?: string };
  if (given.apiKey !== undefined || given.token !== undefined || given.tokenCommand !== undefined) return options;
  if (readEnvironment(io.env).apiKey !== undefined) return options;
  const { detectKeyring } = await import('./login/keyring.js');
  const apiKey = await detectKeyring(io.platform, io.env)?.lookup();
  return apiKey === undefined ? options : { ...options, apiKey };
}

async function runLoginCommand(name: 'login' | 'logout', argv: string[], io: CliIO): Promise<number> {
  const [{ runLogin, runLogout }, { detectKeyring }, { createKeyFileSystem }] = await Promise.all([
    import('./login/command.js'),
    import('./login/keyring.js'),
    import('./login/node-fs.js'),
  ]);
  const theme = new Chalk({ level: colorLevel(io, 'stderr', {}) });
  const loginIO = {
    ...io,
    stdin: io.stdin as import('./login/read-key.js').KeyInput,
    fs: createKeyFileSystem(),
    keyring: detectKeyring(io.platform, io.env),
    formatError: (err: AppError) => formatError(err, theme),
  };
  return name === 'login' ? runLogin(argv, loginIO) : runLogout(argv, loginIO);
}
// End of issue 24.7.

/** `live-transcribe config ...`: the settings in effect, the file's path, or a starter file. */
async function runConfig(argv: string[], io: CliIO): Promise<number> {
  const { runConfigCommand } = await import('./commands/config.js');
  return runConfigCommand(argv, {
    stdout: io.stdout,
    stderr: io.stderr,
    env: io.env,
    platform: io.platform,
    homedir: io.homedir,
    fs: createNodeConfigFs(),
    // NO_COLOR applies here too: the config command's own --no-color does not exist, the variable does.
    stderrColorLevel: colorLevel(io, 'stderr'),
  });
}

/** `live-transcribe completion bash|zsh|fish`, and the lists (profiles, devices) the scripts ask for. */
async function runCompletion(argv: string[], io: CliIO): Promise<number> {
  const [{ runCompletionCommand }, { loadConfigFile }, { resolveConfigPath }] = await Promise.all([
    import('./completion/command.js'),
    import('./options/config-load.js'),
    import('./options/config-path.js'),
  ]);
  const profiles = async (): Promise<string[]> => {
    const location = resolveConfigPath({ env: io.env, platform: io.platform, homedir: io.homedir });
    const file = await loadConfigFile(location, createNodeConfigFs(), io.platform);
    return file === undefined ? [] : [...file.profiles.keys()];
  };
  const devices = async (): Promise<DeviceListing> => {
    const [{ listDevices }, { execCommand }] = await Promise.all([import('./devices/list-devices.js'), import('./system/exec.js')]);
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
  const [{ listDevices }, { formatDeviceList, formatDeviceListJson }, { markMonitors }, { execCommand }] = await Promise.all([
    import('./devices/list-devices.js'),
    import('./render/device-list.js'),
    import('./devices/system-audio.js'),
    import('./system/exec.js'),
  ]);
  const found = await listDevices({ platform: io.platform, env: io.env, exec: execCommand });
  const listing = { ...found, devices: markMonitors(found.devices) }; // loopback inputs (BlackHole, Stereo Mix) too
  const theme = new Chalk({ level: colorLevel(io, 'stdout', raw) });
  io.stdout.write(raw.format === 'json' ? formatDeviceListJson(listing) : formatDeviceList(listing, theme));
  return listing.devices.length > 0 ? ExitCode.ok : ExitCode.audio;
}

/** --keyterms-file's text, read here so that config stays pure; a file that cannot be read is a usage error. */
async function withKeytermsFile(raw: RawOptions): Promise<RawOptions> {
  if (raw.keytermsFile === undefined) return raw;
  try {
    return { ...raw, keytermsFileText: await readFile(raw.keytermsFile, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new UsageError(`cannot read --keyterms-file ${raw.keytermsFile}: ${why}`, 'give a text file with one term a line');
  }
}

/** --list-models: the models this client knows, their languages and features (docs/service.md#speech-models). */
async function runListModels(raw: RawOptions, io: CliIO): Promise<number> {
  if (raw.format !== undefined && raw.format !== 'json' && raw.format !== 'text') {
    io.stderr.write(formatPlainError('--list-models prints text or, with --format json, JSON'));
    return ExitCode.usage;
  }
  const [{ formatModelList, formatModelListJson }, { MODEL_CATALOGUE }] = await Promise.all([
    import('./render/model-list.js'),
    import('./streaming/models.js'),
  ]);
  const theme = new Chalk({ level: colorLevel(io, 'stdout', raw) });
  io.stdout.write(raw.format === 'json' ? formatModelListJson(MODEL_CATALOGUE) : formatModelList(MODEL_CATALOGUE, theme));
  return ExitCode.ok;
}

// --- doctor's settings (issue 24.1): the run's layers, file and profile included --------------------------
type DoctorChosen = { options: RawOptions; endpoint: string; sampleRateHz?: number; device?: string; keySource?: string; settingsText: string };

/** Flags, environment, profile and file, merged as for a run -> what doctor checks; or the exit code of a usage error. */
async function resolveDoctor(program: Command, raw: RawOptions, io: CliIO): Promise<DoctorChosen | number> {
  const [{ doctorSettings, lastDevice }, { formatDoctorSettings, formatOrigin }] = await Promise.all([
    import('./options/doctor-settings.js'),
    import('./render/setting-origin.js'),
  ]);
  let options: RawOptions = raw;
  try {
    const settings = await programSettings(program, raw, io);
    options = settings.options;
    let chosen;
    try {
      chosen = doctorSettings(settings);
    } catch (err) {
      throw err instanceof UsageError ? explainFileError(err, settings) : err;
    }
    const device = lastDevice(chosen.options.device);
    const flagOrEnv = chosen.keyOrigin.kind === 'flag' || chosen.keyOrigin.kind === 'env' || chosen.keyOrigin.kind === 'default';
    return {
      options: chosen.options,
      endpoint: chosen.endpoint,
      ...(chosen.sampleRateHz === undefined ? {} : { sampleRateHz: chosen.sampleRateHz }),
      ...(device === undefined ? {} : { device }),
      ...(flagOrEnv ? {} : { keySource: formatOrigin(chosen.keyOrigin) }),
      settingsText: formatDoctorSettings(chosen.rows),
    };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    io.stderr.write(formatError(err, new Chalk({ level: colorLevel(io, 'stderr', options) })));
    return exitCodeFor(err);
  }
}
// ---- Issue 21: `live-transcribe dictate` (the normal run's options plus src/dictation/options.ts) ----
/** Types each final turn into the focused window; its logic is in src/dictation/command.ts. */
async function runDictate(argv: string[], io: CliIO): Promise<number> {
  const [{ DICTATE_DESCRIPTION, dictateOptions }, { runDictation }, { choiceValue }] = await Promise.all([
    import('./dictation/options.js'),
    import('./dictation/command.js'),
    import('./options/values.js'),
  ]);
  const program = addTableOptions(createProgram(io.version), 'dictate', 'all').name('live-transcribe dictate').description(DICTATE_DESCRIPTION);
  const parsed = parseArgs(program, argv, io);
  if (!parsed.ok) return parsed.exitCode;
  let typeWith: string | undefined;
  try {
    typeWith = parsed.raw.typeWith === undefined ? undefined : choiceValue('type-with', parsed.raw.typeWith);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(formatUsageError(err.message, program.name()));
    return ExitCode.usage;
  }
  let start: ((typing: Sink) => Run) | undefined;
  return runDictation(
    dictateOptions({ ...parsed.raw, typeWith }),
    { ...io, pid: io.pid ?? 0 },
    {
      resolve: async () => {
        const resolved = await resolveRun(program, parsed.raw, io);
        if (typeof resolved === 'number') return resolved;
        if (resolved.listDevices) return runListDevices(resolved.options, io);
        const { config } = resolved;
        await printNotices(config, io);
        // -q: what is typed is not printed either (from a shortcut there is no one to read it).
        const quiet = config.quiet === true ? { stdout: { write: () => true, on: () => undefined }, stdoutIsPipe: false, sameTerminal: false } : {};
        start = (typing) => startTranscription(config, { ...runIO(io, config), ...quiet, extraSinks: [typing] });
        return { quiet: config.quiet === true };
      },
      start: (typing) => {
        if (start === undefined) throw new Error('dictate: start before resolve');
        return start(typing);
      },
    },
  );
}
// ---- end of issue 21 ----
// --- end of doctor's settings ---------------------------------------------------------------------------

/** `live-transcribe doctor`: each check with ok / problem / how to fix; exit 0 only when all pass. */
async function runDoctorCommand(argv: string[], io: CliIO): Promise<number> {
  const program = createDoctorProgram();
  const parsed = parseArgs(program, argv, io);
  if (!parsed.ok) return parsed.exitCode;
  const raw = parsed.raw;
  const [{ runDoctor, createDoctorDeps }, { DOCTOR_RECORDING_NOTICE, formatDoctorCheck, formatDoctorVerdict }, { execCommand }] = await Promise.all([
    import('./doctor/doctor.js'),
    import('./render/doctor-messages.js'),
    import('./system/exec.js'),
  ]);
  const chosen = await resolveDoctor(program, raw, io);
  if (typeof chosen === 'number') return chosen;
  const theme = new Chalk({ level: colorLevel(io, 'stdout', chosen.options) });
  const { endpoint, sampleRateHz } = chosen;
  io.stdout.write(chosen.settingsText);
  // Issue 20: doctor --captions [ADDRESS], refused before any check when it is not an address.
  let captionsAddress: import('./captions/address.js').CaptionsAddress | undefined;
  const captions = (raw as { captions?: string | true }).captions;
  if (captions !== undefined) {
    try {
      captionsAddress = (await import('./captions/address.js')).parseCaptionsAddress(captions);
    } catch (err) {
      io.stderr.write(formatPlainError((err as Error).message));
      return ExitCode.usage;
    }
  }
  const deps = createDoctorDeps({ platform: io.platform, env: io.env, nodeVersion: io.nodeVersion, exec: execCommand });
  deps.onCheckStart = (id) => {
    if (id === 'microphone') io.stderr.write(DOCTOR_RECORDING_NOTICE);
  };
  deps.onCheck = (check) => io.stdout.write(formatDoctorCheck(check, theme, io.stdout.isTTY === true ? (io.stdout.columns ?? 80) : undefined)); // issue 24.9: wrap on words
  const report = await runDoctor(
    {
      endpoint,
      ...(chosen.device === undefined ? {} : { device: chosen.device }),
      ...(sampleRateHz === undefined ? {} : { sampleRateHz }),
      ...(chosen.options.apiKey === undefined ? {} : { apiKey: chosen.options.apiKey }),
      ...(chosen.options.token === undefined ? {} : { token: chosen.options.token }),
      ...(chosen.options.tokenCommand === undefined ? {} : { tokenCommand: chosen.options.tokenCommand }),
      ...(chosen.keySource === undefined ? {} : { keySource: chosen.keySource }),
    },
    deps,
  );
  // Issue 20: the captions port, after the others, only when asked for.
  if (captionsAddress !== undefined) {
    const { checkCaptionsPort } = await import('./captions/port-check.js');
    const check = await checkCaptionsPort(captionsAddress);
    deps.onCheck?.(check);
    report.checks.push(check);
    if (check.status === 'problem') report.ok = false;
  }
  // The checks were printed as they finished (onCheck); the verdict closes the report.
  io.stdout.write(`\n${formatDoctorVerdict(report, theme)}`);
  return report.ok ? ExitCode.ok : ExitCode.failure;
}
