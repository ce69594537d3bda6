/**
 * What each way a session can end means, in one table: the WebSocket close codes and `error_code`s of the
 * service (docs/service.md#errors-and-close-codes) and the HTTP statuses of a refused upgrade. Each row says it in plain
 * words, decides whether a new session is worth trying, and names the error code (hence the exit code).
 * Pure: protocol.ts builds its errors from here, connection.ts its retry decision.
 */
import { AppError, ErrorCode } from '../core/errors.js';

/** Try again now (with backoff), only after a longer wait, or never. */
export type RetryDecision = 'now' | 'later' | 'never';

export interface CloseCodeInfo {
  /** What happened, in plain words (for documentation and tests; messages are built by `message`). */
  readonly description: string;
  readonly retry: RetryDecision;
  readonly errorCode: ErrorCode;
  /** The first line the user reads; `said` is the service's own text as ` (text)`, or ''. */
  readonly message: (said: string, code: number) => string;
  /** The line under it; `detail` is the service's text. */
  readonly hint?: (detail: string) => string;
}

const SEE_DOCS = 'https://www.assemblyai.com/docs/speech-to-text/universal-streaming';
const BUG = 'this is a bug in live-transcribe: please report it';
const TRY_AGAIN = 'try again in a moment';
const closedWith = (said: string, code: number): string => `the service closed the connection (code ${code})${said}`;
const refusedWith = (said: string, status: number): string => `the service refused the connection (HTTP ${status}${said})`;
/** A message that is the given text followed by what the service said. */
const saying =
  (text: string) =>
  (said: string): string =>
    `${text}${said}`;

/** One row of a table; a fixed hint may be given as its text. */
function row(
  retry: RetryDecision,
  errorCode: ErrorCode,
  description: string,
  message: CloseCodeInfo['message'],
  hint?: string | ((detail: string) => string),
): CloseCodeInfo {
  if (hint === undefined) return { description, retry, errorCode, message };
  return { description, retry, errorCode, message, hint: typeof hint === 'string' ? () => hint : hint };
}

const credentialsHint = (detail: string): string =>
  /expired/i.test(detail)
    ? 'the temporary token has expired: mint a new one'
    : 'check ASSEMBLYAI_API_KEY (or --api-key / --token): it must be a valid key of an account with streaming access';
const credentialsRow = row(
  'never',
  ErrorCode.auth,
  'the credentials were rejected (missing, invalid or expired key or token; account problem; v2 4001)',
  saying('the service rejected the credentials'),
  credentialsHint,
);
const accountRow = row(
  'never',
  ErrorCode.auth,
  'the account cannot open a session (v2: insufficient funds, paid-only feature)',
  saying('the account cannot open a session'),
  'check the account balance and billing at https://www.assemblyai.com/dashboard',
);

/** The service's refusal of a new session for concurrency: 3009, or 1008 with its text (docs/service.md#errors-and-close-codes). */
export const CONCURRENCY_REFUSAL: CloseCodeInfo = row(
  'later',
  ErrorCode.server,
  'too many sessions started this minute (concurrency limit)',
  saying('the service refused a new session: too many sessions started this minute'),
  'wait a minute and try again; check that no other sessions are left open',
);

/** Close codes and `error_code`s; a code not here is described by `UNKNOWN_CLOSE`. */
export const CLOSE_CODES: Readonly<Record<number, CloseCodeInfo>> = {
  1000: row('now', ErrorCode.server, 'the service ended the session while audio was still being sent', closedWith),
  1006: row(
    'now',
    ErrorCode.network,
    'the connection dropped without a close frame',
    () => 'the connection to the service was lost',
    'check the network connection and try again',
  ),
  1008: credentialsRow,
  1009: row(
    'never',
    ErrorCode.server,
    'a message to the service was over 128 KB',
    saying('the service refused a message over its 128 KB limit'),
    BUG,
  ),
  1011: row('now', ErrorCode.server, 'the service hit an internal error while connecting', saying('the service hit an internal error'), TRY_AGAIN),
  1012: row('now', ErrorCode.server, 'the service is restarting', closedWith),
  1013: row('now', ErrorCode.server, 'a temporary condition on the service (try again later)', closedWith),
  3005: row(
    'now',
    ErrorCode.server,
    'the service cancelled the session (an unknown server error)',
    saying('the service cancelled the session'),
    'this is a server-side error; try again',
  ),
  3006: row(
    'never',
    ErrorCode.server,
    'the service refused a parameter or a message of the client (or the inactivity timeout fired)',
    saying('the service refused the request'),
    `check the options against ${SEE_DOCS}`,
  ),
  3007: row(
    'never',
    ErrorCode.server,
    'the service refused the audio (a frame outside 50-1000 ms, or audio faster than real time)',
    saying('the service refused the audio'),
    BUG,
  ),
  3008: row(
    'now',
    ErrorCode.server,
    'the session reached its maximum duration (3 h, or a token cap)',
    saying('the session reached its maximum duration'),
    'sessions last at most 3 hours (less with a temporary token); start a new one',
  ),
  3009: CONCURRENCY_REFUSAL,
  4001: credentialsRow,
  4002: accountRow,
  4003: accountRow,
};

