/**
 * One Universal-Streaming session over one WebSocket: open (resolves on Begin, rejects on anything else),
 * send audio, terminate (Terminate -> Termination, bounded), close. Everything else is reported through
 * `onEvent`; nothing here writes to the console. The caller owns the session and must call terminate()
 * or close(); both are idempotent. The steps, each bounded: handshake (TCP, TLS, upgrade), waiting for
 * Begin, streaming, terminating (Terminate -> Termination), closed. The API key travels only in the
 * Authorization header.
 */
import { createRequire } from 'node:module';
import type WebSocketType from 'ws';
import type { Agent, ClientRequest, IncomingMessage } from 'node:http';
import type { Auth, StreamingParams } from '../core/types.js';
import { DEFAULT_CONNECT_TIMEOUT_S } from '../core/defaults.js';
import { AppError, ErrorCode } from '../core/errors.js';
import {
  API_VERSION,
  buildUrl,
  describeHttpRejection,
  describeServerError,
  parseServerMessage,
  type ServerMessage,
  type SpeakerRevisionItem,
  type TurnMessage,
} from './protocol.js';
import { beginModelMismatch } from './models.js';
import { describeNetworkError, forCredential } from './network-errors.js';

export interface SessionOptions {
  endpoint: string;
  auth: Auth;
  params: StreamingParams;
  userAgent: string;
  /** Bound on TCP + TLS + HTTP upgrade (default DEFAULT_CONNECT_TIMEOUT_S). */
  handshakeTimeoutMs?: number;
  /** Bound on upgrade -> Begin (the live service takes ~1.2 s; default DEFAULT_CONNECT_TIMEOUT_S). */
  beginTimeoutMs?: number;
  /** The HTTP agent for the upgrade request (a proxy's, for example); Node's global agent when unset. */
  agent?: Agent;
  onEvent: (event: SessionEvent) => void;
  /** Aborting before Begin rejects open (and terminates the session if the socket was already upgraded). */
  signal?: AbortSignal;
  /** A ping this often; no pong for twice as long means a dead link (default 5000). */
  pingEveryMs?: number;
}

export type SessionEvent =
  | { type: 'turn'; turn: TurnMessage }
  /** A Warning frame of the service, or (`client`) the client's own about the session (a model mismatch). */
  | { type: 'warning'; message: string; client?: true }
  /** Speakers of earlier turns settled or changed (docs/service.md#turns). */
  | { type: 'speaker-revision'; revisions: SpeakerRevisionItem[] }
  /** The session ended without our Terminate having completed it: an Error frame, a close, a network failure. */
  | { type: 'ended'; error: AppError };

export interface TerminationResult {
  /** Termination arrived within the bound. */
  terminated: boolean;
  audioDurationS: number | undefined;
  sessionDurationS: number | undefined;
  /** Set when the session had already ended with an error before Terminate could complete. */
  error?: AppError;
  /**
   * Stopped during an outage (no live session): the audio held for the next session, never transcribed, in
   * ms (issue 19.8). Set by the connection, not by a session.
   */
  untranscribedMs?: number;
}

export interface Session {
  readonly id: string;
  readonly expiresAt: number | undefined;
  /** Sends one binary audio frame; silently dropped once the session is ending. */
  sendAudio(frame: Buffer): void;
  /** Asks the service to end the current turn now (ForceEndpoint, docs/service.md#client-messages). */
  forceEndpoint(): void;
  /** Sends Terminate and waits up to timeoutMs for Termination, then closes. */
  terminate(timeoutMs: number): Promise<TerminationResult>;
  /** Sends Terminate if the session is still open (billing), then closes without waiting. */
  close(): Promise<void>;
}

