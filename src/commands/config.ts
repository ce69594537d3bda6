/**
 * `live-transcribe config [--path | --init] [--config FILE] [--profile NAME]`: the effective settings and
 * where each came from, the file's path, or a commented starter file. Resolves to an exit code, never exits;
 * all I/O is injected.
 */
import { dirname } from 'node:path';
import { Command, CommanderError } from 'commander';
import { Chalk } from 'chalk';
import type { Env } from '../options/resolve.js';
import { AppError, ExitCode, exitCodeFor } from '../core/errors.js';
import { formatConfigPath, formatInitDone, formatInitRefused, formatSettings, formatStarterFile } from '../render/config-messages.js';
import { formatError } from '../render/status.js';
import type { ConfigCommandFileSystem } from '../options/node-fs.js';
import { PROFILE_ENV, resolveConfigPath } from '../options/config-path.js';
import { addProgramOptions, addTableOptions } from '../options/program.js';
import { settingsView, starterKeys } from '../options/config-view.js';
import { loadSettings } from '../options/layers.js';

export type { ConfigCommandFileSystem } from '../options/node-fs.js';

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
    deps.stdout.write(formatConfigPath(location.path));
    return ExitCode.ok;
  }
  try {
    if (parsed.init === true) return await writeStarterFile(location.path, deps);
    const settings = await loadSettings({ flags: { source: 'flag', options: {} }, configFlag: parsed.config, profileFlag: parsed.profile }, deps);
    deps.stdout.write(formatSettings(settingsView(settings)));
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
  const program = addProgramOptions(addTableOptions(new Command('live-transcribe config'), 'config', 'all'), 'config', 'all')
    .description('Show the settings in effect and where each comes from; find or create the config file.')
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
    await deps.fs.writeFile(path, formatStarterFile(starterKeys(), PROFILE_ENV), { mode: 0o600, flag: 'wx' });
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
