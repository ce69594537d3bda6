/**
 * The pre-recorded (async) API client (docs/service.md#pre-recorded-api): upload, create a transcript, poll it with bounded
 * backoff, delete it. Uploads, polls and deletes are retried on 429, 5xx and network errors; creating a
 * transcript is not idempotent (docs/service.md#pre-recorded-errors), so it is retried only when the service said it did nothing (429, 503) or
 * the connection was refused. Used by `-i FILE --batch` and by gap recovery.
 */
import { sendRequest, type HttpRequest, type HttpResponse } from './http.js';
import { transcriptBody, type TranscriptOptions } from './transcript-request.js';

export type TranscriptStatus = 'queued' | 'processing' | 'completed' | 'error';

/** A word of a transcript: integer ms from the start of the uploaded file (docs/service.md#transcript-object). */
export interface PrerecordedWord {
  text: string;
  start: number;
  end: number;
  confidence: number;
  speaker: string | null;
}

export interface PrerecordedUtterance {
  speaker: string;
  text: string;
  start: number;
  end: number;
  confidence: number;
  words: PrerecordedWord[];
}

export interface Transcript {
  id: string;
  status: TranscriptStatus;
  text: string | null;
  words: PrerecordedWord[];
  utterances: PrerecordedUtterance[] | null;
  audioDurationS: number | null;
  languageCode: string | null;
  error: string | null;
}

/** Why a request failed, for the sentence the user reads (render/batch-messages.ts). */
export type PrerecordedFailure =
  | { kind: 'auth'; status: number; detail: string }
  | { kind: 'refused'; step: Step; status: number; detail: string }
  | { kind: 'unreachable'; step: Step; detail: string }
  | { kind: 'transcript-error'; id: string; detail: string }
  | { kind: 'timeout'; id: string; waitedMs: number };

export type Step = 'upload' | 'create' | 'poll' | 'delete';

export class PrerecordedError extends Error {
  constructor(readonly failure: PrerecordedFailure) {
    super(`pre-recorded API: ${failure.kind}`);
    this.name = 'PrerecordedError';
  }
}

export interface ClientOptions {
  /** e.g. https://api.assemblyai.com (batch/hosts.ts). */
  baseUrl: string;
  apiKey: string;
  /** Tries per request before a transient failure is final. Default 5. */
  attempts?: number;
  /** First poll interval and its cap (docs/service.md#polling: 1 s backing off to 3-5 s). Defaults 1000 and 5000. */
  pollInitialMs?: number;
  pollMaxMs?: number;
  /** Bound on one HTTP request. Default 120 s (an upload of a long file). */
  requestTimeoutMs?: number;
  /** Waits between tries and polls; tests may pass a faster clock. */
  sleep?: (ms: number) => Promise<void>;
  send?: (req: HttpRequest) => Promise<HttpResponse>;
}

