/**
 * The LLM Gateway side of the double (docs/service.md#llm-gateway), on the same listener as the streaming endpoints (the
 * client puts every endpoint on a custom --api-host). Strict as that page says: `GET /v1/models` without auth;
 * `POST /v1/chat/completions` with the raw key (or `Bearer <key>`, docs/service.md#gateway-authentication) in Authorization, a known model,
 * messages or prompt, max_tokens in [1, context_length), the prompt within the model's context (estimated at 4
 * characters a token), parameters the model does not support refused, 30 requests a minute per model (docs/service.md#gateway-rate-limits,
 * rejected ones count too). The error bodies of docs/service.md#gateway-errors. Every request is logged, so a test can assert that
 * nothing was sent; `faults` script failures (a status with its retry-after, a slow answer, a refusal).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface LlmModelEntry {
  id: string;
  name: string;
  creator: string;
  context_length: number;
  max_completion_tokens: number;
  supported_parameters: string[];
}

/** One scripted answer to a chat request, used in order (one per request that passes auth and validation). */
export type LlmFault =
  | { status: number; retryAfterS?: number; body?: unknown }
  /** The answer comes after this long (a timeout test). */
  | { delayMs: number }
  /** The model declines: `message.refusal` set, finish_reason `refusal`. */
  | { refusal: string };

export interface LlmGatewayOptions {
  /** The catalogue (default: a few US models with real-looking limits; pass the EU list for an EU host). */
  models?: LlmModelEntry[];
  /** Every model's context_length (a small one forces the client to split a transcript). */
  contextLength?: number;
  faults?: LlmFault[];
  /** The answer's content (default: a short Markdown naming the model and the transcript lines it got). */
  answer?: (request: { model: string; messages: Array<{ role: string; content: string }> }) => string;
  /** Requests per model per minute (docs/service.md#gateway-rate-limits). */
  rateLimitPerMinute?: number;
}

export interface LlmRequestRecord {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (undefined for GET or unparsable). */
  body?: Record<string, unknown>;
  status: number;
  /** When the request arrived, and when it was answered (0 until then). */
  at: number;
  answeredAt: number;
}

const PARAMS = ['max_tokens', 'temperature', 'stream', 'messages', 'prompt', 'model', 'stop', 'top_p'];

const model = (id: string, creator: string, context: number, maxCompletion: number): LlmModelEntry => ({
  id,
  name: id,
  creator,
  context_length: context,
  max_completion_tokens: maxCompletion,
  supported_parameters: [...PARAMS, 'tools', 'tool_choice', 'response_format'],
});

export const DEFAULT_LLM_MODELS: readonly LlmModelEntry[] = [
  model('claude-haiku-4-5-20251001', 'anthropic', 200_000, 64_000),
  model('claude-sonnet-4-6', 'anthropic', 200_000, 64_000),
  model('gemini-2.5-flash-lite', 'google', 1_048_576, 65_536),
  model('gpt-5-nano', 'openai', 400_000, 128_000),
  model('qwen3.5-4b-32k-fast', 'assemblyai', 32_768, 8192),
];

/** The EU host's kind of list (docs/service.md#gateway-hosts): Claude and Gemini only. */
export const EU_LLM_MODELS: readonly LlmModelEntry[] = DEFAULT_LLM_MODELS.filter((m) => m.creator !== 'openai' && m.creator !== 'assemblyai');

const NO_HEADER_401 =
  'Your account does not have access to LLM Gateway. Please upgrade or contact us at support@assemblyai.com for more information.';

/** The default answer: which model, how many transcript lines, and the first one (tests read them back). */
export function defaultAnswer(request: { model: string; messages: Array<{ role: string; content: string }> }): string {
  const user = request.messages
    .filter((m) => m.role === 'user')
    .map((m) => m.content)
    .join('\n');
  const transcript = /<transcript>\n([\s\S]*?)\n<\/transcript>/.exec(user)?.[1]?.split('\n') ?? [];
  const part = /This is part (\d+) of (\d+)/.exec(user);
  const parts = /split into (\d+) parts/.exec(user);
  if (part !== null) return `Notes on part ${part[1]} of ${part[2]}: ${transcript.length} lines, from "${transcript[0] ?? ''}".`;
  if (parts !== null) return `## Summary\nCombined notes of ${parts[1]} parts by ${request.model}.`;
  if (/Question: /.test(user))
    return `Fake answer by ${request.model} from ${transcript.length} lines; the last: "${transcript[transcript.length - 1] ?? ''}".`;
  return `## Summary\nNotes by ${request.model} on ${transcript.length} transcript lines, the first: "${transcript[0] ?? ''}".\n\n## Action items\n- None.`;
}

export class LlmGateway {
  readonly requests: LlmRequestRecord[] = [];
  private readonly faults: LlmFault[];
  private readonly recent = new Map<string, number[]>();
  private readonly models: LlmModelEntry[];

  constructor(
    private readonly o: LlmGatewayOptions,
    private readonly apiKeys: readonly string[],
    private readonly notify: () => void,
  ) {
    this.faults = [...(o.faults ?? [])];
    this.models = (o.models ?? [...DEFAULT_LLM_MODELS]).map((m) =>
      o.contextLength === undefined
        ? m
        : { ...m, context_length: o.contextLength, max_completion_tokens: Math.min(m.max_completion_tokens, o.contextLength) },
    );
  }

  /** Whether this path is the gateway's (then the request is answered here). */
  handles(pathname: string): boolean {
    return pathname.startsWith('/v1/');
  }

