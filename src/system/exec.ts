/**
 * Runs a short command and collects its output, for probes (`pactl`, `arecord -L`, `sox -h`...) and
 * bounded recordings (doctor's one second of SoX). Every run is bounded by a timeout, and it never
 * rejects: a missing command, a non-zero exit and a timeout all come back as data, so callers turn them
 * into messages. Injected as `Exec` so tests can fake it.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import { join } from 'node:path';
// The one OS call this needs: signalling a process group (no state of the process is read).

export interface ExecOptions {
  /** The child's whole environment (nothing is inherited implicitly). */
  env: Readonly<Record<string, string | undefined>>;
  timeoutMs: number;
  /** How a timeout kills: the command's process group (POSIX, the default) or the command alone (win32). */
  platform?: NodeJS.Platform;
}

export interface ExecResult {
  /** Exit code; null if the command could not start, was killed or timed out. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** 'ENOENT' when the command is not installed; 'ETIMEDOUT' when it ran out of time; other errno codes. */
  errorCode?: string;
  /** A one-line reason when the command failed to run or exited non-zero. */
  errorMessage?: string;
}

export type Exec = (command: string, args: readonly string[], options: ExecOptions) => Promise<ExecResult>;

/** What runCommand() collected: stdout as bytes (it may be audio), stderr as text. */
export interface CommandRun {
  /** Exit code; null if the command could not start, was killed or timed out. */
  code: number | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
  /** Set when the command could not start (error.code 'ENOENT': not installed). */
  spawnError?: NodeJS.ErrnoException;
}

const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/** Spawns (no shell) and collects at most 4 MiB of output; on timeout SIGKILLs the command and what it started. */
export function runCommand(command: string, args: readonly string[], options: ExecOptions): Promise<CommandRun> {
  return new Promise((resolve) => {
    const posix = options.platform !== 'win32';
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    let timedOut = false;
    let spawnError: NodeJS.ErrnoException | undefined;
    const child = spawn(command, [...args], {
      env: definedOnly(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      // Its own process group (POSIX), so a timeout can kill what it started too (a shell's children).
      detached: posix,
    });
    const collect = (into: Buffer[]) => (d: Buffer) => {
      if (bytes >= MAX_OUTPUT_BYTES) return;
      bytes += d.length;
      into.push(d);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e;
    });
    // A stuck audio tool may ignore SIGTERM: SIGKILL it, with its process group, and stop waiting for
    // pipes a grandchild may still hold open.
    const timer = setTimeout(() => {
      timedOut = true;
      killHard(child, posix);
      child.stdout.destroy();
      child.stderr.destroy();
    }, options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8');
      resolve({
        code: timedOut || spawnError !== undefined ? null : code,
        stdout: Buffer.concat(out),
        stderr,
        timedOut,
        ...(spawnError === undefined ? {} : { spawnError }),
      });
    });
  });
}

/** Kills the command and, on POSIX, its whole process group (with kill(1): only main.ts touches `process`). */
function killHard(child: ReturnType<typeof spawn>, posix: boolean): void {
  child.kill('SIGKILL');
  if (child.pid === undefined || !posix) return;
  spawn('kill', ['-s', 'KILL', '--', `-${child.pid}`], { stdio: 'ignore' }).on('error', () => undefined);
}

/** The real Exec: runCommand() with UTF-8 output and a one-line reason for every failure. */
export const execCommand: Exec = async (command, args, options) => {
  const r = await runCommand(command, args, options);
  const stdout = r.stdout.toString('utf8');
  const { stderr } = r;
  if (r.timedOut) {
    return { code: null, stdout, stderr, errorCode: 'ETIMEDOUT', errorMessage: `${command} did not finish within ${options.timeoutMs} ms` };
  }
  if (r.spawnError !== undefined) {
    const errorCode = r.spawnError.code ?? 'error';
    const errorMessage = errorCode === 'ENOENT' ? `${command} is not installed (not found on PATH)` : `${command}: ${r.spawnError.message}`;
    return { code: null, stdout, stderr, errorCode, errorMessage };
  }
  if (r.code === 0) return { code: 0, stdout, stderr };
  const lastLine = lastLines(stderr, 1);
  const how = r.code === null ? 'was killed' : `exited with code ${r.code}`;
  return { code: r.code, stdout, stderr, errorMessage: `${command} ${how}${lastLine ? `: ${lastLine}` : ''}` };
};

/** The last `n` non-blank lines of a command's stderr, trailing spaces cut, for messages. */
export function lastLines(text: string, n: number): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .join('\n');
}

const TAIL_CHARS = 4096;

/** `tail` with `chunk` added, keeping the last 4096 characters: the stderr of a long-running command. */
export function appendTail(tail: string, chunk: Buffer): string {
  return (tail + chunk.toString('utf8')).slice(-TAIL_CHARS);
}

/** Drops undefined values: child_process would pass them as the string "undefined". */
export function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * Whether `command` would be found on PATH (and, on Windows, with one of PATHEXT's extensions): a check
 * before anything is spawned, so that a missing program is reported before a session is opened.
 */
export function isOnPath(command: string, env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): boolean {
  const windows = platform === 'win32';
  const dirs = (env.PATH ?? env.Path ?? '').split(windows ? ';' : ':').filter((d) => d !== '');
  const extensions = windows ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';')] : [''];
  return dirs.some((dir) =>
    extensions.some((ext) => {
      try {
        accessSync(join(dir, command + ext), windows ? fsConstants.F_OK : fsConstants.X_OK);
        return true;
      } catch {
        return false;
      }
    }),
  );
}
