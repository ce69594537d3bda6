/**
 * The question key (issue 23): `?` opens a one-line prompt in the status bar; Enter sends the question with
 * the transcript so far to the LLM Gateway; the answer is written on stderr above the live region, never to
 * the transcript. Audio and turns flow on meanwhile: nothing here waits in the run's path.
 */
import { editLine } from './line-editor.js';
import { formatQuestionPrompt } from '../render/notes-messages.js';

export interface QuestionKeys {
  /** Routes raw key chunks to the prompt (a listener) or back to the commands (undefined). */
  divert(listener: ((chunk: Buffer) => void) | undefined): void;
}

export interface QuestionPrompt {
  /** True while a question is being typed: the status bar leaves the bottom row to the prompt. */
  readonly typing: boolean;
  /** `?` was pressed. */
  open(keys: QuestionKeys): void;
  /** The end of the run: a prompt being typed is closed. */
  stop(): void;
}

export interface QuestionPromptOptions {
  /** Draws the prompt in the status bar row ('' removes it). */
  bar(text: string): void;
  /** A question was typed and Enter pressed; whatever happens next is the asker's. */
  submit(question: string): void;
  /** Says why the prompt does not open (a question still being answered, no key), or undefined to open it. */
  refusal(): string | undefined;
  /** A line on stderr. */
  say(line: string): void;
}

export function createQuestionPrompt(o: QuestionPromptOptions): QuestionPrompt {
  let keys: QuestionKeys | undefined;
  let text = '';
  const close = (): void => {
    keys?.divert(undefined);
    keys = undefined;
    o.bar('');
  };
  return {
    get typing() {
      return keys !== undefined;
    },
    open(k) {
      if (keys !== undefined) return;
      const refused = o.refusal();
      if (refused !== undefined) {
        o.say(refused);
        return;
      }
      keys = k;
      text = '';
      o.bar(formatQuestionPrompt(text));
      k.divert((chunk) => {
        const edit = editLine(text, chunk);
        text = edit.text;
        if (edit.action === 'cancel') close();
        else if (edit.action === 'submit') {
          close();
          if (text.trim() !== '') o.submit(text.trim());
        } else o.bar(formatQuestionPrompt(text));
      });
    },
    stop() {
      if (keys !== undefined) close();
    },
  };
}
