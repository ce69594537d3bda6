/**
 * Where the config file is: --config, then LIVE_TRANSCRIBE_CONFIG, then the platform's usual place. Pure.
 */
import { posix, win32 } from 'node:path';
import type { Env } from './raw-options.js';

import { envNameOf } from './environment.js';

/** LIVE_TRANSCRIBE_CONFIG and LIVE_TRANSCRIBE_PROFILE, as the option table names them. */
export const CONFIG_ENV = envNameOf('config');
export const PROFILE_ENV = envNameOf('profile');
const APP_DIR = 'live-transcribe';
const FILE_NAME = 'config.toml';

export interface ConfigPathRequest {
  /** --config FILE, when given. */
  flag?: string | undefined;
  env: Env;
  platform: string;
  homedir: string;
}

export interface ConfigPath {
  path: string;
  /** Named by --config or LIVE_TRANSCRIBE_CONFIG: then a missing file is an error. */
  explicit: boolean;
  /** What chose the path, for `config` and error messages. */
  chosenBy: 'flag' | 'env' | 'default';
}

export function resolveConfigPath(request: ConfigPathRequest): ConfigPath {
  if (request.flag !== undefined && request.flag !== '') return { path: request.flag, explicit: true, chosenBy: 'flag' };
  const fromEnv = request.env[CONFIG_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { path: fromEnv, explicit: true, chosenBy: 'env' };
  return { path: defaultConfigPath(request.env, request.platform, request.homedir), explicit: false, chosenBy: 'default' };
}

/**
 * Linux and other Unix: $XDG_CONFIG_HOME (absolute only, as the XDG spec says), else ~/.config;
 * macOS: ~/Library/Application Support; Windows: %APPDATA% (else ~\AppData\Roaming).
 */
export function defaultConfigPath(env: Env, platform: string, homedir: string): string {
  if (platform === 'win32') {
    const appData = nonEmpty(env.APPDATA) ?? win32.join(homedir, 'AppData', 'Roaming');
    return win32.join(appData, APP_DIR, FILE_NAME);
  }
  if (platform === 'darwin') return posix.join(homedir, 'Library', 'Application Support', APP_DIR, FILE_NAME);
  const xdg = nonEmpty(env.XDG_CONFIG_HOME);
  const base = xdg !== undefined && posix.isAbsolute(xdg) ? xdg : posix.join(homedir, '.config');
  return posix.join(base, APP_DIR, FILE_NAME);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
