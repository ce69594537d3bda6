/**
 * What each way a session can end means, in one table: the WebSocket close codes and `error_code`s of the
 * service (PROTOCOL.md §6.1, §12.13) and the HTTP statuses of a refused upgrade. Each row says it in plain
 * words, decides whether a new session is worth trying, and names the error code (hence the exit code).
 * Pure: protocol.ts builds its errors from here, connection.ts its retry decision.
 */
import { AppError, ErrorCode } from '../errors.js';

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
const closedWith = (said: string, code: number): string => `the service closed the connection (code ${code})${said}`;
const tryAgain = (): string => 'try again in a moment';
const credentialsHint = (detail: string): string =>
  /expired/i.test(detail)
    ? 'the temporary token has expired: mint a new one'
    : 'check ASSEMBLYAI_API_KEY (or --api-key / --token): it must be a valid key of an account with streaming access';
const credentialsRow: CloseCodeInfo = {
  description: 'the credentials were rejected (missing, invalid or expired key or token; account problem; v2 4001)',
  retry: 'never',
  errorCode: ErrorCode.auth,
  message: (said) => `the service rejected the credentials${said}`,
  hint: credentialsHint,
};
const accountRow: CloseCodeInfo = {
  description: 'the account cannot open a session (v2: insufficient funds, paid-only feature)',
  retry: 'never',
  errorCode: ErrorCode.auth,
  message: (said) => `the account cannot open a session${said}`,
  hint: () => 'check the account balance and billing at https://www.assemblyai.com/app',
};

/** The service's refusal of a new session for concurrency: 3009, or 1008 with its text (§6.1). */
export const CONCURRENCY_REFUSAL: CloseCodeInfo = {
  description: 'too many sessions started this minute (concurrency limit)',
  retry: 'later',
  errorCode: ErrorCode.server,
  message: (said) => `the service refused a new session: too many sessions started this minute${said}`,
  hint: () => 'wait a minute and try again; check that no other sessions are left open',
};

/** Close codes and `error_code`s; a code not here is described by `UNKNOWN_CLOSE`. */
export const CLOSE_CODES: Readonly<Record<number, CloseCodeInfo>> = {
  1000: { description: 'the service ended the session while audio was still being sent', retry: 'now', errorCode: ErrorCode.server, message: closedWith },
  1006: {
    description: 'the connection dropped without a close frame',
    retry: 'now',
    errorCode: ErrorCode.network,
    message: () => 'the connection to the service was lost',
    hint: () => 'check the network connection and try again',
  },
  1008: credentialsRow,
  1009: {
    description: 'a message to the service was over 128 KB',
    retry: 'never',
    errorCode: ErrorCode.server,
    message: (said) => `the service refused a message over its 128 KB limit${said}`,
    hint: () => 'this is a bug in live-transcribe: please report it',
  },
  1011: {
    description: 'the service hit an internal error while connecting',
    retry: 'now',
    errorCode: ErrorCode.server,
    message: (said) => `the service hit an internal error${said}`,
    hint: tryAgain,
  },
  1012: { description: 'the service is restarting', retry: 'now', errorCode: ErrorCode.server, message: closedWith },
  1013: { description: 'a temporary condition on the service (try again later)', retry: 'now', errorCode: ErrorCode.server, message: closedWith },
  3005: {
    description: 'the service cancelled the session (an unknown server error)',
    retry: 'now',
    errorCode: ErrorCode.server,
    message: (said) => `the service cancelled the session${said}`,
    hint: () => 'this is a server-side error; try again',
  },
  3006: {
    description: 'the service refused a parameter or a message of the client (or the inactivity timeout fired)',
    retry: 'never',
    errorCode: ErrorCode.server,
    message: (said) => `the service refused the request${said}`,
    hint: () => `check the options against ${SEE_DOCS}`,
  },
  3007: {
    description: 'the service refused the audio (a frame outside 50-1000 ms, or audio faster than real time)',
    retry: 'never',
    errorCode: ErrorCode.server,
    message: (said) => `the service refused the audio${said}`,
    hint: () => 'this is a bug in live-transcribe: please report it',
  },
  3008: {
    description: 'the session reached its maximum duration (3 h, or a token cap)',
    retry: 'now',
    errorCode: ErrorCode.server,
    message: (said) => `the session reached its maximum duration${said}`,
    hint: () => 'sessions last at most 3 hours (less with a temporary token); start a new one',
  },
  3009: CONCURRENCY_REFUSAL,
  4001: credentialsRow,
  4002: accountRow,
  4003: accountRow,
};

/** Any other close code. */
export const UNKNOWN_CLOSE: CloseCodeInfo = { description: 'a close code with no known meaning', retry: 'never', errorCode: ErrorCode.server, message: closedWith };

/** The HTTP statuses of a refused upgrade; other 4xx statuses are never retried, 5xx ones retried now. */
export const HTTP_STATUSES: Readonly<Record<number, CloseCodeInfo>> = {
  401: {
    description: 'the credentials were rejected before the upgrade',
    retry: 'never',
    errorCode: ErrorCode.auth,
    message: (said) => `the service rejected the credentials (HTTP 401${said})`,
    hint: () => 'check ASSEMBLYAI_API_KEY (or --api-key / --token)',
  },
  403: {
    description: 'access forbidden: no streaming access, a region or plan block, or a network filter',
    retry: 'never',
    errorCode: ErrorCode.auth,
    message: (said) => `access forbidden (HTTP 403${said})`,
    hint: () => 'the key may lack streaming access or this region, or a network filter blocked the request',
  },
  404: {
    description: 'no streaming endpoint at this address',
    retry: 'never',
    errorCode: ErrorCode.server,
    message: (said, status) => `the service refused the connection (HTTP ${status}${said})`,
    hint: () => 'check --api-host: the streaming endpoint is wss://streaming.assemblyai.com/v3/ws',
  },
  429: { description: 'too many requests', retry: 'later', errorCode: ErrorCode.server, message: (said, status) => `the service refused the connection (HTTP ${status}${said})`, hint: tryAgain },
};

const httpOther = (retry: RetryDecision, description: string): CloseCodeInfo => ({
  description,
  retry,
  errorCode: ErrorCode.server,
  message: (said, status) => `the service refused the connection (HTTP ${status}${said})`,
  hint: tryAgain,
});
const HTTP_SERVER_ERROR = httpOther('now', 'a server error (5xx)');
const HTTP_OTHER = httpOther('never', 'the upgrade was refused');

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
