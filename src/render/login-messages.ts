/**
 * The sentences of `live-transcribe login` and `logout`. Pure; none of them ever contains the key.
 */
import { API_KEYS_PAGE } from './links.js';

export const LOGIN_DESCRIPTION = 'store your AssemblyAI API key for later runs (checked with the service first; never shown)';
export const LOGOUT_DESCRIPTION = 'remove the API key that login stored';
export const LOGIN_HELP_AFTER = `
The key is read without echo from the terminal, or from standard input when it is piped:
  live-transcribe login
  pass show assemblyai | live-transcribe login
It goes to the OS keyring when there is one (secret-tool on Linux, the keychain on macOS; LIVE_TRANSCRIBE_KEYRING=none
skips it), else to the config file, readable only by you (mode 600). --api-key, --token and ASSEMBLYAI_API_KEY
still win over it. Get a key at ${API_KEYS_PAGE}
`;

export const LOGIN_PROMPT = `Paste your AssemblyAI API key (from ${API_KEYS_PAGE}); it is not shown: `;

export const LOGIN_EMPTY = {
  message: 'no key was given: nothing was stored',
  hint: `copy a key from ${API_KEYS_PAGE}, then run live-transcribe login again`,
} as const;
export const LOGIN_NOT_A_KEY = {
  message: 'that is not an API key (it has spaces or line breaks in it): nothing was stored',
  hint: `copy the whole key, and nothing around it, from ${API_KEYS_PAGE}`,
} as const;

export function formatLoginRefused(status: number, said: string): { message: string; hint: string } {
  return {
    message: `the service refused this key (HTTP ${status}${said === '' ? '' : `: ${said}`}): nothing was stored`,
    hint: `copy the key again from ${API_KEYS_PAGE} (the whole key, nothing around it)`,
  };
}

export function formatLoginUnchecked(where: string, why: string): { message: string; hint: string } {
  return {
    message: `could not check the key at ${where}: ${why}; nothing was stored`,
    hint: 'check the network (or --api-host), then run live-transcribe login again',
  };
}

export function formatLoggedIn(place: string): string {
  return `Logged in: the key works and is stored in ${place}.\nlive-transcribe uses it when no --api-key, --token or ASSEMBLYAI_API_KEY is given.\n`;
}

export function formatRemovedFromFile(path: string): string {
  return `Removed the api-key line from ${path} (the key now lives in the keyring).\n`;
}

export const KEYRING_FAILED_NOTE = 'note: the keyring did not take the key; it goes to the config file instead\n';

export function formatEnvWins(): string {
  return 'note: ASSEMBLYAI_API_KEY is set in this shell, and it wins over the stored key\n';
}

export function formatLoggedOut(places: readonly string[]): string {
  return places.length === 0 ? 'No stored key was found: nothing to remove.\n' : `Logged out: removed the key from ${places.join(' and ')}.\n`;
}

export function formatConfigFileKey(path: string): string {
  return `the config file ${path} (mode 600: only you can read it)`;
}
