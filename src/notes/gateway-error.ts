/**
 * What went wrong with a gateway request, in kinds the user can act on (docs/service.md#gateway-errors), and the
 * retry decision for each (pure).
 */
export type GatewayErrorKind =
  /** 401: the key is missing or wrong. */
  | 'auth'
  /** 403, or 400 "does not have access": the plan does not include the gateway or this model. */
  | 'no-access'
  /** 429 after the retries. */
  | 'rate-limited'
  /** 5xx after the retries. */
  | 'server'
  /** No answer within the time allowed, after the retries. */
  | 'timeout'
  /** The model declined to answer, or answered nothing. */
  | 'refused'
  /** 400 (other than access): the request was not accepted. */
  | 'bad-request'
  /** The host could not be reached. */
  | 'network'
  /** Skipped by the user (Ctrl+C) or the end of the run. */
  | 'aborted';

export class GatewayError extends Error {
  constructor(
    readonly kind: GatewayErrorKind,
    /** The gateway's own words (its `message` / `error`), or the network error's. */
    readonly detail: string,
    readonly status?: number,
    readonly requestId?: string,
  ) {
    super(`${kind}: ${detail}`);
    this.name = 'GatewayError';
  }
}

/** The text a gateway error body carries: `message`, `error` (a string or `{message}`), `metadata.errors`. */
export function errorText(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  const o = (body ?? {}) as Record<string, unknown>;
  const errors = (o.metadata as { errors?: unknown } | undefined)?.errors;
  const parts: string[] = [];
  if (typeof o.message === 'string') parts.push(o.message);
  if (typeof o.error === 'string') parts.push(o.error);
  else if (typeof (o.error as { message?: unknown } | undefined)?.message === 'string') parts.push((o.error as { message: string }).message);
  if (Array.isArray(errors)) parts.push(...errors.filter((e): e is string => typeof e === 'string'));
  return parts.join('; ').slice(0, 300);
}

/** The error kind for a refused HTTP status, and whether that status is worth another try. */
export function classifyStatus(status: number, text: string): { kind: GatewayErrorKind; retry: boolean } {
  if (status === 401) return { kind: 'auth', retry: false };
  if (status === 403 || /does not have access/i.test(text)) return { kind: 'no-access', retry: false };
  if (status === 429) return { kind: 'rate-limited', retry: true };
  if (status >= 500) return { kind: 'server', retry: true };
  return { kind: 'bad-request', retry: false };
}

/** `retry-after` in seconds (or an HTTP date) -> ms, undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
