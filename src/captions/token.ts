/**
 * The captions page's secret (issue 20): a random token, kept in the user's state folder so that the printed
 * URL stays the same from run to run (a phone's bookmark, an OBS source). Never the API key: 128 random bits.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, posix, win32 } from 'node:path';
import { AppError, ErrorCode } from '../core/errors.js';
import { formatCaptionsTokenFailed } from '../render/captions-messages.js';

const APP_DIR = 'live-transcribe';
const FILE_NAME = 'captions-token';
const TOKEN_FORM = /^[A-Za-z0-9_-]{22,128}$/;

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Linux and other Unix: $XDG_STATE_HOME (absolute only), else ~/.local/state; macOS: ~/Library/Application
 * Support; Windows: %LOCALAPPDATA% (else ~\AppData\Local). Pure.
 */
export function captionsTokenPath(env: Env, platform: string, homedir: string): string {
  const set = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);
  if (platform === 'win32') return win32.join(set(env.LOCALAPPDATA) ?? win32.join(homedir, 'AppData', 'Local'), APP_DIR, FILE_NAME);
  if (platform === 'darwin') return posix.join(homedir, 'Library', 'Application Support', APP_DIR, FILE_NAME);
  const xdg = set(env.XDG_STATE_HOME);
  return posix.join(xdg !== undefined && posix.isAbsolute(xdg) ? xdg : posix.join(homedir, '.local', 'state'), APP_DIR, FILE_NAME);
}

export function newToken(): string {
  return randomBytes(16).toString('base64url');
}

/** The kept token, or a new one written there (readable by the user only). Throws AppError (exit 2). */
export async function loadOrCreateToken(path: string): Promise<string> {
  try {
    const kept = (await readFile(path, 'utf8')).trim();
    if (TOKEN_FORM.test(kept)) return kept;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw tokenError(path, err);
  }
  const token = newToken();
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(path, `${token}\n`, { mode: 0o600 });
  } catch (err) {
    throw tokenError(path, err);
  }
  return token;
}

function tokenError(path: string, err: unknown): AppError {
  const r = formatCaptionsTokenFailed(path, (err as Error).message);
  return new AppError(ErrorCode.usage, r.message, r.hint === undefined ? {} : { hint: r.hint });
}

/** Compares in constant time, so the token cannot be guessed a character at a time. */
export function sameToken(given: string | null | undefined, token: string): boolean {
  if (given === null || given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
