/**
 * Status output on stderr: the connecting spinner (ora, only on an interactive stderr), status lines,
 * warnings, errors and the summary. Formatting is pure (format*); writing goes through one `write`.
 */
import type { ChalkInstance } from 'chalk';
import { AppError } from '../core/errors.js';
import { sanitize } from '../core/text.js';
import { wrapText } from './wrap.js';

export interface StatusOptions {
  /** Writes above the live region of the terminal (see terminal.ts), or plainly to a pipe. */
  write: (text: string) => void;
  stream: NodeJS.WritableStream;
  interactive: boolean;
  quiet: boolean;
  chalk: ChalkInstance;
  /** Removes the run's secrets from what is printed (core/secrets.ts, the run's one set). */
  scrub: (text: string) => string;
  /** The terminal's width, when stderr is one: lines wrap on words to it (issue 24.9). */
  columns?: (() => number) | undefined;
}

export interface Status {
  spin(text: string): Promise<void>;
  stopSpinner(): void;
  info(line: string): void;
  warn(line: string): void;
  error(err: unknown): void;
}

interface Spinner {
  stop(): void;
}

export function createStatus(o: StatusOptions): Status {
  let spinner: Spinner | undefined;
  let spinnerWanted = false;
  const print = (text: string): void => {
    stopSpinner();
    o.write(wrapText(o.scrub(text), o.columns?.(), '  '));
  };
  function stopSpinner(): void {
    spinnerWanted = false;
    spinner?.stop();
    spinner = undefined;
  }
  return {
    async spin(text: string): Promise<void> {
      if (o.quiet || !o.interactive) return;
      spinnerWanted = true;
      // ora is the most expensive import: load it only when a spinner will really be drawn.
      const { default: ora } = await import('ora');
      if (!spinnerWanted) return;
      // ora colours its frames with chalk's own detection (stdout's, blind to NO_COLOR): its frames get the
      // colour of this stream instead, as options/color.ts decided it (o.chalk), keeping ora's choice of frames.
      const started = ora({ text, stream: o.stream, discardStdin: false, hideCursor: false, color: false });
      const { frames, interval } = started.spinner;
      started.spinner = { interval, frames: frames.map((f) => o.chalk.cyan(f)) };
      spinner = started.start();
    },
    stopSpinner,
    info(line: string): void {
      if (!o.quiet) print(`${line}\n`);
    },
    warn(line: string): void {
      print(`${o.chalk.yellow('warning:')} ${line}\n`);
    },
    error(err: unknown): void {
      print(formatError(err, o.chalk));
    },
  };
}

/** "error: what happened" plus indented hints; unknown errors get their stack and a bug-report request. */
export function formatError(err: unknown, chalk: ChalkInstance): string {
  if (err instanceof AppError) {
    const hint =
      err.hint === undefined
        ? ''
        : `${err.hint
            .split('\n')
            .map((l) => `  ${l}`)
            .join('\n')}\n`;
    return `${chalk.red('error:')} ${sanitize(err.message)}\n${hint}`;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return `${chalk.red('error:')} unexpected failure\n${stack}\n  this is a bug: please report it at https://github.com/live-transcribe/live-transcribe/issues\n`;
}
