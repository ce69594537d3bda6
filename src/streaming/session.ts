/**
 * One Universal-Streaming session over one WebSocket: open (resolves on Begin, rejects on anything else),
 * send audio, terminate (Terminate -> Termination, bounded), close. Everything else is reported through
 * `onEvent`; nothing here writes to the console. The caller owns the session and must call terminate()
 * or close(); both are idempotent.
 */
import { createRequire } from 'node:module';
import type WebSocketType from 'ws';
import type { IncomingMessage } from 'node:http';
import type { ClientRequest } from 'node:http';
import type { Auth, StreamingParams } from '../types.js';
import { AppError, ErrorCode } from '../errors.js';
import {
  API_VERSION,
  buildUrl,
  describeHttpRejection,
  describeServerError,
  parseServerMessage,
  type TurnMessage,
} from './protocol.js';

export interface SessionOptions {
  endpoint: string;
  auth: Auth;
  params: StreamingParams;
  userAgent: string;
  /** Bound on TCP + TLS + HTTP upgrade. */
  handshakeTimeoutMs?: number;
  /** Bound on upgrade -> Begin (the live service takes ~1.2 s). */
  beginTimeoutMs?: number;
  onEvent: (event: SessionEvent) => void;
  /** Aborting before Begin rejects open (and terminates the session if the socket was already upgraded). */
  signal?: AbortSignal;
  /** A ping this often; no pong for twice as long means a dead link (default 5000). */
  pingEveryMs?: number;
}

export type SessionEvent =
  | { type: 'turn'; turn: TurnMessage }
  | { type: 'warning'; message: string }
  /** The session ended without our Terminate having completed it: an Error frame, a close, a network failure. */
  | { type: 'ended'; error: AppError };

export interface TerminationResult {
  /** Termination arrived within the bound. */
  terminated: boolean;
  audioDurationS: number | undefined;
  sessionDurationS: number | undefined;
  /** Set when the session had already ended with an error before Terminate could complete. */
  error?: AppError;
}

export interface Session {
  readonly id: string;
  readonly expiresAt: number | undefined;
  /** Sends one binary audio frame; silently dropped once the session is ending. */
  sendAudio(frame: Buffer): void;
  /** Asks the service to end the current turn now (ForceEndpoint, §4.3). */
  forceEndpoint(): void;
  /** Sends Terminate and waits up to timeoutMs for Termination, then closes. */
  terminate(timeoutMs: number): Promise<TerminationResult>;
  /** Sends Terminate if the session is still open (billing), then closes without waiting. */
  close(): Promise<void>;
}

/** More than this many bytes waiting to be sent (about 30 s of 16 kHz audio) means the link is dead. */
const STALLED_BYTES = 1_000_000;
// Loaded as CommonJS: Node 20's ESM wrapper around ws costs ~20 ms of start-up and ~5 MB (bench/).
const WebSocket = createRequire(import.meta.url)('ws') as typeof WebSocketType;
const TERMINATE = JSON.stringify({ type: 'Terminate' });
const FORCE_ENDPOINT = JSON.stringify({ type: 'ForceEndpoint' });