/** More than this many bytes waiting to be sent (about 30 s of 16 kHz audio) means the link is dead. */
/** How long an abort during the handshake waits for the upgrade, to send Terminate on it. */
const ABORT_DURING_HANDSHAKE_MS = 1000;
const STALLED_BYTES = 1_000_000;
// Loaded as CommonJS: Node 20's ESM wrapper around ws costs ~20 ms of start-up and ~5 MB (bench/).
const WebSocket = createRequire(import.meta.url)('ws') as typeof WebSocketType;
const TERMINATE = JSON.stringify({ type: 'Terminate' });
const FORCE_ENDPOINT = JSON.stringify({ type: 'ForceEndpoint' });
const DEFAULT_TIMEOUT_MS = DEFAULT_CONNECT_TIMEOUT_S * 1000;
/**
 * The WebSocket handshake (TCP, TLS, the HTTP upgrade) gets at most this long, within --connect-timeout:
 * the service answers it in well under a second (Begin then takes ~1.2 s). Issue 19.8: a host that accepts
 * TCP and never answers took 3 x 15 s to fail.
 */
export const HANDSHAKE_TIMEOUT_MS = 5000;
/** Bounds on reading a refused upgrade's body, on sending Terminate from close(), on the close handshake. */
const REJECTION_BODY_BYTES = 4096;
const REJECTION_BODY_MS = 2000;
const CLOSE_SEND_MS = 300;
const CLOSE_HANDSHAKE_MS = 1000;

/** The steps of a session, in order; `closed` is final. */
type Step = 'handshake' | 'waiting-for-begin' | 'streaming' | 'terminating' | 'closed';

/** Opens one session: resolves on Begin; rejects on an error, an early close, an HTTP rejection, a timeout or an abort. */
export function openSession(options: SessionOptions): Promise<Session> {
  return new Promise<Session>((resolve, reject) => {
    new SessionSocket(options, resolve, reject).connect();
  });
}

/** The request headers: the key (if any) goes here and nowhere else; a token goes in the URL (docs/service.md#connecting). */
function requestHeaders(options: SessionOptions): Record<string, string> {
  const headers: Record<string, string> = { 'User-Agent': options.userAgent, 'AssemblyAI-Version': API_VERSION };
  if (options.auth.kind === 'key') headers.Authorization = options.auth.apiKey;
  return headers;
}

class SessionSocket implements Session {
  private step: Step = 'handshake';
  private ws!: WebSocketType;
  private serverError: AppError | undefined;
  private termination: TerminationResult | undefined;
  private onFinished: (() => void) | undefined;
  private beginTimer: NodeJS.Timeout | undefined;
  private pinger: NodeJS.Timeout | undefined;
  private sessionId = '';
  private expires: number | undefined;
  private abortTimer: NodeJS.Timeout | undefined;
  /**
   * An abort (Ctrl+C) during the handshake: the service may already have upgraded the socket and opened a
   * billed session, so the upgrade is awaited (briefly) to send Terminate on it, rather than dropping the TCP
   * connection under a session the service still counts as open.
   */
  private readonly onAbort = (): void => {
    const cancelled = new AppError(ErrorCode.network, 'connection cancelled');
    if (this.step !== 'handshake') return this.fail(cancelled);
    this.abortTimer ??= setTimeout(() => this.fail(cancelled), ABORT_DURING_HANDSHAKE_MS);
  };

  constructor(
    private readonly options: SessionOptions,
    private readonly resolve: (session: Session) => void,
    private readonly reject: (error: AppError) => void,
  ) {}

  get id(): string {
    return this.sessionId;
  }

  get expiresAt(): number | undefined {
    return this.expires;
  }