/** Any other close code. */
export const UNKNOWN_CLOSE: CloseCodeInfo = row('never', ErrorCode.server, 'a close code with no known meaning', closedWith);

/** The HTTP statuses of a refused upgrade; other 4xx statuses are never retried, 5xx ones retried now. */
export const HTTP_STATUSES: Readonly<Record<number, CloseCodeInfo>> = {
  401: row(
    'never',
    ErrorCode.auth,
    'the credentials were rejected before the upgrade',
    (said) => `the service rejected the credentials (HTTP 401${said})`,
    'check ASSEMBLYAI_API_KEY (or --api-key / --token)',
  ),
  403: row(
    'never',
    ErrorCode.auth,
    'access forbidden: no streaming access, a region or plan block, or a network filter',
    (said) => `access forbidden (HTTP 403${said})`,
    'the key may lack streaming access or this region, or a network filter blocked the request',
  ),
  404: row(
    'never',
    ErrorCode.server,
    'no streaming endpoint at this address',
    refusedWith,
    'check --api-host: the streaming endpoint is wss://streaming.assemblyai.com/v3/ws',
  ),
  429: row('later', ErrorCode.server, 'too many requests', refusedWith, TRY_AGAIN),
};
const HTTP_SERVER_ERROR = row('now', ErrorCode.server, 'a server error (5xx)', refusedWith, TRY_AGAIN);
const HTTP_OTHER = row('never', ErrorCode.server, 'the upgrade was refused', refusedWith, TRY_AGAIN);

/**
 * Whether a text says the service refused a new session for concurrency: its own text (sent with 1008 or
 * 3009), or the message of an error built from the `CONCURRENCY_REFUSAL` row.
 */
export function isConcurrencyRefusal(text: string): boolean {
  return /too many (concurrent )?sessions/i.test(text);
}

/** The row for a close code (or `error_code`), given the service's text: 1008 with a concurrency text is 3009. */
export function closeCodeInfo(code: number | undefined, text = ''): CloseCodeInfo {
  if (code === 1008 && isConcurrencyRefusal(text)) return CONCURRENCY_REFUSAL;
  return code === undefined ? UNKNOWN_CLOSE : (CLOSE_CODES[code] ?? UNKNOWN_CLOSE);
}

/**
 * A host that accepted the connection but never completed the WebSocket handshake (issue 19.8). Retried
 * after a drop, but not on the first connection: that is a wrong --api-host or something in between that
 * swallows the request, and the README promises such a start fails within seconds.
 */
export class HandshakeTimeoutError extends AppError {
  constructor(seconds: number, cause: unknown) {
    super(ErrorCode.network, `the service did not answer the connection within ${seconds} s`, {
      hint: 'check --api-host (is it the service?), the network, and any proxy or firewall in between',
      cause,
    });
    this.name = 'HandshakeTimeoutError';
  }
}

/** The row for the HTTP status of a refused upgrade. */
export function httpStatusInfo(status: number): CloseCodeInfo {
  return HTTP_STATUSES[status] ?? (status >= 500 ? HTTP_SERVER_ERROR : HTTP_OTHER);
}

/**
 * Whether a new session is worth trying after this error. Network failures and our own timeouts: now.
 * Errors from the service: the row of their close code or HTTP status.
 */
export function retryDecision(error: AppError): RetryDecision {
  if (error.code === ErrorCode.network || error.code === ErrorCode.timeout) return 'now';
  if (error.httpStatus !== undefined) return httpStatusInfo(error.httpStatus).retry;
  return error.closeCode === undefined ? 'never' : closeCodeInfo(error.closeCode, error.message).retry;
}
