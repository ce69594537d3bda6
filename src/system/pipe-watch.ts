/**
 * Notices that the reader of our stdout pipe has gone (`live-transcribe | head -n 1`) when it happens, not at
 * the next write: a session left open after `head` exits is billed until the next turn. Node cannot poll the
 * write end of a pipe, but GNU tail can: `tail -f` exits as soon as its output pipe has no reader
 * (coreutils >= 8.28), and `--pid` makes it exit with us too, so it never outlives the run holding the pipe.
 * Where GNU tail is missing (macOS, Windows), the closed pipe is noticed at the next write, as before.
 */
import { spawn } from 'node:child_process';

export interface PipeWatch {
  stop(): void;
}

/**
 * Watches file descriptor `fd` (a pipe) and calls `onGone` once when its reader has closed it. `pid` is ours.
 * Never throws: without GNU tail it does nothing.
 */
export function watchPipeReader(fd: number, pid: number, onGone: () => void, env: Readonly<Record<string, string | undefined>>): PipeWatch {
  let stopped = false;
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn('tail', ['-f', '-s', '0.25', `--pid=${pid}`, '/dev/null'], {
      stdio: ['ignore', fd, 'ignore'],
      env: { PATH: env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
    });
  } catch {
    return { stop: () => undefined };
  }
  child.on('error', () => undefined);
  // tail exits by SIGPIPE (or with an error code) when the reader is gone; a non-GNU tail refuses `--pid`
  // at once with a usage error (exit 1 within milliseconds): only a signal means the pipe closed.
  child.on('exit', (_code, signal) => {
    if (!stopped && signal === 'SIGPIPE') onGone();
  });
  child.unref();
  return {
    stop() {
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}
