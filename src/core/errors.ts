/**
 * One error family with string codes, and the one mapping from codes to exit codes.
 * Messages are lower-case, say what happened and what to do, and never contain a secret.
 */

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  audio: 3,
  auth: 4,
  /** The run ended normally without a single final turn: nothing was said (issue 14). */
  nothingSaid: 5,
  /** Some audio could not be transcribed (lost past the replay bound, a failed source): the transcript has a hole. */
  transcriptHole: 6,
  forced: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const ErrorCode = {
  usage: 'E_USAGE',
  input: 'E_INPUT',
  soxNotFound: 'E_SOX_NOT_FOUND',
  capture: 'E_CAPTURE',
  auth: 'E_AUTH',
  server: 'E_SERVER',
  network: 'E_NETWORK',
  timeout: 'E_TIMEOUT',
  /** The HTTP proxy refused the tunnel (407, 403): not retried. */
  proxy: 'E_PROXY',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const exitCodes: Record<ErrorCode, ExitCode> = {
  E_USAGE: ExitCode.usage,
  E_INPUT: ExitCode.usage,
  E_SOX_NOT_FOUND: ExitCode.audio,
  E_CAPTURE: ExitCode.audio,
  E_AUTH: ExitCode.auth,
  E_SERVER: ExitCode.failure,
  E_NETWORK: ExitCode.failure,
  E_TIMEOUT: ExitCode.failure,
  E_PROXY: ExitCode.failure,
};

export interface AppErrorDetails {
  /** WebSocket close code or server `error_code`, when the error came from the service. */
  closeCode?: number;
  /** HTTP status of a rejected upgrade. */
  httpStatus?: number;
  /** Extra lines shown under the message (e.g. the tail of SoX's stderr). */
  hint?: string;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly closeCode: number | undefined;
  readonly httpStatus: number | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, details: AppErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'AppError';
    this.code = code;
    this.closeCode = details.closeCode;
    this.httpStatus = details.httpStatus;
    this.hint = details.hint;
  }
}

export class UsageError extends AppError {
  constructor(message: string, hint?: string) {
    super(ErrorCode.usage, message, hint === undefined ? {} : { hint });
    this.name = 'UsageError';
  }
}

export function exitCodeFor(error: unknown): ExitCode {
  return error instanceof AppError ? exitCodes[error.code] : ExitCode.failure;
}
