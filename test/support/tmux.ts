/**
 * A small driver for real-terminal tests: runs one command in a detached tmux session on a private server
 * (its own socket in a temp dir, no config file), so tests never see or touch the developer's tmux.
 *
 * The command runs as `/bin/sh -c 'trap : INT; /bin/bash -c CMD; echo "[exit:$?]"; exec sleep 600'`:
 * - the exit code is printed on the screen and `waitForExit()` parses it; `exit N` inside CMD works;
 * - `trap : INT` keeps the wrapper shell alive when Ctrl+C (`sendKeys('C-c')`) signals the whole foreground
 *   process group, so the exit line is still printed; a handler (unlike an ignore) is reset on exec, so the
 *   command itself gets default SIGINT handling. bash execs a simple CMD, so the program's own exit code
 *   (e.g. from its SIGINT handler) is reported, and `exit N` inside CMD ends only CMD;
 * - `sleep` is called by absolute path, so the screen stays even when `env.PATH` is a stripped-down PATH.
 *
 * The environment is explicit: the pane gets a small base (PATH, HOME, USER, LANG=C.UTF-8, TMPDIR) plus
 * `opts.env`, and TERM=xterm-256color. Notably CI, FORCE_COLOR, NO_COLOR and VITEST* are NOT inherited, so
 * ora/chalk behave as in a developer's terminal even when the suite runs in CI (ora goes non-interactive
 * when CI is set). Pass `replaceEnv: true` to use only `opts.env` (+ TERM).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { testTmpRoot } from './fake-sox.js';
import { recordOutput } from './cli.js';
import { waitUntil } from './wait.js';
import { findOnPath } from './which.js';

export interface TmuxOptions {
  cols: number;
  rows: number;
  env?: Record<string, string>;
  /** Use only `env` (plus TERM) instead of the base environment plus `env`. */
  replaceEnv?: boolean;
  cwd?: string;
}

export interface TmuxSession {
  /** Path of the private tmux server socket (for `tmux -S` by hand when debugging). */
  readonly socketPath: string;
  /** The visible screen as plain text, trailing blank lines removed. */
  capture(): Promise<string>;
  /** The visible screen with SGR escape sequences (colours, bold, ...), trailing blank lines removed. */
  captureWithEscapes(): Promise<string>;
  /** tmux key names or strings, e.g. sendKeys('C-c'), sendKeys('q'), sendKeys('Enter'). */
  sendKeys(...keys: string[]): Promise<void>;
  /** Types `text` literally (send-keys -l). */
  sendText(text: string): Promise<void>;
  /** Polls the screen every 50 ms until `pred` holds; throws with the last screen on timeout. */
  waitForScreen(pred: (screen: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Waits until the command has exited and returns its exit code (128 + n if killed by signal n). */
  waitForExit(timeoutMs?: number): Promise<number>;
  /** PID of the wrapper shell in the pane (the command is its child). */
  panePid(): Promise<number>;
  /** Kills the tmux server (SIGHUP to everything in the pane) and removes the temp dir. Idempotent. */
  kill(): Promise<void>;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function trimTrailingBlankLines(s: string): string {
  const lines = s.split('\n');
  while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
  return lines.join('\n');
}

const EXIT_RE = /\[exit:(\d+)\]/g;

function lastExitCode(screen: string): number | undefined {
  let code: number | undefined;
  for (const m of screen.matchAll(EXIT_RE)) code = Number(m[1]);
  return code;
}

let counter = 0;

async function writeTmuxConf(dir: string): Promise<string> {
  const confPath = path.join(dir, 'tmux.conf');
  const lines = [
    'set -g default-terminal "xterm-256color"',
    'set -g default-shell /bin/sh',
    'set -g status off',
    'set -g escape-time 0',
    'set -g history-limit 5000',
    'set -g remain-on-exit on',
    '',
  ];
  await writeFile(confPath, lines.join('\n'));
  return confPath;
}

function tmuxEnv(opts: TmuxOptions): Record<string, string> {
  const base: Record<string, string> = {};
  if (!opts.replaceEnv) {
    for (const k of ['PATH', 'HOME', 'USER', 'LOGNAME', 'TMPDIR']) {
      const val = process.env[k];
      if (val !== undefined) base[k] = val;
    }
    base.LANG = 'C.UTF-8';
  }
  // TERM is also set by tmux (default-terminal) inside the pane; the client gets it too.
  return { ...base, ...opts.env, TERM: 'xterm-256color' };
}

/**
 * CMD runs in its own `sh -c` so that `exit N` in it ends only CMD, never the wrapper.
 * bash (not dash) as the inner shell: it execs a simple command (so the program's own exit code after
 * Ctrl+C is reported, not 130 from a killed shell) and, for compound commands, only gives up on SIGINT
 * when the child itself died of it.
 */
function wrapCommand(cmd: string, sleepBin: string): string {
  const innerShell = existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
  return `trap : INT; ${innerShell} -c ${shellQuote(cmd)}; echo "[exit:$?]"; exec ${shellQuote(sleepBin)} 600`;
}

export async function startTmux(cmd: string, opts: TmuxOptions): Promise<TmuxSession> {
  const tmux = findOnPath('tmux');
  if (!tmux) {
    throw new Error('tmux is not installed: sudo apt-get install -y --no-install-recommends tmux');
  }
  const sleepBin = findOnPath('sleep') ?? '/bin/sleep';
  const dir = await mkdtemp(path.join(testTmpRoot(), 'lt-tmux-'));
  const socketPath = path.join(dir, 'sock');
  const confPath = await writeTmuxConf(dir);
  const env = tmuxEnv(opts);
  const name = `lt${process.pid}-${++counter}`;
  const target = `${name}:0.0`;
  const wrapped = wrapCommand(cmd, sleepBin);
  const runTmux = (args: string[], timeoutMs = 5_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const tmuxArgs = ['-S', socketPath, '-f', confPath, ...args];
      execFile(tmux, tmuxArgs, { env, timeout: timeoutMs, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`tmux ${args.join(' ')} failed: ${err.message}\n${stderr}`));
        else resolve(stdout);
      });
    });

