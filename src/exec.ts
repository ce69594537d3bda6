/**
 * Runs a short command and collects its output, for probes (`pactl`, `arecord -L`, `sox -h`...). Every
 * run is bounded by a timeout, and it never rejects: a missing command, a non-zero exit and a timeout all
 * come back as data, so callers turn them into messages. Injected as `Exec` so tests can fake it.
 */
import { execFile } from 'node:child_process';

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

/** The real Exec: child_process.execFile (no shell), UTF-8 output, killed with SIGKILL on timeout. */
export const execCommand: Exec = (command, args, options) =>
  new Promise((resolve) => {
    let timedOut = false;
    const child = execFile(
      command,
      [...args],
      {
        env: definedOnly(options.env),
        encoding: 'utf8',
        maxBuffer: MAX_OUTPUT_BYTES,
        windowsHide: true,
      },
      (err, stdout, stderr) => {
        clearTimeout(timer);
        if (err === null) {
          resolve({ code: 0, stdout, stderr });
          return;
        }
        const e = err as NodeJS.ErrnoException & { code?: string | number };
        if (timedOut) {
          resolve({ code: null, stdout, stderr, errorCode: 'ETIMEDOUT', errorMessage: `${command} did not finish within ${options.timeoutMs} ms` });
        } else if (typeof e.code === 'number') {
          const lastLine = stderr.trim().split('\n').at(-1) ?? '';
          resolve({ code: e.code, stdout, stderr, errorMessage: `${command} exited with code ${e.code}${lastLine ? `: ${lastLine}` : ''}` });
        } else {
          const code = typeof e.code === 'string' ? e.code : undefined;
          resolve({
            code: null,
            stdout,
            stderr,
            ...(code === undefined ? {} : { errorCode: code }),
            errorMessage: code === 'ENOENT' ? `${command} is not installed (not found on PATH)` : `${command}: ${e.message}`,
          });
        }
      },
    );
    // execFile's own timeout sends SIGTERM, which a stuck audio tool may ignore: SIGKILL it ourselves.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.stdin?.end();
  });

/** Drops undefined values: child_process would pass them as the string "undefined". */
export function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