  /** Step 1, the handshake: bounded by ws's handshakeTimeout; then waiting for Begin, bounded by beginTimer. */
  connect(): void {
    const o = this.options;
    this.ws = new WebSocket(buildUrl(o.endpoint, o.params, o.auth), {
      headers: requestHeaders(o),
      perMessageDeflate: false,
      handshakeTimeout: this.handshakeTimeoutMs(),
      followRedirects: false,
      // Issue 19.8: a bound on one message (a 90 MiB Turn took 614 MB of memory); a 100,000-word Turn is ~10 MB.
      maxPayload: MAX_MESSAGE_BYTES,
      ...(o.agent === undefined ? {} : { agent: o.agent }),
    });
    const ws = this.ws;
    // A permanent listener: ws emits 'error' after aborted handshakes too, and an unheard one would crash.
    ws.on('error', (err: Error) =>
      this.fail(
        err instanceof AppError
          ? err
          : describeNetworkError(err, o.endpoint, {
              viaProxy: o.agent !== undefined,
              connected: this.step !== 'handshake',
              handshakeMs: this.handshakeTimeoutMs(),
            }),
      ),
    );
    ws.on('unexpected-response', (req: ClientRequest, res: IncomingMessage) => this.rejected(req, res));
    ws.on('upgrade', () => {
      if (this.step === 'handshake') this.step = 'waiting-for-begin';
    });
    ws.on('open', () => {
      if (this.abortTimer !== undefined) this.onAbort();
    });
    ws.on('message', (data: WebSocketType.RawData, isBinary: boolean) => {
      // The service never sends binary frames (docs/service.md#other-messages); ignore garbage.
      if (this.step !== 'closed' && !isBinary) this.onMessage(parseServerMessage(data.toString()));
    });
    ws.on('close', (code: number, reason: Buffer) => this.onClose(code, reason.toString()));
    const beginTimeoutMs = o.beginTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.beginTimer = setTimeout(() => {
      this.fail(
        new AppError(ErrorCode.timeout, `the service did not start the session within ${Math.round(beginTimeoutMs / 1000)} s`, {
          hint: 'check the network and --api-host; the service may be overloaded',
        }),
      );
    }, beginTimeoutMs);
    o.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (o.signal?.aborted === true) queueMicrotask(this.onAbort);
    this.startPinger(o.pingEveryMs ?? 5000);
  }

  private handshakeTimeoutMs(): number {
    return Math.min(this.options.handshakeTimeoutMs ?? DEFAULT_TIMEOUT_MS, HANDSHAKE_TIMEOUT_MS);
  }

  /** A link can die without a close (a laptop sleeps, a NAT forgets): pings find out, within bounds. */
  private startPinger(everyMs: number): void {
    let lastPong = Date.now();
    this.ws.on('pong', () => {
      lastPong = Date.now();
    });
    this.pinger = setInterval(() => {
      if (this.ws.readyState !== WebSocket.OPEN) return;
      if (Date.now() - lastPong > 2 * everyMs || this.ws.bufferedAmount > STALLED_BYTES) {
        this.fail(
          new AppError(ErrorCode.network, `the connection stopped answering (no reply for ${Math.round((Date.now() - lastPong) / 1000)} s)`, {
            closeCode: 1006,
          }),
        );
        return;
      }
      this.ws.ping();
    }, everyMs);
    this.pinger.unref();
  }

  private rejected(req: ClientRequest, res: IncomingMessage): void {
    void readBody(res, REJECTION_BODY_BYTES, REJECTION_BODY_MS).then((body) => {
      this.fail(describeHttpRejection(res.statusCode ?? 0, body));
      req.destroy();
    });
  }