export interface PollProgress {
  status: TranscriptStatus;
  elapsedMs: number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const RETRY_BASE_MS = 500;
const RETRY_CAP_MS = 8000;

function errorText(body: unknown): string {
  if (typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string') return (body as { error: string }).error;
  return typeof body === 'string' ? body.trim().slice(0, 200) : '';
}

function retryAfterMs(res: HttpResponse): number | undefined {
  const raw = res.headers['retry-after'];
  const seconds = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

const transientStatus = (status: number): boolean => status === 429 || status >= 500;
/** Whether a failed try may be repeated: a create only when nothing can have been created (docs/service.md#pre-recorded-errors). */
function mayRetry(step: Step, res: HttpResponse | undefined, err: unknown): boolean {
  if (res !== undefined) return step === 'create' ? res.status === 429 || res.status === 503 : transientStatus(res.status);
  if (step !== 'create') return true;
  return (err as { code?: unknown } | undefined)?.code === 'ECONNREFUSED';
}

function toWords(raw: unknown): PrerecordedWord[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((w: Record<string, unknown>) => ({
    text: String(w.text ?? ''),
    start: Number(w.start ?? 0),
    end: Number(w.end ?? 0),
    confidence: Number(w.confidence ?? 0),
    speaker: typeof w.speaker === 'string' ? w.speaker : null,
  }));
}

export function parseTranscript(body: unknown): Transcript {
  const o = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const utterances = Array.isArray(o.utterances)
    ? o.utterances.map((u: Record<string, unknown>) => ({
        speaker: String(u.speaker ?? ''),
        text: String(u.text ?? ''),
        start: Number(u.start ?? 0),
        end: Number(u.end ?? 0),
        confidence: Number(u.confidence ?? 0),
        words: toWords(u.words),
      }))
    : null;
  const status = o.status;
  return {
    id: String(o.id ?? ''),
    status: status === 'queued' || status === 'processing' || status === 'completed' || status === 'error' ? status : 'processing',
    text: typeof o.text === 'string' ? o.text : null,
    words: toWords(o.words),
    utterances,
    audioDurationS: typeof o.audio_duration === 'number' ? o.audio_duration : null,
    languageCode: typeof o.language_code === 'string' ? o.language_code : null,
    error: typeof o.error === 'string' ? o.error : null,
  };
}

export class PrerecordedClient {
  private readonly attempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly send: (req: HttpRequest) => Promise<HttpResponse>;

  constructor(private readonly opts: ClientOptions) {
    this.attempts = Math.max(1, opts.attempts ?? 5);
    this.sleep = opts.sleep ?? defaultSleep;
    this.send = opts.send ?? sendRequest;
  }

  /** One request with retries of transient failures; a final failure becomes a PrerecordedError. */
  private async call(
    step: Step,
    req: Omit<HttpRequest, 'url' | 'timeoutMs' | 'headers'> & { path: string; headers?: Record<string, string> },
  ): Promise<HttpResponse> {
    const request: HttpRequest = {
      ...req,
      url: `${this.opts.baseUrl}${req.path}`,
      headers: { Authorization: this.opts.apiKey, ...(req.headers ?? {}) },
      timeoutMs: this.opts.requestTimeoutMs ?? 120_000,
    };
    for (let attempt = 1; ; attempt++) {
      let res: HttpResponse | undefined;
      let err: unknown;
      try {
        res = await this.send(request);
        if (res.status >= 200 && res.status < 300) return res;
      } catch (e) {
        err = e;
      }
      if (attempt >= this.attempts || !mayRetry(step, res, err)) throw new PrerecordedError(this.failureOf(step, res, err));
      const backoff = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
      await this.sleep((res === undefined ? undefined : retryAfterMs(res)) ?? backoff);
    }
  }

  private failureOf(step: Step, res: HttpResponse | undefined, err: unknown): PrerecordedFailure {
    if (res === undefined) return { kind: 'unreachable', step, detail: err instanceof Error ? err.message : String(err) };
    if (res.status === 401) return { kind: 'auth', status: res.status, detail: errorText(res.body) };
    return { kind: 'refused', step, status: res.status, detail: errorText(res.body) };
  }

  /** POST /v2/upload: the file's bytes -> its upload_url (docs/service.md#upload). */
  async upload(bytes: Buffer, onProgress?: (sent: number, total: number) => void): Promise<string> {
    const res = await this.call('upload', {
      method: 'POST',
      path: '/v2/upload',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: bytes,
      ...(onProgress === undefined ? {} : { onProgress }),
    });
    const url = (res.body as { upload_url?: unknown } | null)?.upload_url;
    if (typeof url !== 'string')
      throw new PrerecordedError({ kind: 'refused', step: 'upload', status: res.status, detail: 'no upload_url in the answer' });
    return url;
  }

  /** POST /v2/transcript -> the new transcript's id (docs/service.md#transcript-request). */
  async create(audioUrl: string, options: TranscriptOptions): Promise<string> {
    const body = Buffer.from(JSON.stringify(transcriptBody(audioUrl, options)));
    const res = await this.call('create', { method: 'POST', path: '/v2/transcript', headers: { 'Content-Type': 'application/json' }, body });
    const t = parseTranscript(res.body);
    if (t.id === '') throw new PrerecordedError({ kind: 'refused', step: 'create', status: res.status, detail: 'no transcript id in the answer' });
    return t.id;
  }

  /** GET /v2/transcript/{id} once. */
  async get(id: string): Promise<Transcript> {
    const res = await this.call('poll', { method: 'GET', path: `/v2/transcript/${encodeURIComponent(id)}` });
    return parseTranscript(res.body);
  }

  /**
   * Polls until `completed` (resolves) or `error` (PrerecordedError 'transcript-error'), backing off from
   * pollInitialMs to pollMaxMs; gives up after `timeoutMs` ('timeout', the transcript left at the service).
   */
  async waitFor(id: string, timeoutMs: number, onProgress?: (p: PollProgress) => void): Promise<Transcript> {
    const started = Date.now();
    let interval = this.opts.pollInitialMs ?? 1000;
    const cap = this.opts.pollMaxMs ?? 5000;
    for (;;) {
      const t = await this.get(id);
      const elapsedMs = Date.now() - started;
      onProgress?.({ status: t.status, elapsedMs });
      if (t.status === 'completed') return t;
      if (t.status === 'error') throw new PrerecordedError({ kind: 'transcript-error', id, detail: t.error ?? '' });
      if (elapsedMs + interval > timeoutMs) throw new PrerecordedError({ kind: 'timeout', id, waitedMs: elapsedMs });
      await this.sleep(interval);
      interval = Math.min(cap, Math.round(interval * 1.5));
    }
  }

  /** DELETE /v2/transcript/{id}: the transcript and its uploaded file are removed at the service (docs/service.md#delete). */
  async remove(id: string): Promise<void> {
    await this.call('delete', { method: 'DELETE', path: `/v2/transcript/${encodeURIComponent(id)}` });
  }
}
