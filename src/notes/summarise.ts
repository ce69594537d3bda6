/**
 * The notes for a whole transcript: one request when it fits the model's context; else notes on each part
 * (in order, one at a time: the gateway's limit is per model and minute, docs/service.md#gateway-rate-limits), then one request that
 * combines them, itself split again if the parts' notes are still too long (at most MAX_ROUNDS rounds).
 */
import { splitLines, transcriptBudgetChars } from './chunk.js';
import type { ChatMessage, Gateway } from './gateway.js';
import { GatewayError } from './gateway-error.js';
import { answerTokens, type LlmModel } from './models.js';
import { combineMessages, notesMessages, partMessages } from './prompt.js';

const MAX_ROUNDS = 3;

export interface SummariseOptions {
  gateway: Gateway;
  model: LlmModel;
  /** The user's --notes PROMPT, or undefined for the default. */
  prompt: string | undefined;
  signal?: AbortSignal;
  /** Told before each request: part i of n, or the combining step. */
  onStep?: (step: { kind: 'whole' } | { kind: 'part'; part: number; parts: number } | { kind: 'combine'; parts: number }) => void;
}

export interface Notes {
  markdown: string;
  /** Requests made (1 for a transcript that fits). */
  requests: number;
  /** Parts the transcript was split into (1 when it fit). */
  parts: number;
}

export async function summarise(lines: readonly string[], o: SummariseOptions): Promise<Notes> {
  const maxTokens = answerTokens(o.model);
  const budget = transcriptBudgetChars(o.model.contextLength, maxTokens);
  let requests = 0;
  const ask = async (messages: ChatMessage[]): Promise<string> => {
    requests += 1;
    return (await o.gateway.chat({ model: o.model.id, messages, maxTokens }, o.signal)).content.trim();
  };
  const firstParts = splitLines(lines, budget);
  if (firstParts.length <= 1) {
    o.onStep?.({ kind: 'whole' });
    return { markdown: await ask(notesMessages(lines, o.prompt)), requests: 1, parts: 1 };
  }
  let parts = firstParts;
  for (let round = 1; ; round++) {
    const partNotes: string[] = [];
    for (const [i, part] of parts.entries()) {
      o.onStep?.({ kind: 'part', part: i + 1, parts: parts.length });
      partNotes.push(await ask(partMessages(part, i + 1, parts.length, o.prompt)));
    }
    const combined = splitLines(partNotes.join('\n\n').split('\n'), budget);
    if (combined.length <= 1) {
      o.onStep?.({ kind: 'combine', parts: partNotes.length });
      return { markdown: await ask(combineMessages(partNotes, o.prompt)), requests, parts: firstParts.length };
    }
    if (round >= MAX_ROUNDS)
      throw new GatewayError(
        'bad-request',
        'the notes on the parts stay longer than the model can read at once; choose a model with a longer context (--llm-model)',
      );
    parts = combined;
  }
}
