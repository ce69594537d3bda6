/**
 * A socket error while reaching the service -> an AppError that names the host and the cause in words
 * (issue 24.8): "cannot connect to 127.0.0.1:1: connection refused", never a raw OpenSSL dump. A server that
 * answers TLS in plain text is a wrong --api-host, not a network blip: a usage error, so it is not retried.
 */
import { AppError, ErrorCode } from '../core/errors.js';
import { HandshakeTimeoutError } from './close-codes.js';

const CAUSES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused (nothing is listening on that port)',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved now (DNS did not answer)',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'no route to the host',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'no answer (timed out)',
  EPIPE: 'the connection was closed',
};

/** OpenSSL's "wrong version number" and friends: the other side answered without TLS. */
const PLAIN_TEXT_ANSWER = /wrong version number|packet length too long|http request|unknown protocol/i;

/** "…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:…" -> "wrong version number". */
export function opensslReason(text: string): string | undefined {
  const m = /SSL routines:[^:]*:([^:\n]+)/.exec(text);
  return m?.[1]?.trim();
}

/** `host:port` of a ws:// or wss:// endpoint, as people type it. */
export function endpointHost(endpoint: string): string {
  const url = new URL(endpoint);
  const port = url.port === '' ? (url.protocol === 'ws:' ? '80' : '443') : url.port;
  return `${url.hostname}:${port}`;
}

export interface NetworkErrorContext {
  /** The socket goes through an HTTP proxy (the refusal may be the proxy's). */
  viaProxy: boolean;
  /** The upgrade was done: the connection broke, rather than could not be made. */
  connected: boolean;
  /** How long the handshake was given (its timeout's message says it). */
  handshakeMs?: number;
}

/** The largest message accepted from the service (session.ts MAX_MESSAGE_BYTES), in MiB. */
const MAX_MESSAGE_MIB = 32;

export function describeNetworkError(err: Error, endpoint: string, { viaProxy, connected, handshakeMs = 5000 }: NetworkErrorContext): AppError {
  const code = (err as NodeJS.ErrnoException).code;
  const host = endpointHost(endpoint);
  const target = viaProxy ? `${host} (through the proxy)` : host;
  const text = err.message;
  const failed = connected ? `the connection to ${target} failed` : `cannot connect to ${target}`;
  const secure = endpoint.startsWith('wss:');
  if (secure && PLAIN_TEXT_ANSWER.test(text)) {
    const plain = new URL(endpoint);
    plain.protocol = 'ws:';
    return new AppError(ErrorCode.usage, `${host} does not speak TLS (it answered in plain text to a wss:// connection)`, {
      hint: `for a local server without TLS use --api-host ${plain.toString().replace(/\/v3\/ws$/, '')}; the AssemblyAI service is wss:// only`,
      cause: err,
    });
  }
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    // E_SERVER: not retried (the next session would send the same).
    return new AppError(ErrorCode.server, `${host} sent a message larger than ${MAX_MESSAGE_MIB} MiB`, {
      hint: 'check --api-host: the AssemblyAI service sends nothing that large',
      cause: err,
    });
  }
  // The handshake's bound (session.ts HANDSHAKE_TIMEOUT_MS): its own error, which the first connection does not retry.
  if (/handshake has timed out/i.test(text)) return new HandshakeTimeoutError(Math.round(handshakeMs / 100) / 10, err);
  if (code !== undefined && CAUSES[code] !== undefined) {
    const hint =
      code === 'ECONNREFUSED' ? 'check --api-host (host and port) and that the server is running' : 'check the network connection and --api-host';
    return new AppError(ErrorCode.network, `${failed}: ${CAUSES[code]}`, { hint, cause: err });
  }
  if (typeof code === 'string' && /CERT|SSL|TLS/.test(code)) {
    // E_SERVER, not E_NETWORK: a certificate that fails verification fails again, so it is not retried (issue 19.8).
    return new AppError(ErrorCode.server, `the TLS certificate of ${host} could not be verified (${code})`, {
      hint: 'a proxy or firewall may be intercepting TLS; live-transcribe never disables verification',
      cause: err,
    });
  }
  const reason = opensslReason(text) ?? text.split('\n')[0]?.trim() ?? text;
  return new AppError(ErrorCode.network, `${failed}: ${reason}${code === undefined ? '' : ` (${code})`}`, {
    hint: 'check the network connection and try again',
    cause: err,
  });
}

/**
 * A refusal of a temporary token named as one: the shared 1008/401 sentence points at ASSEMBLYAI_API_KEY,
 * which a run with --token or --token-command did not use.
 */
export function forCredential(error: AppError, kind: 'key' | 'token'): AppError {
  if (kind !== 'token' || error.code !== ErrorCode.auth || !/the credentials/.test(error.message)) return error;
  const expired = /expired/i.test(error.message);
  return new AppError(ErrorCode.auth, error.message.replace('the credentials', 'the temporary token'), {
    ...(error.closeCode === undefined ? {} : { closeCode: error.closeCode }),
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    hint: expired
      ? 'the token is past its expires_in_seconds: mint a new one just before the run'
      : 'a temporary token is the "token" of GET /v3/token made with your key (see the README), used once and before it expires; or use an API key',
  });
}