  const newSession = ['new-session', '-d', '-s', name, '-x', String(opts.cols), '-y', String(opts.rows)];
  if (opts.cwd) newSession.push('-c', opts.cwd);
  try {
    await runTmux([...newSession, wrapped]);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }

  let killed = false;

  // Every screen captured is recorded for the secret scan (consecutive identical screens once).
  let lastRecorded = '';
  const capture = async (escapes: boolean): Promise<string> => {
    const screen = trimTrailingBlankLines(await runTmux(['capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', target]));
    if (screen !== lastRecorded) {
      lastRecorded = screen;
      recordOutput(`tmux screen of ${cmd}`.slice(0, 200), screen, { screen: true });
    }
    return screen;
  };
  /** The pane's exit status if the wrapper shell itself died (e.g. killed); tmux keeps the pane (remain-on-exit). */
  const deadPaneStatus = async (): Promise<number | undefined> => {
    const dead = (await runTmux(['display-message', '-p', '-t', target, '#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}'])).trim();
    const [isDead, status, signal] = dead.split(':');
    if (isDead !== '1') return undefined;
    if (status) return Number(status);
    if (signal) return 128 + Number(signal);
    return -1;
  };

  const session: TmuxSession = {
    socketPath,
    capture: () => capture(false),
    captureWithEscapes: () => capture(true),
    async sendKeys(...keys: string[]) {
      if (keys.length) await runTmux(['send-keys', '-t', target, ...keys]);
    },
    async sendText(text: string) {
      await runTmux(['send-keys', '-t', target, '-l', text]);
    },
    async waitForScreen(pred, timeoutMs = 10_000) {
      let screen = '';
      return waitUntil(
        async () => {
          screen = await capture(false);
          return pred(screen) ? screen : undefined;
        },
        { timeoutMs, what: () => `a screen condition. Last screen (${opts.cols}x${opts.rows}):\n----\n${screen}\n----` },
      );
    },
    async waitForExit(timeoutMs = 10_000) {
      let screen = '';
      return waitUntil(
        async () => {
          screen = await capture(false);
          return lastExitCode(screen) ?? (await deadPaneStatus());
        },
        { timeoutMs, what: () => `the command to exit. Last screen:\n----\n${screen}\n----` },
      );
    },
    async panePid() {
      return Number((await runTmux(['display-message', '-p', '-t', target, '#{pane_pid}'])).trim());
    },
    async kill() {
      if (killed) return;
      killed = true;
      try {
        await runTmux(['kill-server']);
      } catch {
        // already gone
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
  return session;
}