  handle(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | undefined;
      try {
        body = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
      } catch {
        body = undefined;
      }
      const record: LlmRequestRecord = {
        method: req.method ?? '?',
        path: url.pathname,
        headers: { ...req.headers },
        ...(body === undefined ? {} : { body }),
        status: 0,
        at: Date.now(),
        answeredAt: 0,
      };
      this.requests.push(record);
      this.notify();
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
        record.status = status;
        record.answeredAt = Date.now();
        const out = JSON.stringify(payload);
        res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(out)), ...headers });
        res.end(out);
        this.notify();
      };
      if (url.pathname === '/v1/models' && req.method === 'GET')
        send(200, {
          data: this.models.map((m) => ({
            ...m,
            top_provider: { context_length: m.context_length, max_completion_tokens: m.max_completion_tokens, is_moderated: false },
          })),
        });
      else if (url.pathname === '/v1/chat/completions' && req.method === 'POST') this.chat(req, text, body, send);
      else send(404, { code: 404, message: 'not found', request_id: randomUUID() });
    });
  }

  private chat(
    req: IncomingMessage,
    text: string,
    body: Record<string, unknown> | undefined,
    send: (status: number, payload: unknown, headers?: Record<string, string>) => void,
  ): void {
    const requestId = randomUUID();
    const header = req.headers.authorization;
    if (header === undefined || header === '') return send(401, { error: NO_HEADER_401, status: 'error', request_id: requestId });
    if (!this.apiKeys.includes(header.replace(/^Bearer\s+/i, '')))
      return send(401, { error: 'Authentication error, API token missing/invalid', status: 'error', request_id: requestId });
    const invalid = (errors: string[]): void =>
      send(400, { code: 400, message: 'invalid request body', request_id: requestId, metadata: { errors } });
    if (body === undefined || typeof body !== 'object' || Array.isArray(body)) return invalid([`body is not a JSON object: ${text.slice(0, 40)}`]);
    const entry = this.models.find((m) => m.id === body.model);
    if (typeof body.model !== 'string' || entry === undefined) return invalid([`model ${String(body.model)} is not supported`]);
    // Rate limit per model, counted before validation of the rest: rejected requests count too (docs/service.md#gateway-rate-limits).
    const limit = this.o.rateLimitPerMinute ?? 30;
    const now = Date.now();
    const window = (this.recent.get(entry.id) ?? []).filter((t) => now - t < 60_000);
    window.push(now);
    this.recent.set(entry.id, window);
    const rate = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(limit - window.length),
      'x-ratelimit-model': entry.id,
      'x-ratelimit-service': 'llmgw',
    };
    if (window.length > limit)
      return send(
        429,
        { request_id: requestId, message: 'too many requests for this action', code: 429 },
        { ...rate, 'retry-after': String(Math.ceil((60_000 - (now - window[0]!)) / 1000)) },
      );
    const messages = body.messages;
    if (messages === undefined && body.prompt === undefined) return invalid(['one of messages or prompt required']);
    const unsupported = Object.keys(body).find((k) => !entry.supported_parameters.includes(k));
    if (unsupported !== undefined) return invalid([`model ${entry.id} does not support ${unsupported}`]);
    const list = Array.isArray(messages) ? (messages as Array<{ role?: unknown; content?: unknown }>) : [];
    if (messages !== undefined && (!Array.isArray(messages) || list.length === 0)) return invalid(['messages must be a non-empty array']);
    const contents: string[] = [];
    for (const m of list) {
      if (!['system', 'user', 'assistant', 'tool'].includes(String(m.role))) return invalid([`messages: role ${String(m.role)} is invalid`]);
      if (typeof m.content === 'string') contents.push(m.content);
      else if (Array.isArray(m.content)) contents.push((m.content as Array<{ text?: unknown }>).map((p) => String(p.text ?? '')).join(''));
      else return invalid(['messages: content must be a string or a list of parts']);
    }
    if (typeof body.prompt === 'string') contents.push(body.prompt);
    const maxTokens = body.max_tokens ?? 1000;
    if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens >= entry.context_length) {
      return invalid([`max_tokens must be an integer in [1, ${entry.context_length})`]);
    }
    const inputTokens = Math.ceil(contents.join('').length / 4);
    if (inputTokens + maxTokens > entry.context_length) return invalid(['model context limit exceeded']);
    const fault = this.faults.shift();
    const answer = (refusal?: string): void => {
      const content =
        refusal === undefined
          ? (this.o.answer ?? defaultAnswer)({
              model: entry.id,
              messages: list.map((m, i) => ({ role: String(m.role), content: contents[i] ?? '' })),
            })
          : null;
      const outputTokens = content === null ? 0 : Math.ceil(content.length / 4);
      send(
        200,
        {
          request_id: requestId,
          model: entry.id,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content, ...(refusal === undefined ? {} : { refusal }) },
              finish_reason: refusal === undefined ? 'stop' : 'refusal',
            },
          ],
          request: { model: entry.id, max_tokens: maxTokens },
          usage: {
            input_tokens: inputTokens,
            output_tokens: outputTokens,
            total_tokens: inputTokens + outputTokens,
            prompt_tokens: inputTokens,
            completion_tokens: outputTokens,
          },
          http_status_code: 200,
          response_time: 1_000_000,
        },
        rate,
      );
    };
    if (fault === undefined) return answer();
    if ('status' in fault) {
      const headers: Record<string, string> = fault.retryAfterS === undefined ? rate : { ...rate, 'retry-after': String(fault.retryAfterS) };
      const bodyOut =
        fault.body ??
        (fault.status === 429
          ? { request_id: requestId, message: 'too many requests for this action', code: 429 }
          : { request_id: requestId, message: 'internal server error', code: fault.status });
      return send(fault.status, bodyOut, headers);
    }
    if ('delayMs' in fault) {
      const timer = setTimeout(() => answer(), fault.delayMs);
      req.socket.once('close', () => clearTimeout(timer));
      return;
    }
    answer(fault.refusal);
  }
}
