/**
 * Notes from transcript lines to their places: the Markdown file (when there is one) and stderr (always
 * without a file, on a terminal with one). Never stdout: that is the transcript's. Never throws: a failure
 * is one sentence on stderr, and the caller's exit code stays what it was.
 */
import { access, writeFile } from 'node:fs/promises';
import type { ChalkInstance } from 'chalk';
import {
  formatNotesFailed,
  formatNotesFileFailed,
  formatNotesNothing,
  formatNotesRetry,
  formatNotesShown,
  formatNotesSkipped,
  formatNotesStep,
  formatNotesWritten,
} from '../render/notes-messages.js';
import { GatewayError } from './gateway-error.js';
import type { Gateway } from './gateway.js';
import type { LlmModel } from './models.js';
import { summarise } from './summarise.js';

export interface NotesTarget {
  /** The Markdown file, or undefined for the stream alone. */
  file?: string;
  /** Replace an existing file. */
  overwrite: boolean;
  /** Add to an existing file, after a rule. */
  append?: boolean;
  /** Where the notes are shown, and whether it is a terminal. */
  show: { write(text: string): unknown; isTTY?: boolean | undefined };
  /** Status lines (progress, the file written, a failure). */
  say(line: string): void;
  /** Progress lines are left out (--quiet); failures are still said. */
  quiet: boolean;
  theme?: ChalkInstance;
}

export type NotesOutcome = { ok: true; parts: number; requests: number } | { ok: false; why: 'empty' | 'skipped' | 'failed'; error?: GatewayError };

/** Writes the notes; `onRetry` lines go through `target.say` too. */
export async function writeNotes(
  lines: readonly string[],
  o: { gateway: Gateway; model: LlmModel; prompt: string | undefined; signal?: AbortSignal },
  target: NotesTarget,
): Promise<NotesOutcome> {
  if (lines.length === 0) {
    target.say(formatNotesNothing());
    return { ok: false, why: 'empty' };
  }
  try {
    const notes = await summarise(lines, {
      gateway: o.gateway,
      model: o.model,
      prompt: o.prompt,
      ...(o.signal === undefined ? {} : { signal: o.signal }),
      onStep: (step) => {
        if (!target.quiet) target.say(formatNotesStep(o.model.id, step));
      },
    });
    const markdown = `${notes.markdown.trim()}\n`;
    if (target.file !== undefined) {
      const after = target.append === true && (await fileExists(target.file)) ? '\n---\n\n' : '';
      await writeFile(target.file, `${after}${markdown}`, { flag: target.append === true ? 'a' : target.overwrite ? 'w' : 'wx', mode: 0o644 });
      target.say(formatNotesWritten(target.file, notes.parts));
    }
    if (target.file === undefined || target.show.isTTY === true) target.show.write(formatNotesShown(markdown, target.theme));
    return { ok: true, parts: notes.parts, requests: notes.requests };
  } catch (err) {
    if (err instanceof GatewayError && err.kind === 'aborted') {
      target.say(formatNotesSkipped());
      return { ok: false, why: 'skipped' };
    }
    if (!(err instanceof GatewayError)) {
      const code = (err as NodeJS.ErrnoException).code;
      target.say(formatNotesFileFailed(target.file ?? '', code === 'EEXIST' ? 'it exists already (--force replaces it)' : (err as Error).message));
      return { ok: false, why: 'failed' };
    }
    target.say(formatNotesFailed(err));
    return { ok: false, why: 'failed', error: err };
  }
}

async function fileExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export const retrySayer =
  (say: (line: string) => void) =>
  (why: string, waitMs: number): void =>
    say(formatNotesRetry(why, waitMs));
