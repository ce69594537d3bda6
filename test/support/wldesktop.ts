/**
 * A real Wayland desktop to type into (dictation tests): sway 1.7 headless with a `foot` terminal running
 * `cat > OUT` (focused: it is the only window). sway refuses to run as root, so as root the compositor and
 * every program that talks to it run as an ordinary user (`ltdictate`, created once); `asUser` wraps a
 * command for that. Its runtime directory holds `wayland-1`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitUntil } from './wait.js';

const run = promisify(execFile);
const USER = 'ltdictate';

export interface WaylandDesktop {
  runtimeDir: string;
  display: string;
  /** The command and arguments that run `command` as the compositor's user. */
  asUser(command: string, args: string[]): [string, string[]];
  received(): string;
  waitFor(pred: (text: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

async function userIds(): Promise<{ uid: number; gid: number }> {
  try {
    await run('id', ['-u', USER]);
  } catch {
    await run('useradd', ['-m', USER]);
  }
  const uid = Number((await run('id', ['-u', USER])).stdout.trim());
  const gid = Number((await run('id', ['-g', USER])).stdout.trim());
  return { uid, gid };
}

/** Lets the compositor's user reach `dir`: execute (search) permission on it and on each folder above it in /tmp. */
function openPath(dir: string): void {
  for (let d = dir; d.startsWith('/tmp/'); d = path.dirname(d)) chmodSync(d, statSync(d).mode | 0o711);
  chmodSync(dir, 0o755);
}

export async function startWaylandDesktop(dir: string): Promise<WaylandDesktop> {
  const root = process.getuid?.() === 0;
  const ids = root ? await userIds() : undefined;
  const runtimeDir = path.join(dir, 'wl-runtime');
  const outDir = path.join(dir, 'wl-out');
  mkdirSync(runtimeDir, { recursive: true });
  mkdirSync(outDir, { recursive: true });
  chmodSync(runtimeDir, 0o700);
  if (root) openPath(dir);
  const out = path.join(outDir, 'OUT');
  const config = path.join(dir, 'sway.conf');
  writeFileSync(config, `exec foot -e sh -c 'stty -icanon -echo; exec cat > ${out}'\n`);
  if (ids !== undefined) for (const p of [runtimeDir, outDir]) chownSync(p, ids.uid, ids.gid);
  const asUser = (command: string, args: string[]): [string, string[]] =>
    root ? ['runuser', ['-u', USER, '--', command, ...args]] : [command, args];
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    XDG_RUNTIME_DIR: runtimeDir,
    WLR_BACKENDS: 'headless',
    WLR_LIBINPUT_NO_DEVICES: '1',
    WLR_RENDERER: 'pixman',
    LANG: 'C.UTF-8',
  };
  const [cmd, args] = asUser('sway', ['-c', config]);
  let log = '';
  const sway: ChildProcess = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  sway.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  sway.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const stop = async (): Promise<void> => {
    sway.kill('SIGTERM');
    await new Promise((r) => (sway.exitCode !== null || sway.signalCode !== null ? r(undefined) : sway.once('exit', r)));
  };
  try {
    await waitUntil(() => existsSync(out), {
      timeoutMs: 20_000,
      what: () => `foot under sway to open ${out}\nsway: ${log}`,
      failIf: () => (sway.exitCode !== null ? `sway exited (${sway.exitCode}): ${log}` : undefined),
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const received = (): string => (existsSync(out) ? readFileSync(out, 'utf8') : '');
  return {
    runtimeDir,
    display: 'wayland-1',
    asUser,
    received,
    waitFor: (pred, what, timeoutMs = 20_000) =>
      waitUntil(() => (pred(received()) ? received() : undefined), {
        timeoutMs,
        intervalMs: 50,
        what: () => `${what}; the Wayland client received ${JSON.stringify(received())}`,
      }),
    close: stop,
  };
}
