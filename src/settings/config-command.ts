/**
 * `live-transcribe config [--path | --init] [--config FILE] [--profile NAME]`: the effective settings and
 * where each came from, the file's path, or a commented starter file. Resolves to an exit code, never exits;
 * all I/O is injected.
 */
import { dirname } from 'node:path';
import { Command, CommanderError } from 'commander';
import { Chalk } from 'chalk';
import type { Env } from '../config.js';
import { AppError, ExitCode, exitCodeFor } from '../core/errors.js';
import { formatConfigPath, formatInitDone, formatInitRefused, formatSettings, formatStarterFile } from '../render/config-messages.js';
import { formatError } from '../render/status.js';
import type { ConfigFileSystem } from './config-file.js';
import { resolveConfigPath } from './config-path.js';
import { loadSettings } from './sources.js';

export interface ConfigCommandFileSystem extends ConfigFileSystem {
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown>;
  /** Called with flag 'wx': must fail with code EEXIST when the file exists. */
  writeFile(path: string, data: string, options: { mode: number; flag: 'wx' }): Promise<void>;
}

export interface ConfigCommandDeps {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Env;
  platform: string;
  homedir: string;
  fs: ConfigCommandFileSystem;
  /** chalk level for errors on stderr (default 0). */
  stderrColorLevel?: 0 | 1 | 2 | 3;
}

interface ConfigCommandOptions {
  path?: boolean;
  init?: boolean;
  config?: string;
  profile?: string;
}

export async function runConfigCommand(argv: readonly string[], deps: ConfigCommandDeps): Promise<number> {
  const parsed = parseConfigArgs(argv);
  if (typeof parsed === 'string') {
    (parsed.startsWith('Usage') ? deps.stdout : deps.stderr).write(parsed);
    return parsed.startsWith('Usage') ? ExitCode.ok : ExitCode.usage;
  }
  const location = resolveConfigPath({ flag: parsed.config, env: deps.env, platform: deps.platform, homedir: deps.homedir });
  if (parsed.path === true) {
    deps.stdout.write(formatConfigPath(location));
    return ExitCode.ok;
  }
  try {
    if (parsed.init === true) return await writeStarterFile(location.path, deps);
    const settings = await loadSettings({ flags: { source: 'flag', options: {} }, configFlag: parsed.config, profileFlag: parsed.profile }, deps);
    deps.stdout.write(formatSettings({ ...settings, fileFound: settings.file !== undefined }));
    return ExitCode.ok;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    deps.stderr.write(formatError(err, new Chalk({ level: deps.stderrColorLevel ?? 0 })));
    return exitCodeFor(err);
  }
}

/** The options, or the text to print: help (starts with "Usage") or a usage error. */
function parseConfigArgs(argv: readonly string[]): ConfigCommandOptions | string {
  let out = '';
  const program = new Command('live-transcribe config')
    .description('Show the settings in effect and where each comes from; find or create the config file.')
    .option('--path', "print the config file's path")
    .option('--init', 'write a commented starter file (never replaces one)')
    .option('--config <file>', 'another config file (also: LIVE_TRANSCRIBE_CONFIG)')
    .option('--profile <name>', 'show the settings with this profile (also: LIVE_TRANSCRIBE_PROFILE)')
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: (t) => (out += t), writeErr: (t) => (out += t), outputError: () => {} });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError && (err.code === 'commander.helpDisplayed' || err.code === 'commander.help')) return out;
    return `error: ${(err as Error).message.replace(/^error: /, '')}\n  run live-transcribe config --help for usage\n`;
  }
  const opts = program.opts<ConfigCommandOptions>();
  if (opts.path === true && opts.init === true) return 'error: --path and --init cannot be used together\n';
  return opts;
}

async function writeStarterFile(path: string, deps: ConfigCommandDeps): Promise<number> {
  try {
    await deps.fs.mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await deps.fs.writeFile(path, formatStarterFile(), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EEXIST') {
      deps.stderr.write(formatInitRefused(path));
      return ExitCode.usage;
    }
    deps.stderr.write(`error: cannot write ${path}: ${code ?? (err as Error).message}\n`);
    return ExitCode.failure;
  }
  deps.stdout.write(formatInitDone(path));
  return ExitCode.ok;
}
