/**
 * Every sentence of the LLM notes and questions (issue 23, docs/notes.md, docs/service.md#llm-gateway): progress, the notes written,
 * the gateway's failures in plain words, the question prompt and its answer, the model list. Pure.
 */
import type { ChalkInstance } from 'chalk';
import { sanitize } from '../core/text.js';

/** The parts of a gateway failure these sentences read (notes/gateway-error.ts's GatewayError fits). */
export interface GatewayFailure {
  kind: string;
  detail: string;
  status?: number | undefined;
  requestId?: string | undefined;
}

/** The gateway's failure in plain words: what happened and what to do. */
export function formatGatewayFailure(f: GatewayFailure): string {
  const detail = sanitize(f.detail);
  const id = f.requestId === undefined ? '' : ` (request ${sanitize(f.requestId)})`;
  switch (f.kind) {
    case 'auth':
      return `the LLM Gateway refused the API key (401): check ASSEMBLYAI_API_KEY or --api-key${id}`;
    case 'no-access':
      return `this account has no access to the LLM Gateway or to this model (${detail}): the gateway needs a paid plan; see https://www.assemblyai.com/dashboard${id}`;
    case 'rate-limited':
      return `the LLM Gateway is rate-limiting this model (429, 30 requests a minute per model) and the retries ran out: try again in a minute, or choose another model with --llm-model${id}`;
    case 'server':
      return `the LLM Gateway failed (${f.status ?? '5xx'}) after 3 tries: try again later${id}`;
    case 'timeout':
      return `the LLM Gateway did not answer in time (${detail}) after 2 tries: try again later, or a faster model with --llm-model`;
    case 'refused':
      return `the model declined to write them (${detail}): try another prompt or another model${id}`;
    case 'network':
      return `the LLM Gateway could not be reached (${detail}): check the network`;
    case 'aborted':
      return 'skipped';
    default:
      return `the LLM Gateway did not accept the request (${f.status ?? 400}: ${detail})${id}`;
  }
}

export const formatNotesFailed = (f: GatewayFailure): string =>
  `Notes not written: ${formatGatewayFailure(f)}. The transcript is complete and unchanged.`;
export const formatNotesFileFailed = (path: string, why: string): string =>
  `Notes not written: cannot write ${path}: ${why}. The transcript is complete and unchanged.`;
export const formatNotesSkipped = (): string => 'Notes skipped (Ctrl+C). The transcript is complete and unchanged.';
export const formatNotesNothing = (): string => 'Notes not written: the transcript is empty.';

export function formatNotesStep(
  model: string,
  step: { kind: 'whole' } | { kind: 'part'; part: number; parts: number } | { kind: 'combine'; parts: number },
): string {
  if (step.kind === 'whole') return `Writing notes with ${model} (LLM Gateway)... Ctrl+C skips them`;
  if (step.kind === 'part') return `Writing notes with ${model}: part ${step.part} of ${step.parts} of a long transcript... Ctrl+C skips them`;
  return `Writing notes with ${model}: combining the ${step.parts} parts...`;
}

export const formatNotesRetry = (why: string, waitMs: number): string =>
  `LLM Gateway: ${why === 'rate-limited' ? 'rate-limited (429)' : why === 'timeout' ? 'no answer in time' : 'server error'}, trying again${waitMs > 0 ? ` in ${Math.max(1, Math.round(waitMs / 1000))} s` : ''}`;

export function formatNotesWritten(path: string, parts: number): string {
  return `Notes written to ${path}${parts > 1 ? ` (a long transcript: ${parts} parts summarised, then combined)` : ''}.`;
}

/** The notes shown on a terminal's stderr: a rule, the Markdown, a rule. */
export function formatNotesShown(markdown: string, theme?: ChalkInstance): string {
  const dim = theme?.dim ?? ((t: string) => t);
  const rule = '─'.repeat(20);
  return `${dim(`${rule} notes ${rule}`)}\n${markdown.trim()}\n${dim('─'.repeat(47))}\n`;
}

export const formatNotesNeedKey = (): { message: string; hint: string } => ({
  message: 'the LLM Gateway needs an API key: it does not take temporary tokens (--token, --token-command)',
  hint: 'set ASSEMBLYAI_API_KEY or give --api-key to use --notes, the ? key or `live-transcribe notes`',
});

export function formatModelNotServed(wanted: string, region: string, near: readonly string[]): { message: string; hint: string } {
  const where = region === 'eu' ? 'the EU LLM Gateway (llm-gateway.eu.assemblyai.com serves only Claude and Gemini models)' : 'the LLM Gateway';
  return {
    message: `--llm-model ${wanted} is not served by ${where}`,
    hint: `${near.length > 0 ? `did you mean ${near.join(', ')}? ` : ''}see the models with: live-transcribe --list-llm-models${region === 'eu' ? ' --api-host streaming.eu.assemblyai.com' : ''}`,
  };
}

export const formatModelListUnavailable = (why: GatewayFailure): string =>
  `Could not read the LLM Gateway's models (${formatGatewayFailure(why)}); the notes will be tried with the model as given.`;

export const formatNotesFileExists = (path: string): { message: string; hint: string } => ({
  message: `the notes file ${path} exists already`,
  hint: 'choose another --notes-file, or add --force to replace it',
});

// --- The question key ---

/** The bar while a question is typed. */
export const formatQuestionPrompt = (typed: string): string => `? ${typed}▏  (Enter: ask, Esc: cancel)`;
export const formatAsking = (question: string, model: string): string => `Asking ${model}: ${sanitize(question)}`;
export const formatQuestionBusy = (): string => 'Still answering the last question.';
export const formatQuestionNeedsKey = (): string => `${formatNotesNeedKey().message}.`;
export const formatQuestionEmpty = (): string => 'Nothing was said yet: no question sent.';
export const formatQuestionFailed = (f: GatewayFailure): string => `No answer: ${formatGatewayFailure(f)}.`;

/** The answer, each line marked so it cannot be taken for the transcript. */
export function formatAnswer(answer: string): string {
  const lines = answer
    .trim()
    .split(/\r?\n/)
    .map((l) => sanitize(l));
  return lines.map((l, i) => `${i === 0 ? 'Answer: ' : '        '}${l}`).join('\n');
}

// --- The model list ---

export interface ModelRow {
  id: string;
  name?: string;
  contextLength?: number;
}

export function formatLlmModelList(models: readonly ModelRow[], host: string, defaultModel: string, theme?: ChalkInstance): string {
  const bold = theme?.bold ?? ((t: string) => t);
  const width = Math.max(4, ...models.map((m) => m.id.length));
  const rows = models.map((m) => {
    const context = m.contextLength === undefined ? '' : `${Math.round(m.contextLength / 1000)}k tokens`;
    const mark = m.id === defaultModel ? ' (default)' : '';
    return `  ${m.id.padEnd(width)}  ${context.padEnd(14)}${sanitize(m.name ?? '')}${mark}`.trimEnd();
  });
  return `${bold(`LLM Gateway models at ${host}`)} (--llm-model NAME; default: ${defaultModel})\n${rows.join('\n')}\n`;
}
