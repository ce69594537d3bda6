/**
 * The gateway's models (docs/service.md#gateway-models): `GET /v1/models` read, never hardcoded, except for the one
 * default: a fast model that both regions serve. Pure.
 */

/** The AssemblyAI CLI's default too (docs/service.md#gateway-models), and in the EU host's list (docs/service.md#gateway-hosts). */
export const DEFAULT_LLM_MODEL = 'claude-haiku-4-5-20251001';

/** Room for the answer: max_tokens asked for, at most this. */
export const ANSWER_MAX_TOKENS = 4096;

export interface LlmModel {
  id: string;
  name?: string;
  creator?: string;
  /** Tokens the model takes in one request, prompt and answer together. */
  contextLength?: number;
  /** The most the model writes in one answer. */
  maxCompletionTokens?: number;
  regions?: string[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

/** `{"data":[…]}` -> the models; entries without an id are skipped, unknown fields ignored. */
export function parseModelList(body: unknown): LlmModel[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return [];
  const models: LlmModel[] = [];
  for (const entry of data as Array<Record<string, unknown> | null>) {
    const id = str(entry?.id);
    if (entry === null || id === undefined) continue;
    const top = (entry.top_provider ?? {}) as Record<string, unknown>;
    const contextLength = num(entry.context_length) ?? num(top.context_length);
    const maxCompletionTokens = num(top.max_completion_tokens);
    const regions = Array.isArray(entry.available_regions) ? entry.available_regions.filter((r): r is string => typeof r === 'string') : undefined;
    models.push({
      id,
      ...(str(entry.name) === undefined ? {} : { name: str(entry.name) }),
      ...(str(entry.creator) === undefined ? {} : { creator: str(entry.creator) }),
      ...(contextLength === undefined ? {} : { contextLength }),
      ...(maxCompletionTokens === undefined ? {} : { maxCompletionTokens }),
      ...(regions === undefined ? {} : { regions }),
    });
  }
  return models;
}

/** The model asked for (or the default) in the host's list, or the reason it cannot be used. */
export function pickModel(
  models: readonly LlmModel[],
  asked: string | undefined,
): { ok: true; model: LlmModel } | { ok: false; wanted: string; near: string[] } {
  const wanted = asked ?? DEFAULT_LLM_MODEL;
  const found = models.find((m) => m.id === wanted);
  if (found !== undefined) return { ok: true, model: found };
  const stem = wanted.toLowerCase().split(/[-.]/)[0] ?? '';
  const near = models
    .filter((m) => stem !== '' && m.id.toLowerCase().startsWith(stem))
    .map((m) => m.id)
    .slice(0, 5);
  return { ok: false, wanted, near };
}

/** max_tokens for a request to this model: room for notes, below its context (docs/service.md#gateway-requests: [1, context_length)). */
export function answerTokens(model: LlmModel): number {
  const byContext = model.contextLength === undefined ? ANSWER_MAX_TOKENS : Math.floor(model.contextLength / 4);
  return Math.max(1, Math.min(ANSWER_MAX_TOKENS, model.maxCompletionTokens ?? ANSWER_MAX_TOKENS, byContext));
}