export function openSession(options: SessionOptions): Promise<Session> {
  const { onEvent } = options;
  const url = buildUrl(options.endpoint, options.params, options.auth);
  const headers: Record<string, string> = {
    'User-Agent': options.userAgent,
    'AssemblyAI-Version': API_VERSION,
  };
  if (options.auth.kind === 'key') headers.Authorization = options.auth.apiKey;

  return new Promise<Session>((resolve, reject) => {
    let state: 'connecting' | 'upgraded' | 'open' | 'terminating' | 'ended' = 'connecting';
    let serverError: AppError | undefined;
    let termination: TerminationResult | undefined;
    let onFinished: (() => void) | undefined;
    let id = '';
    let expiresAt: number | undefined;

    const ws = new WebSocket(url, {
      headers,
      perMessageDeflate: false,
      handshakeTimeout: options.handshakeTimeoutMs ?? 10_000,
      followRedirects: false,
    });
    // A permanent listener: ws emits 'error' after aborted handshakes too, and an unheard one would crash.
    ws.on('error', (err: Error) => fail(networkError(err)));

    const beginTimer = setTimeout(() => {
      fail(new AppError(ErrorCode.timeout, `the service did not start the session within ${Math.round((options.beginTimeoutMs ?? 15_000) / 1000)} s`, {
        hint: 'check the network and --api-host; the service may be overloaded',
      }));
    }, options.beginTimeoutMs ?? 15_000);

    const onAbort = (): void => fail(new AppError(ErrorCode.network, 'connection cancelled'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted === true) queueMicrotask(onAbort);

    ws.on('unexpected-response', (req: ClientRequest, res: IncomingMessage) => {
      readBody(res, 4096, 2000).then((body) => {
        fail(describeHttpRejection(res.statusCode ?? 0, body));
        req.destroy();
      });
    });

    ws.on('upgrade', () => {
      if (state === 'connecting') state = 'upgraded';
    });

    // A link can die without a close (a laptop sleeps, a NAT forgets): pings find out, within bounds.
    const pingEveryMs = options.pingEveryMs ?? 5000;
    let lastPong = Date.now();
    ws.on('pong', () => {
      lastPong = Date.now();
    });
    const pinger = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (Date.now() - lastPong > 2 * pingEveryMs || ws.bufferedAmount > STALLED_BYTES) {
        fail(new AppError(ErrorCode.network, `the connection stopped answering (no reply for ${Math.round((Date.now() - lastPong) / 1000)} s)`, { closeCode: 1006 }));
        return;
      }
      ws.ping();
    }, pingEveryMs);
    pinger.unref();

    ws.on('message', (data: WebSocketType.RawData, isBinary: boolean) => {
      if (state === 'ended') return;
      if (isBinary) return; // the service never sends binary frames (§3); ignore garbage
      const message = parseServerMessage(data.toString());
      switch (message.type) {
        case 'Begin':
          if (state !== 'upgraded' && state !== 'connecting') return;
          state = 'open';
          id = message.id;
          expiresAt = message.expiresAt;
          clearTimeout(beginTimer);
          options.signal?.removeEventListener('abort', onAbort);
          resolve(session);
          return;
        case 'Turn':
          if (state === 'open' || state === 'terminating') onEvent({ type: 'turn', turn: message });
          return;
        case 'Termination':
          if (state !== 'terminating') {
            // Not asked for (e.g. before an expiry, §5.7): the session is over, and whoever owns it must know.
            fail(new AppError(ErrorCode.server, 'the service ended the session', { closeCode: 1000 }));
            return;
          }
          termination = {
            terminated: true,
            audioDurationS: message.audioDurationS,
            sessionDurationS: message.sessionDurationS,
          };
          // Termination is the end of the session whatever close code follows (§11.8).
          finish();
          return;
        case 'Error':
          // The Error frame is authoritative; the close that follows is not reported twice (§8.2).
          fail(describeServerError(message.code, message.message));
          return;
        case 'Warning':
          if (message.message !== '') onEvent({ type: 'warning', message: message.message });
          return;
        default:
          return; // unknown types and malformed messages are ignored (§3.10, §8.3)
      }
    });

    ws.on('close', (code: number, reason: Buffer) => {
      if (state === 'ended') return;
      if (state === 'terminating' && code === 1000) {
        finish();
        return;
      }
      fail(describeServerError(code === 1005 ? undefined : code, reason.toString()));
    });

    /** Ends the session with an error: rejects open() before Begin, reports 'ended' after it. */
    function fail(error: AppError): void {
      if (state === 'ended') return;
      clearInterval(pinger);
      const wasOpen = state === 'open' || state === 'terminating';
      const hadSocket = state !== 'connecting';
      serverError ??= error;
      state = 'ended';
      clearTimeout(beginTimer);
      options.signal?.removeEventListener('abort', onAbort);
      if (hadSocket && ws.readyState === WebSocket.OPEN && error.closeCode === undefined) {
        // Our side gave up (timeout, abort) on an upgraded socket: the session may be billed, so end it.
        ws.send(TERMINATE);
      }
      closeSocket();
      if (wasOpen) {
        onEvent({ type: 'ended', error });
        onFinished?.();
      } else {
        reject(error);
      }
    }

    function finish(): void {
      if (state === 'ended') return;
      clearInterval(pinger);
      state = 'ended';
      closeSocket();
      onFinished?.();
    }

    function closeSocket(): void {
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      // Do not wait for the close handshake (up to 30 s in ws): end the TCP connection soon after.
      setTimeout(() => ws.terminate(), 1000).unref();
    }

    const session: Session = {
      get id() {
        return id;
      },
      get expiresAt() {
        return expiresAt;
      },
      sendAudio(frame: Buffer): void {
        if (state !== 'open' || ws.readyState !== WebSocket.OPEN) return;
        ws.send(frame, { binary: true });
      },
      forceEndpoint(): void {
        if (state === 'open' && ws.readyState === WebSocket.OPEN) ws.send(FORCE_ENDPOINT);
      },
      terminate(timeoutMs: number): Promise<TerminationResult> {
        if (state === 'ended') return Promise.resolve(ended());
        if (state === 'open') {
          state = 'terminating';
          ws.send(TERMINATE);
        }
        return new Promise((done) => {
          const timer = setTimeout(() => {
            finish();
          }, timeoutMs);
          onFinished = () => {
            clearTimeout(timer);
            done(ended());
          };
        });
      },
      async close(): Promise<void> {
        if (state === 'ended') return;
        if (state === 'open' && ws.readyState === WebSocket.OPEN) {
          state = 'terminating';
          await new Promise<void>((done) => {
            ws.send(TERMINATE, () => done());
            setTimeout(done, 300).unref();
          });
        }
        finish();
      },
    };

    function ended(): TerminationResult {
      const result: TerminationResult = termination ?? { terminated: false, audioDurationS: undefined, sessionDurationS: undefined };
      return serverError === undefined ? result : { ...result, error: serverError };
    }
  });
}

function networkError(err: Error): AppError {
  const code = (err as NodeJS.ErrnoException).code;
  const text = err.message;
  if (/handshake has timed out/i.test(text)) {
    return new AppError(ErrorCode.network, 'timed out connecting to the service', { hint: 'check the network and --api-host', cause: err });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new AppError(ErrorCode.network, 'could not resolve the service host', { hint: 'check the network connection and --api-host', cause: err });
  }
  if (code === 'ECONNREFUSED') {
    return new AppError(ErrorCode.network, 'the service refused the connection', { hint: 'check --api-host and that the service is reachable', cause: err });
  }
  if (typeof code === 'string' && /CERT|SSL|TLS/.test(code)) {
    return new AppError(ErrorCode.network, `the service's TLS certificate could not be verified (${code})`, {
      hint: 'a proxy or firewall may be intercepting TLS; live-transcribe never disables verification',
      cause: err,
    });
  }
  return new AppError(ErrorCode.network, `network error: ${text}`, { hint: 'check the network connection and try again', cause: err });
}

function readBody(res: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(done, timeoutMs);
    res.on('data', (chunk: Buffer) => {
      if (size < maxBytes) chunks.push(chunk.subarray(0, maxBytes - size));
      size += chunk.length;
    });
    res.on('end', done);
    res.on('error', done);
    res.on('close', done);
  });
}
