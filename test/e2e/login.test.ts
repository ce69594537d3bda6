/**
 * Issue 24.7: `live-transcribe login` / `logout` through the real binary. The key is typed into a real
 * terminal (tmux) and must not appear on it, or piped in; it is checked at the test double's token endpoint;
 * it lands in a fake `secret-tool` on PATH (the keyring), or in the config file at mode 600 when there is no
 * keyring; a later run uses it; logout removes it. The key is never printed, nor passed in argv.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { makeSpeechWav } from '../support/audio.js';
import { BIN, cleanEnv, recordOutput, runCli } from '../support/cli.js';
import { startTmux, type TmuxSession } from '../support/tmux.js';

/** Obviously fake, and not one of the secret-scan markers: the scan would find it in the keyring/config files. */
const LOGIN_KEY = 'login-test-key-4c1d';
const KEYRING_PAGE = 'https://www.assemblyai.com/dashboard/api-keys';

/** A stand-in for libsecret's secret-tool with its interface: store reads stdin, lookup prints, clear removes. */
const FAKE_SECRET_TOOL = `#!/bin/sh
echo "$*" >> "$FAKE_KEYRING.argv"
case "$1" in
  store) cat > "$FAKE_KEYRING" ;;
  lookup) [ -s "$FAKE_KEYRING" ] || exit 1; cat "$FAKE_KEYRING" ;;
  clear) rm -f "$FAKE_KEYRING" ;;
  *) exit 2 ;;
esac
`;

let dir: string;
let hello: string;
let keyringBin: string;
let server: FakeServer;
let tmux: TmuxSession | undefined;
let n = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-login-'));
  keyringBin = path.join(dir, 'keyring-bin');
  await mkdir(keyringBin);
  await writeFile(path.join(keyringBin, 'secret-tool'), FAKE_SECRET_TOOL);
  await chmod(path.join(keyringBin, 'secret-tool'), 0o755);
  hello = path.join(dir, 'hello.wav');
  await makeSpeechWav('hello world', hello);
  server = await startFakeServer({ apiKeys: [LOGIN_KEY], script: ['hello world'] });
}, 60_000);
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await tmux?.kill();
  tmux = undefined;
});

/** A fresh home: its own config place and keyring file. */
async function home(withKeyring: boolean): Promise<{ env: Record<string, string>; config: string; keyring: string }> {
  const h = path.join(dir, `home-${++n}`);
  await mkdir(h);
  const keyring = path.join(h, 'keyring');
  const env = cleanEnv({
    HOME: h,
    XDG_CONFIG_HOME: path.join(h, '.config'),
    FAKE_KEYRING: keyring,
    PATH: withKeyring ? `${keyringBin}:${process.env.PATH ?? ''}` : (process.env.PATH ?? ''),
  });
  return { env, config: path.join(h, '.config', 'live-transcribe', 'config.toml'), keyring };
}

/** The binary with `input` piped to its standard input. */
function runPiped(args: string[], env: Record<string, string>, input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    recordOutput(`stdout of login ${args.join(' ')}`, () => stdout);
    recordOutput(`stderr of login ${args.join(' ')}`, () => stderr);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`login did not exit: ${stderr}`));
    }, 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

describe('login in a terminal (issue 24.7)', () => {
  it('reads the key without echo, checks it with the service, stores it in the keyring; a run then uses it', async () => {
    const h = await home(true);
    tmux = await startTmux(`${shq(process.execPath)} ${shq(BIN)} login --api-host ${shq(server.url)}`, {
      cols: 200,
      rows: 20,
      env: h.env,
      replaceEnv: true,
    });
    await tmux.waitForScreen((s) => s.includes('it is not shown:'), 15_000);
    await tmux.sendText(LOGIN_KEY);
    await tmux.sendKeys('Enter');
    expect(await tmux.waitForExit(20_000)).toBe(0);
    const screen = await tmux.capture();
    expect(screen).toContain(KEYRING_PAGE);
    expect(screen).toContain('Logged in: the key works and is stored in the keyring (secret-tool).');
    expect(screen).not.toContain(LOGIN_KEY);
    expect(screen).not.toContain('login-test'); // not even the start of it
    expect(await readFile(h.keyring, 'utf8')).toBe(LOGIN_KEY);
    // Given to secret-tool on its stdin, never in its arguments (visible in ps).
    expect(await readFile(`${h.keyring}.argv`, 'utf8')).not.toContain(LOGIN_KEY);
    expect(existsSync(h.config)).toBe(false);

    // A run with no key given anywhere uses the keyring's.
    const run = runCli(['--api-host', server.url, '-i', hello], h.env);
    expect(await run.exit(30_000)).toBe(0);
    expect(run.stdout()).toBe('Hello world.\n');
  });
});

