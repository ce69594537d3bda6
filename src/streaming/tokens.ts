/**
 * The credential of each session (docs/service.md#connecting, docs/service.md#temporary-tokens). A key serves every session. A temporary token is
 * single-use: it serves the first session only, so a reconnect or a rollover is not attempted with it (the run
 * ends in good order, saying why). `--token-command CMD` runs CMD before each session (start, reconnect,
 * rollover) and uses what it prints, trimmed. The token is never part of a message. The command runner is
 * injected (app/channel.ts gives it the shell), so this stays free of processes.
 */
import { AppError, ErrorCode } from '../core/errors.js';
import type { Auth, Credentials } from '../core/types.js';

/** What running the command gave: its exit code (null: it could not run or timed out), its output. */
export interface TokenCommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why it could not run (not installed, timed out), in a few words. */
  errorMessage?: string;
}

export type RunTokenCommand = (command: string) => Promise<TokenCommandResult>;

export interface TokenSource {
  /** The credential for the next session. Rejects with an AppError (never retried) when there is none. */
  next(): Promise<Auth>;
  /** Why no new session can be opened now, if none can (the one token given was used). */
  renewal(why: 'reconnect' | 'rollover'): AppError | undefined;
}

/** A token longer than this, or with spaces inside, is not what a token command should print. */
const MAX_TOKEN_CHARS = 4096;
const FIX_TOKEN = 'use --token-command CMD (a command that prints a new token) or an API key (--api-key or ASSEMBLYAI_API_KEY)';

/** The error when a second session would need the token already used. */
export function tokenUsedError(why: 'reconnect' | 'rollover'): AppError {
  const what =
    why === 'reconnect'
      ? 'the connection dropped, and a new session needs a new temporary token: the one given with --token serves one session'
      : 'the session is reaching its time limit, and the next session needs a new temporary token: the one given with --token serves one session';
  return new AppError(ErrorCode.auth, what, { hint: `the transcript so far is written; to keep going past one session, ${FIX_TOKEN}` });
}

function commandFailed(detail: string): AppError {
  return new AppError(ErrorCode.auth, `--token-command failed: ${detail}`, {
    hint: 'the command must print a temporary streaming token on standard output and exit 0',
  });
}

/** The token a command printed, or the error to show: never the output itself (it may hold secrets). */
export function tokenFromCommand(result: TokenCommandResult): { ok: true; token: string } | { ok: false; error: AppError } {
  if (result.code !== 0) {
    const why = result.code === null ? (result.errorMessage ?? 'it could not be run') : `it exited with code ${result.code}`;
    const said = result.stderr.trim().split('\n')[0]?.slice(0, 200) ?? '';
    return { ok: false, error: commandFailed(said === '' ? why : `${why} (${said})`) };
  }
  const token = result.stdout.trim();
  if (token === '') return { ok: false, error: commandFailed('it printed nothing') };
  if (token.length > MAX_TOKEN_CHARS || /\s|[^\x21-\x7e]/.test(token)) {
    return { ok: false, error: commandFailed('what it printed is not a token (one line, no spaces)') };
  }
  return { ok: true, token };
}

/** `onToken`: told each token --token-command mints, before it is used (the run scrubs it from all output). */
export function createTokenSource(credentials: Credentials, run: RunTokenCommand, onToken: (token: string) => void = () => {}): TokenSource {
  if (credentials.kind === 'key') return { next: () => Promise.resolve(credentials), renewal: () => undefined };
  if (credentials.kind === 'token') {
    let used = false;
    return {
      next() {
        if (used) return Promise.reject(tokenUsedError('reconnect'));
        used = true;
        return Promise.resolve(credentials);
      },
      renewal: (why) => (used ? tokenUsedError(why) : undefined),
    };
  }
  return {
    async next() {
      const got = tokenFromCommand(await run(credentials.command));
      if (!got.ok) throw got.error;
      onToken(got.token);
      return { kind: 'token', token: got.token };
    },
    renewal: () => undefined,
  };
}
