/**
 * The LLM Gateway client (docs/service.md#llm-gateway): the model list (no auth needed) and one non-streaming chat
 * completion, with bounded retries: 429 after its `retry-after` (at most MAX_RETRY_AFTER_MS), 5xx twice with
 * backoff and jitter, a timeout once. The key goes in `Authorization` as the raw key (docs/service.md#gateway-authentication), never in a URL.
 */
import { classifyStatus, errorText, GatewayError, retryAfterMs } from './gateway-error.js';
import { parseModelList, type LlmModel } from './models.js';

export const DEFAULT_TIMEOUT_MS = 90_000;
/** A 429 whose hint is longer than this is not waited for. */
export const MAX_RETRY_AFTER_MS = 30_000;
const RATE_LIMIT_TRIES = 4;
const SERVER_TRIES = 3;
const TIMEOUT_TRIES = 2;

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  maxTokens: number;
}

export interface ChatAnswer {
  content: string;
  requestId?: string;
  finishReason?: string;
}

export interface GatewayOptions {
  base: string;
  /** The API key; undefined only for the model list. */
  apiKey?: string;
  userAgent?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Told before each wait for another try (the status line says so). */
  onRetry?: (why: 'rate-limited' | 'server' | 'timeout', waitMs: number) => void;
}

export interface Gateway {
  listModels(signal?: AbortSignal): Promise<LlmModel[]>;
  chat(request: ChatRequest, signal?: AbortSignal): Promise<ChatAnswer>;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort(): void {
      clearTimeout(timer);
      reject(new GatewayError('aborted', 'skipped'));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The answer's text, or why there is none (a refusal, an empty answer). */
export function readAnswer(body: unknown, requestId: string | undefined): ChatAnswer {
  const choice = ((body as { choices?: unknown[] } | null)?.choices ?? [])[0] as
    | { message?: Record<string, unknown>; finish_reason?: unknown }
    | undefined;
  const message = choice?.message ?? {};
  const finishReason = typeof choice?.finish_reason === 'string' ? choice.finish_reason : undefined;
  const refusal = typeof message.refusal === 'string' && message.refusal.trim() !== '' ? message.refusal : undefined;
  let content = typeof message.content === 'string' ? message.content : '';
  if (Array.isArray(message.content))
    content = (message.content as Array<{ text?: unknown }>).map((p) => (typeof p.text === 'string' ? p.text : '')).join('');
  if (refusal !== undefined || finishReason === 'refusal' || finishReason === 'content_filter') {
    throw new GatewayError('refused', refusal ?? `the model stopped (${finishReason ?? 'refusal'})`, 200, requestId);
  }
  if (content.trim() === '') throw new GatewayError('refused', 'the model answered nothing', 200, requestId);
  return { content, ...(requestId === undefined ? {} : { requestId }), ...(finishReason === undefined ? {} : { finishReason }) };
}

export function createGateway(o: GatewayOptions): Gateway {
  const doFetch = o.fetch ?? fetch;
  const sleep = o.sleep ?? defaultSleep;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  /** One request, with its own timeout; a refused status comes back as the response. */
  async function once(path: string, init: RequestInit, signal: AbortSignal | undefined): Promise<Response> {
    // One signal for the caller's abort and the timeout (AbortSignal.any needs Node 20.3).
    const both = new AbortController();
    const timeout = { aborted: false };
    const timer = setTimeout(() => {
      timeout.aborted = true;
      both.abort();
    }, timeoutMs);
    const onAbort = (): void => both.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted === true) both.abort();
    try {
      // The body is read here, under the same timeout.
      const res = await doFetch(`${o.base}${path}`, { ...init, signal: both.signal });
      const body = await res.arrayBuffer();
      return new Response(res.status === 204 || res.status === 304 ? null : body, {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      });
    } catch (err) {
      if (signal?.aborted === true) throw new GatewayError('aborted', 'skipped');
      if (timeout.aborted) throw new GatewayError('timeout', `no answer within ${Math.round(timeoutMs / 1000)} s`);
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new GatewayError('network', cause?.code ?? cause?.message ?? (err as Error).message);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async function readBody(res: Response): Promise<unknown> {
    const text = await res.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }

  /** The request, tried again while that makes sense; resolves to a 2xx body or throws a GatewayError. */
  async function withRetries(path: string, init: RequestInit, signal: AbortSignal | undefined): Promise<{ body: unknown; requestId?: string }> {
    const tries = { 'rate-limited': 0, server: 0, timeout: 0 };
    for (;;) {
      let res: Response;
      try {
        res = await once(path, init, signal);
      } catch (err) {
        if (!(err instanceof GatewayError) || err.kind !== 'timeout' || ++tries.timeout >= TIMEOUT_TRIES) throw err;
        o.onRetry?.('timeout', 0);
        continue;
      }
      const body = await readBody(res);
      const requestId =
        res.headers.get('x-request-id') ??
        (typeof (body as { request_id?: unknown })?.request_id === 'string' ? (body as { request_id: string }).request_id : undefined);
      if (res.ok) return { body, ...(requestId === undefined ? {} : { requestId }) };
      const text = errorText(body) || `HTTP ${res.status}`;
      const { kind, retry } = classifyStatus(res.status, text);
      const error = new GatewayError(kind, text, res.status, requestId);
      if (!retry || (kind !== 'rate-limited' && kind !== 'server')) throw error;
      const limit = kind === 'rate-limited' ? RATE_LIMIT_TRIES : SERVER_TRIES;
      if (++tries[kind] >= limit) throw error;
      const hinted = kind === 'rate-limited' ? retryAfterMs(res.headers.get('retry-after')) : undefined;
      if (hinted !== undefined && hinted > MAX_RETRY_AFTER_MS) throw error;
      const backoff = 500 * 3 ** (tries[kind] - 1);
      const waitMs = hinted ?? backoff + Math.floor(Math.random() * 250);
      o.onRetry?.(kind, waitMs);
      await sleep(waitMs, signal);
    }
  }

  const headers = (): Record<string, string> => ({
    'Content-Type': 'application/json',
    Accept: 'application/json',
    ...(o.userAgent === undefined ? {} : { 'User-Agent': o.userAgent }),
  });

  return {
    async listModels(signal) {
      const { body } = await withRetries('/v1/models', { method: 'GET', headers: headers() }, signal);
      return parseModelList(body);
    },
    async chat(request, signal) {
      if (o.apiKey === undefined) throw new GatewayError('auth', 'no API key');
      const payload = JSON.stringify({ model: request.model, messages: request.messages, max_tokens: request.maxTokens });
      const { body, requestId } = await withRetries(
        '/v1/chat/completions',
        { method: 'POST', headers: { ...headers(), Authorization: o.apiKey }, body: payload },
        signal,
      );
      return readAnswer(body, requestId);
    },
  };
}
