/**
 * What a run does with the LLM Gateway (issue 23): it keeps the final turns as they are written (with their
 * speakers as revised), answers the question key about the transcript so far, and writes the notes once the
 * transcript is closed. Nothing is sent unless asked for (--notes, a question). A failure or a skip never
 * touches the transcript or the run's exit code.
 */
import type { ChalkInstance } from 'chalk';
import {
  formatAnswer,
  formatAsking,
  formatQuestionBusy,
  formatQuestionEmpty,
  formatQuestionFailed,
  formatQuestionNeedsKey,
  formatModelNotServed,
} from '../render/notes-messages.js';
import type { TranscriptEvent } from '../transcript/records.js';
import { lastLines, transcriptBudgetChars } from './chunk.js';
import { GatewayError } from './gateway-error.js';
import type { Gateway } from './gateway.js';
import { answerTokens, pickModel, type LlmModel } from './models.js';
import type { LlmConfig } from './options.js';
import { gatewayFor } from './prepare.js';
import { questionMessages } from './prompt.js';
import { createQuestionPrompt, type QuestionPrompt } from './question.js';
import { transcriptLines, type NoteTurn } from './transcript-text.js';
import { retrySayer, writeNotes } from './write.js';

export interface RunNotesOptions {
  llm: LlmConfig;
  userAgent: string;
  /** Where the notes and the lines after the run go (the process's stderr). */
  stderr: { write(text: string): unknown; isTTY?: boolean | undefined };
  quiet: boolean;
  theme?: ChalkInstance;
}

export interface RunNotes {
  /** Every transcript event of the run (outputs' emit): final turns and speaker revisions are kept. */
  collect(event: TranscriptEvent): void;
  /** The question key's prompt, drawn in `bar` and answered in `say` (lines above the live region). */
  questionPrompt(ui: { bar(text: string): void; say(line: string): void }): QuestionPrompt;
  /** The end of the run, after the transcript is closed: the notes, if asked for. Never throws. */
  atEnd(): Promise<void>;
  /** Ctrl+C: skips the notes while they are written (true), else does nothing (false). */
  skip(): boolean;
  /** The run ends: a question on its way is dropped. */
  stop(): void;
}

export function createRunNotes(o: RunNotesOptions): RunNotes {
  const turns = new Map<number, NoteTurn>();
  let gateway: Gateway | undefined;
  const gatewayOf = (say: (line: string) => void): Gateway => (gateway ??= gatewayFor(o.llm, o.userAgent, retrySayer(say)));
  let model: LlmModel | undefined = o.llm.modelInfo;
  let asking: AbortController | undefined;
  let writing: AbortController | undefined;
  const lines = (): string[] => transcriptLines([...turns.values()]);

  const modelFor = async (say: (line: string) => void): Promise<LlmModel | undefined> => {
    if (model !== undefined) return model;
    const picked = pickModel(await gatewayOf(say).listModels(asking?.signal), o.llm.model);
    if (picked.ok) return (model = picked.model);
    say(`${formatModelNotServed(picked.wanted, o.llm.gateway.region, picked.near).message}.`);
    return undefined;
  };

  const ask = async (question: string, say: (line: string) => void): Promise<void> => {
    const so = lines();
    if (so.length === 0) {
      say(formatQuestionEmpty());
      return;
    }
    asking = new AbortController();
    try {
      const m = await modelFor(say);
      if (m === undefined) return;
      say(formatAsking(question, m.id));
      const maxTokens = Math.min(1024, answerTokens(m));
      const recent = lastLines(so, transcriptBudgetChars(m.contextLength, maxTokens));
      const answer = await gatewayOf(say).chat(
        { model: m.id, messages: questionMessages(recent.lines, question, recent.dropped), maxTokens },
        asking.signal,
      );
      say(formatAnswer(answer.content));
    } catch (err) {
      if (err instanceof GatewayError && err.kind === 'aborted') return;
      say(formatQuestionFailed(err instanceof GatewayError ? err : { kind: 'network', detail: (err as Error).message }));
    } finally {
      asking = undefined;
    }
  };

  return {
    collect(event) {
      if (event.type === 'turn') {
        const t = event.turn;
        turns.set(t.index, {
          text: t.text,
          startMs: t.startMs,
          ...(t.source === undefined ? {} : { source: t.source }),
          ...(t.speaker === undefined ? {} : { speaker: t.speaker }),
        });
      } else if (event.type === 'speaker_revision') {
        for (const r of event.turns) {
          const turn = turns.get(r.index);
          if (turn !== undefined) turn.speaker = r.speaker;
        }
      }
    },
    questionPrompt(ui) {
      return createQuestionPrompt({
        bar: ui.bar,
        say: ui.say,
        refusal: () => (o.llm.apiKey === undefined ? formatQuestionNeedsKey() : asking !== undefined ? formatQuestionBusy() : undefined),
        submit: (question) => void ask(question, ui.say),
      });
    },
    async atEnd() {
      const notes = o.llm.notes;
      if (notes === undefined) return;
      const say = (line: string): void => void o.stderr.write(`${line}\n`);
      writing = new AbortController();
      try {
        await writeNotes(
          lines(),
          { gateway: gatewayOf(say), model: model ?? { id: o.llm.model ?? '' }, prompt: notes.prompt, signal: writing.signal },
          {
            ...(notes.file === undefined ? {} : { file: notes.file }),
            overwrite: notes.overwrite,
            ...(notes.append === true ? { append: true } : {}),
            show: o.stderr,
            say,
            quiet: o.quiet,
            ...(o.theme === undefined ? {} : { theme: o.theme }),
          },
        );
      } finally {
        writing = undefined;
      }
    },
    skip() {
      if (writing === undefined) return false;
      writing.abort();
      return true;
    },
    stop() {
      asking?.abort();
    },
  };
}
