/**
 * The OS keyring, where `login` keeps the API key when the machine has one: the Secret Service through
 * `secret-tool` (Linux, libsecret-tools) or the login keychain through `security` (macOS). Optional: when
 * the tool is missing or fails (no D-Bus session, a locked keychain), callers fall back to the config file.
 * The key goes to the tool on its standard input, never in its arguments (which `ps` shows).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The item's attributes: one key per user, named like the program. */
export const KEYRING_SERVICE = 'live-transcribe';
export const KEYRING_ACCOUNT = 'api-key';

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool with `input` on its standard input; never rejects (a tool that cannot start: code null). */
export type RunTool = (command: string, args: readonly string[], input: string) => Promise<ToolResult>;

export interface Keyring {
  /** What to call it in messages: "the keyring (secret-tool)". */
  name: string;
  lookup(): Promise<string | undefined>;
  /** True when the key is stored. */
  store(key: string): Promise<boolean>;
  /** True when an item was removed. */
  clear(): Promise<boolean>;
}

const TIMEOUT_MS = 10_000;

export function runTool(env: Readonly<Record<string, string | undefined>>): RunTool {
  return (command, args, input) =>
    new Promise((resolve) => {
      let stdout = '';
      let stderr = '';
      let settled = false;
      const done = (r: ToolResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const child = spawn(command, [...args], { env: definedOnly(env), stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        done({ code: null, stdout, stderr: `${command} did not finish within ${TIMEOUT_MS} ms` });
      }, TIMEOUT_MS);
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      child.on('error', (e) => done({ code: null, stdout, stderr: e.message }));
      child.on('close', (code) => done({ code, stdout, stderr }));
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    });
}

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

/** Whether `command` is an executable file on PATH. */
export function onPath(command: string, env: Readonly<Record<string, string | undefined>>): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, command), fsConstants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** libsecret's secret-tool: `store` reads the secret from stdin, `lookup` prints it, `clear` removes it. */
export function secretToolKeyring(run: RunTool): Keyring {
  const attrs = ['service', KEYRING_SERVICE, 'account', KEYRING_ACCOUNT];
  return {
    name: 'the keyring (secret-tool)',
    lookup: async () => {
      const r = await run('secret-tool', ['lookup', ...attrs], '');
      return r.code === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : undefined;
    },
    store: async (key) => (await run('secret-tool', ['store', '--label=live-transcribe API key', ...attrs], key)).code === 0,
    clear: async () => {
      const had = (await run('secret-tool', ['lookup', ...attrs], '')).code === 0;
      const r = await run('secret-tool', ['clear', ...attrs], '');
      return had && r.code === 0;
    },
  };
}

/** macOS `security`; the key is written through `security -i` (commands on stdin) to keep it out of argv. */
export function macKeychain(run: RunTool): Keyring {
  const ids = ['-s', KEYRING_SERVICE, '-a', KEYRING_ACCOUNT];
  return {
    name: 'the login keychain (security)',
    lookup: async () => {
      const r = await run('security', ['find-generic-password', ...ids, '-w'], '');
      return r.code === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : undefined;
    },
    store: async (key) => {
      const line = `add-generic-password -U -s ${KEYRING_SERVICE} -a ${KEYRING_ACCOUNT} -w ${quoteForSecurity(key)}\n`;
      const r = await run('security', ['-i'], line);
      return r.code === 0 && !/error/i.test(r.stderr);
    },
    clear: async () => (await run('security', ['delete-generic-password', ...ids], '')).code === 0,
  };
}

/** `security -i` splits its input like a shell: double quotes, with " and \ escaped. */
export function quoteForSecurity(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The keyring this machine offers, or undefined: LIVE_TRANSCRIBE_KEYRING=none turns it off. */
export function detectKeyring(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  run: RunTool = runTool(env),
): Keyring | undefined {
  if (env.LIVE_TRANSCRIBE_KEYRING === 'none') return undefined;
  if (platform === 'darwin' && onPath('security', env)) return macKeychain(run);
  if (platform !== 'win32' && platform !== 'darwin' && onPath('secret-tool', env)) return secretToolKeyring(run);
  return undefined;
}
