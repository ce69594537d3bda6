/**
 * Before a run with --notes: the notes file may be written (it does not exist, or --force), and the gateway
 * of this region serves the model (docs/service.md#gateway-hosts: trust the host's own list). A model it does not serve
 * ends the run before it starts (a UsageError); a list that cannot be read only warns (the run matters more).
 * `GET /v1/models` needs no key: nothing about the user is sent.
 */
import { access } from 'node:fs/promises';
import { UsageError } from '../core/errors.js';
import { formatModelListUnavailable, formatModelNotServed, formatNotesFileExists } from '../render/notes-messages.js';
import { createGateway, type Gateway } from './gateway.js';
import { fetchFor } from './http.js';
import { GatewayError } from './gateway-error.js';
import { DEFAULT_LLM_MODEL, pickModel, type LlmModel } from './models.js';
import type { LlmConfig } from './options.js';

export async function fileExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The model checked against the host's list: its entry, or a UsageError naming the ones close to it. */
export async function checkModel(llm: LlmConfig, gateway: Gateway, warn: (line: string) => void): Promise<LlmModel> {
  let models: LlmModel[];
  try {
    models = await gateway.listModels();
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    warn(formatModelListUnavailable(err));
    return { id: llm.model ?? DEFAULT_LLM_MODEL };
  }
  const picked = pickModel(models, llm.model);
  if (picked.ok) return picked.model;
  const r = formatModelNotServed(picked.wanted, llm.gateway.region, picked.near);
  throw new UsageError(r.message, r.hint);
}

export function gatewayFor(llm: LlmConfig, userAgent?: string, onRetry?: Parameters<typeof createGateway>[0]['onRetry']): Gateway {
  return createGateway({
    base: llm.gateway.base,
    fetch: fetchFor(llm.proxy),
    ...(llm.apiKey === undefined ? {} : { apiKey: llm.apiKey }),
    ...(userAgent === undefined ? {} : { userAgent }),
    ...(llm.timeoutMs === undefined ? {} : { timeoutMs: llm.timeoutMs }),
    ...(onRetry === undefined ? {} : { onRetry }),
  });
}

/** The run's LlmConfig with the model's entry, or a UsageError; unchanged without --notes. */
export async function prepareNotes(llm: LlmConfig, userAgent: string, warn: (line: string) => void): Promise<LlmConfig> {
  if (llm.notes === undefined) return llm;
  const file = llm.notes.file;
  if (file !== undefined && !llm.notes.overwrite && llm.notes.append !== true && (await fileExists(file))) {
    const r = formatNotesFileExists(file);
    throw new UsageError(r.message, r.hint);
  }
  return { ...llm, modelInfo: await checkModel(llm, gatewayFor(llm, userAgent), warn) };
}