  private onMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'Begin':
        return this.begun(message.id, message.expiresAt, message.model);
      case 'Turn':
        if (this.step === 'streaming' || this.step === 'terminating') this.options.onEvent({ type: 'turn', turn: message });
        return;
      case 'Termination':
        // Not asked for (e.g. before an expiry, docs/service.md#terminate-and-termination): the session is over, and whoever owns it must know.
        if (this.step !== 'terminating') return this.fail(new AppError(ErrorCode.server, 'the service ended the session', { closeCode: 1000 }));
        this.termination = { terminated: true, audioDurationS: message.audioDurationS, sessionDurationS: message.sessionDurationS };
        // Termination is the end of the session whatever close code follows (docs/service.md#terminate-and-termination).
        return this.finish();
      case 'SpeakerRevision':
        if (this.step === 'streaming' || this.step === 'terminating')
          this.options.onEvent({ type: 'speaker-revision', revisions: message.revisions });
        return;
      case 'Error':
        // The Error frame is authoritative; the close that follows is not reported twice (docs/service.md#errors-and-close-codes).
        return this.fail(describeServerError(message.code, message.message, this.options.params.speechModel));
      case 'Warning':
        if (message.message !== '') this.options.onEvent({ type: 'warning', message: message.message });
        return;
      default:
        // SpeechStarted, Silence, Heartbeat: nothing the client shows (docs/service.md#other-messages); unknown types and
        // malformed messages are ignored too (docs/service.md#other-messages).
        return;
    }
  }

  /** Step 3, streaming: open() resolves. */
  private begun(id: string, expiresAt: number | undefined, model: string | undefined): void {
    if (this.step !== 'waiting-for-begin' && this.step !== 'handshake') return;
    this.step = 'streaming';
    this.sessionId = id;
    this.expires = expiresAt;
    this.stopWaiting();
    const mismatch = beginModelMismatch(this.options.params.speechModel, model);
    if (mismatch !== undefined) this.options.onEvent({ type: 'warning', message: mismatch, client: true });
    this.resolve(this);
  }

  private onClose(code: number, reason: string): void {
    if (this.step === 'closed') return;
    if (this.step === 'terminating' && code === 1000) return this.finish();
    this.fail(describeServerError(code === 1005 ? undefined : code, reason));
  }

  private stopWaiting(): void {
    clearTimeout(this.beginTimer);
    clearTimeout(this.abortTimer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
  }

  /** Ends the session with an error: rejects open() before Begin, reports 'ended' after it. */
  private fail(given: AppError): void {
    if (this.step === 'closed') return;
    const error = forCredential(given, this.options.auth.kind); // issue 24.8: a refused token is named as one
    const wasOpen = this.step === 'streaming' || this.step === 'terminating';
    const hadSocket = this.step !== 'handshake';
    this.serverError ??= error;
    this.step = 'closed';
    clearInterval(this.pinger);
    this.stopWaiting();
    if (hadSocket && this.ws.readyState === WebSocket.OPEN && error.closeCode === undefined) {
      // Our side gave up (timeout, abort) on an upgraded socket: the session may be billed, so end it.
      this.ws.send(TERMINATE);
    }
    this.closeSocket();
    if (wasOpen) {
      this.options.onEvent({ type: 'ended', error });
      this.onFinished?.();
    } else {
      this.reject(error);
    }
  }

  /** Step 5, closed: after Termination, a normal close, or the terminate bound. */
  private finish(): void {
    if (this.step === 'closed') return;
    this.step = 'closed';
    clearInterval(this.pinger);
    this.stopWaiting();
    this.closeSocket();
    this.onFinished?.();
  }

  private closeSocket(): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
    else if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    // Do not wait for the close handshake (up to 30 s in ws): end the TCP connection soon after.
    setTimeout(() => this.ws.terminate(), CLOSE_HANDSHAKE_MS).unref();
  }

  private ended(): TerminationResult {
    const result: TerminationResult = this.termination ?? { terminated: false, audioDurationS: undefined, sessionDurationS: undefined };
    return this.serverError === undefined ? result : { ...result, error: this.serverError };
  }

  sendAudio(frame: Buffer): void {
    if (this.step === 'streaming' && this.ws.readyState === WebSocket.OPEN) this.ws.send(frame, { binary: true });
  }

  forceEndpoint(): void {
    if (this.step === 'streaming' && this.ws.readyState === WebSocket.OPEN) this.ws.send(FORCE_ENDPOINT);
  }

  /** Step 4, terminating: Terminate sent, Termination awaited for at most timeoutMs. */
  terminate(timeoutMs: number): Promise<TerminationResult> {
    if (this.step === 'closed') return Promise.resolve(this.ended());
    if (this.step === 'streaming') {
      this.step = 'terminating';
      this.ws.send(TERMINATE);
    }
    return new Promise((done) => {
      const timer = setTimeout(() => this.finish(), timeoutMs);
      const previous = this.onFinished;
      this.onFinished = () => {
        clearTimeout(timer);
        previous?.();
        done(this.ended());
      };
    });
  }

  async close(): Promise<void> {
    if (this.step === 'closed') return;
    if (this.step === 'streaming' && this.ws.readyState === WebSocket.OPEN) {
      this.step = 'terminating';
      await new Promise<void>((done) => {
        this.ws.send(TERMINATE, () => done());
        setTimeout(done, CLOSE_SEND_MS).unref();
      });
    }
    this.finish();
  }
}

/** The largest message accepted from the service. */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

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
