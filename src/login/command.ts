/**
 * `live-transcribe login` and `logout`: the API key read without echo (or from a pipe), checked at the
 * token endpoint (no session is opened, nothing is billed), and kept where only the user can read it: the OS
 * keyring when there is one, else the config file at mode 600. The key is never printed.
 */
import { addProgramOptions, addTableOptions } from '../options/program.js';
import { Command, CommanderError } from 'commander';
import { parseApiHost } from '../options/resolve.js';
import { DEFAULT_HOST } from '../core/defaults.js';
import { errorText, requestToken, tokenUrl, tokenVerdict, type TokenAnswer, type TokenRequest } from '../doctor/doctor.js';
import { AppError, ErrorCode, ExitCode, exitCodeFor, UsageError } from '../core/errors.js';
import * as say from '../render/login-messages.js';
import { formatUsageError } from '../render/cli-messages.js';
import { resolveConfigPath } from '../options/config-path.js';
import { proxyFor } from '../streaming/proxy.js';
import { withApiKey, withoutApiKey } from './key-file.js';
import type { Keyring } from './keyring.js';
import { readKey, type KeyInput } from './read-key.js';

export interface KeyFileSystem {
  readFile(path: string): Promise<string>;
  /** Writes with mode 600 (and makes the folder, mode 700), also tightening a file that existed. */
  writePrivate(path: string, data: string): Promise<void>;
}

export interface LoginIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  stdin: KeyInput;
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  homedir: string;
  fs: KeyFileSystem;
  keyring: Keyring | undefined;
  /** Writes an error (AppError) the way every other command does. */
  formatError: (err: AppError) => string;
  requestToken?: (r: TokenRequest) => Promise<TokenAnswer>;
}

const CHECK_TIMEOUT_MS = 15_000;

function program(name: 'login' | 'logout'): Command {
  const p = new Command(`live-transcribe ${name}`).description(name === 'login' ? say.LOGIN_DESCRIPTION : say.LOGOUT_DESCRIPTION);
  addProgramOptions(addTableOptions(p, name, 'all'), name, 'all').allowExcessArguments(false);
  if (name === 'login') p.addHelpText('after', say.LOGIN_HELP_AFTER);
  return p;
}

type Parsed = { ok: true; opts: { config?: string; apiHost?: string } } | { ok: false; code: number };

function parse(name: 'login' | 'logout', argv: string[], io: LoginIO): Parsed {
  const p = program(name);
  let out = '';
  p.exitOverride().configureOutput({ writeOut: (t) => (out += t), writeErr: (t) => (out += t), outputError: () => {} });
  try {
    p.parse(argv, { from: 'user' });
    return { ok: true, opts: p.opts() };
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') {
      io.stdout.write(out);
      return { ok: false, code: ExitCode.ok };
    }
    io.stderr.write(formatUsageError(err.message, p.name()));
    return { ok: false, code: ExitCode.usage };
  }
}

function fail(io: LoginIO, err: AppError): number {
  io.stderr.write(io.formatError(err));
  return exitCodeFor(err);
}

async function readFileOrEmpty(fs: KeyFileSystem, path: string): Promise<string> {
  try {
    return await fs.readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/** The key at the token endpoint: undefined when accepted, else the error to show. */
async function checkKey(key: string, apiHost: string | undefined, io: LoginIO): Promise<AppError | undefined> {
  const endpoint = parseApiHost(apiHost ?? DEFAULT_HOST);
  const url = tokenUrl(endpoint);
  const decision = proxyFor(endpoint, io.env);
  if (decision.kind === 'invalid') return decision.error;
  const ask = io.requestToken ?? requestToken;
  const answer = await ask({ url, apiKey: key, timeoutMs: CHECK_TIMEOUT_MS, ...(decision.kind === 'proxy' ? { proxy: decision.proxy } : {}) });
  const where = new URL(url).host;
  if (!answer.ok) {
    const r = say.formatLoginUnchecked(where, `${answer.errorMessage} (${answer.errorCode})`);
    return new AppError(ErrorCode.network, r.message, { hint: r.hint });
  }
  const verdict = tokenVerdict(answer.status, answer.body);
  if (verdict === 'accepted') return undefined;
  const said = errorText(answer.body).split(key).join('***');
  if (verdict === 'refused') {
    const r = say.formatLoginRefused(answer.status, said);
    return new AppError(ErrorCode.auth, r.message, { hint: r.hint });
  }
  const r = say.formatLoginUnchecked(where, `unexpected answer HTTP ${answer.status}${said === '' ? '' : ` (${said})`}`);
  return new AppError(ErrorCode.server, r.message, { hint: r.hint });
}

export async function runLogin(argv: string[], io: LoginIO): Promise<number> {
  const parsed = parse('login', argv, io);
  if (!parsed.ok) return parsed.code;
  if (io.stdin.isTTY === true) io.stderr.write(say.LOGIN_PROMPT);
  const read = await readKey(io.stdin);
  if (io.stdin.isTTY === true) io.stderr.write('\n');
  if (read.kind === 'interrupted') return ExitCode.forced;
  if (read.kind === 'empty') return fail(io, new UsageError(say.LOGIN_EMPTY.message, say.LOGIN_EMPTY.hint));
  if (/\s/.test(read.key)) return fail(io, new UsageError(say.LOGIN_NOT_A_KEY.message, say.LOGIN_NOT_A_KEY.hint));
  let refused: AppError | undefined;
  try {
    refused = await checkKey(read.key, parsed.opts.apiHost, io);
  } catch (err) {
    if (err instanceof AppError) return fail(io, err);
    throw err;
  }
  if (refused !== undefined) return fail(io, refused);
  const path = resolveConfigPath({ flag: parsed.opts.config, env: io.env, platform: io.platform, homedir: io.homedir }).path;
  const text = await readFileOrEmpty(io.fs, path);
  let place: string;
  if (io.keyring !== undefined && (await io.keyring.store(read.key))) {
    place = io.keyring.name;
    // A key in the file would win over the keyring's: it goes, so the new key is the one used.
    const without = withoutApiKey(text);
    if (without.removed) {
      await io.fs.writePrivate(path, without.text);
      io.stderr.write(say.formatRemovedFromFile(path));
    }
  } else {
    if (io.keyring !== undefined) io.stderr.write(say.KEYRING_FAILED_NOTE);
    await io.fs.writePrivate(path, withApiKey(text, read.key));
    place = say.formatConfigFileKey(path);
  }
  io.stdout.write(say.formatLoggedIn(place));
  if ((io.env.ASSEMBLYAI_API_KEY ?? '') !== '') io.stderr.write(say.formatEnvWins());
  return ExitCode.ok;
}

export async function runLogout(argv: string[], io: LoginIO): Promise<number> {
  const parsed = parse('logout', argv, io);
  if (!parsed.ok) return parsed.code;
  const places: string[] = [];
  if (io.keyring !== undefined && (await io.keyring.clear())) places.push(io.keyring.name);
  const path = resolveConfigPath({ flag: parsed.opts.config, env: io.env, platform: io.platform, homedir: io.homedir }).path;
  const without = withoutApiKey(await readFileOrEmpty(io.fs, path));
  if (without.removed) {
    await io.fs.writePrivate(path, without.text);
    places.push(path);
  }
  io.stdout.write(say.formatLoggedOut(places));
  if ((io.env.ASSEMBLYAI_API_KEY ?? '') !== '') io.stderr.write(say.formatEnvWins());
  return ExitCode.ok;
}
