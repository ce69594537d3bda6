/**
 * Runs a short command and collects its output, for probes (`pactl`, `arecord -L`, `sox -h`...). Every
 * run is bounded by a timeout, and it never rejects: a missing command, a non-zero exit and a timeout all
 * come back as data, so callers turn them into messages. Injected as `Exec` so tests can fake it.
 */
import { spawn } from 'node:child_process';

export interface ExecOptions {
  /** The child's whole environment (nothing is inherited implicitly). */
  env: Readonly<Record<string, string | undefined>>;
  timeoutMs: number;
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

const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/** The real Exec: spawn (no shell), UTF-8 output, its process group killed with SIGKILL on timeout. */
export const execCommand: Exec = (command, args, options) =>
  new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let timedOut = false;
    let spawnError: NodeJS.ErrnoException | undefined;
    const child = spawn(command, [...args], {
      env: definedOnly(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      // Its own process group (POSIX), so a timeout can kill what it started too (a shell's children).
      detached: process.platform !== 'win32',
    });
    const collect = (into: Buffer[]) => (d: Buffer) => {
      if (outBytes >= MAX_OUTPUT_BYTES) return;
      outBytes += d.length;
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
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      child.stdout.destroy();
      child.stderr.destroy();
    }, options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) {
        resolve({ code: null, stdout, stderr, errorCode: 'ETIMEDOUT', errorMessage: `${command} did not finish within ${options.timeoutMs} ms` });
      } else if (spawnError !== undefined) {
        const errorCode = spawnError.code ?? 'error';
        resolve({
          code: null,
          stdout,
          stderr,
          errorCode,
          errorMessage: errorCode === 'ENOENT' ? `${command} is not installed (not found on PATH)` : `${command}: ${spawnError.message}`,
        });
      } else if (code === 0) {
        resolve({ code: 0, stdout, stderr });
      } else {
        const lastLine = stderr.trim().split('\n').at(-1) ?? '';
        const how = code === null ? 'was killed' : `exited with code ${code}`;
        resolve({ code, stdout, stderr, errorMessage: `${command} ${how}${lastLine ? `: ${lastLine}` : ''}` });
      }
    });
  });

/** Drops undefined values: child_process would pass them as the string "undefined". */
export function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