describe('login from a pipe, and logout (issue 24.7)', () => {
  it('a refused key is not stored, and the message points to the dashboard page', async () => {
    const h = await home(true);
    const r = await runPiped(['login', '--api-host', server.url], h.env, 'wrong-key-0001\n');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('the service refused this key (HTTP 401');
    expect(r.stderr).toContain('nothing was stored');
    expect(r.stderr).toContain(KEYRING_PAGE);
    expect(r.stderr + r.stdout).not.toContain('wrong-key-0001');
    expect(existsSync(h.keyring)).toBe(false);
    expect(existsSync(h.config)).toBe(false);
  });

  it('without a keyring the key goes to the config file at mode 600, keeping what was there; logout removes it', async () => {
    const h = await home(false);
    await mkdir(path.dirname(h.config), { recursive: true });
    await writeFile(h.config, '# mine\nformat = "text"\n\n[profiles.work]\nquiet = true\n', { mode: 0o644 });
    const r = await runPiped(['login', '--api-host', server.url], h.env, `${LOGIN_KEY}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`stored in the config file ${h.config} (mode 600: only you can read it)`);
    expect(r.stdout + r.stderr).not.toContain(LOGIN_KEY);
    expect((await stat(h.config)).mode & 0o777).toBe(0o600);
    const text = await readFile(h.config, 'utf8');
    expect(text).toBe(`# mine\napi-key = "${LOGIN_KEY}"\nformat = "text"\n\n[profiles.work]\nquiet = true\n`);

    const run = runCli(['--api-host', server.url, '-i', hello], h.env);
    expect(await run.exit(30_000)).toBe(0);
    expect(run.stdout()).toBe('Hello world.\n');

    const out = await runPiped(['logout'], h.env, '');
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`Logged out: removed the key from ${h.config}.\n`);
    expect(await readFile(h.config, 'utf8')).toBe('# mine\nformat = "text"\n\n[profiles.work]\nquiet = true\n');
    const after = runCli(['--api-host', server.url, '-i', hello], h.env);
    expect(await after.exit(30_000)).toBe(2);
    expect(after.stderr()).toContain('run live-transcribe login');
    expect(after.stderr()).toContain(KEYRING_PAGE);
  });

  it('logout clears the keyring; a second logout says there was nothing to remove', async () => {
    const h = await home(true);
    expect((await runPiped(['login', '--api-host', server.url], h.env, LOGIN_KEY)).code).toBe(0);
    expect(await readFile(h.keyring, 'utf8')).toBe(LOGIN_KEY);
    const first = await runPiped(['logout'], h.env, '');
    expect(first.stdout).toBe('Logged out: removed the key from the keyring (secret-tool).\n');
    expect(existsSync(h.keyring)).toBe(false);
    const second = await runPiped(['logout'], h.env, '');
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('No stored key was found: nothing to remove.\n');
  });

  it('ASSEMBLYAI_API_KEY beats the keyring: the run uses it, and never asks secret-tool (docs/login.md)', async () => {
    const h = await home(true);
    // A stale key in the keyring, which the service refuses.
    await writeFile(h.keyring, 'stale-keyring-key-refused');
    const run = runCli(['--api-host', server.url, '-i', hello], { ...h.env, ASSEMBLYAI_API_KEY: LOGIN_KEY });
    expect(await run.exit(30_000), run.stderr()).toBe(0);
    expect(run.stdout()).toBe('Hello world.\n');
    expect(existsSync(`${h.keyring}.argv`)).toBe(false);
  });

  it('an empty pipe stores nothing and says where to get a key', async () => {
    const h = await home(true);
    const r = await runPiped(['login', '--api-host', server.url], h.env, '\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no key was given: nothing was stored');
    expect(r.stderr).toContain(KEYRING_PAGE);
  });
});
