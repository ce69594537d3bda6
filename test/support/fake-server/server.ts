/**
 * The double's server: one HTTP(S) listener on loopback for `/v3/token` and the `/v3/ws` upgrades, the
 * records of every session, and the test helpers (waitFor, sendTurn, close).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { waitUntil } from '../wait.js';
import { handleUpgrade, TokenStore, writeJson } from './http.js';
import type { UpgradeContext } from './http.js';
import { resolveOptions } from './options.js';
import type { FakeServerOptions, ResolvedOptions } from './options.js';
import type { LlmGatewayOptions } from './llm-gateway.js';
import type { FakeServer, SessionRecord } from './records.js';
import { Session } from './session.js';
import { LlmGateway } from './llm-gateway.js';
import { PrerecordedApi } from './prerecorded.js';

const DEFAULT_WAIT_MS = 10_000;

/** One line per session, for timeout diagnostics. */
function describeSession(s: SessionRecord, i: number): string {
  const sent = s.sentMessages.map((m) => {
    const o = m as Record<string, unknown>;
    if (o.type === 'Turn') return `Turn(${String(o.turn_order)},${o.end_of_turn === true ? 'final' : 'partial'},"${String(o.transcript)}")`;
    if (o.type === 'Error') return `Error(${String(o.error_code)})`;
    return String(o.type);
  });
  const texts = s.texts.map((t) => (typeof t === 'object' && t !== null ? String((t as Record<string, unknown>).type) : JSON.stringify(t)));
  return (
    `  #${i} ${s.url} authorized=${s.authorized} id=${s.id || '-'} frames=${s.frames.length} audioMs=${Math.round(s.audioMs)} ` +
    `texts=[${texts.join(',')}] sent=[${sent.join(',')}] terminated=${s.terminated} terminationSent=${s.terminationSent} ` +
    `closed=${s.closed} closeCode=${String(s.closeCode)} closedBy=${String(s.closedBy)}` +
    (s.error ? ` error=${s.error.code} "${s.error.message}"` : '')
  );
}

class FakeServerImpl {
  readonly sessions: SessionRecord[] = [];
  private readonly live: Session[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly http: HttpServer | HttpsServer;
  private readonly wss: WebSocketServer;
  private readonly tokens: TokenStore;
  /** Requests that were not sessions (404s etc.), for timeout diagnostics. */
  private readonly otherRequests: string[] = [];
  /** The LLM Gateway's endpoints on the same listener (llm-gateway.ts). */
  readonly llm: LlmGateway;
  /** The pre-recorded endpoints (/v2/*) on the same host. */
  readonly prerecorded: PrerecordedApi;
  port = 0;

  constructor(
    private readonly opts: ResolvedOptions,
    staticTokens: Set<string>,
    expiredTokens: Set<string>,
    llmOptions: LlmGatewayOptions = {},
  ) {
    this.tokens = new TokenStore(opts, staticTokens, expiredTokens);
    this.llm = new LlmGateway(llmOptions, opts.apiKeys, () => this.notify());
    this.prerecorded = new PrerecordedApi(
      opts.raw.prerecorded ?? {},
      opts.apiKeys,
      opts.recognizer,
      opts.script,
      opts.speakers,
      opts.speechThresholdDbfs,
      () => this.notify(),
    );
    // Accept whatever extensions the client offers, like a real server; the offer is in the record's headers.
    this.wss = new WebSocketServer({ noServer: true, perMessageDeflate: true });
    const onHttpRequest = (req: IncomingMessage, res: ServerResponse): void => {
      try {
        this.onRequest(req, res);
      } catch {
        try {
          writeJson(res, 500, { error: 'fake server error' });
        } catch {
          res.destroy();
        }
      }
    };
    this.http = opts.tls === undefined ? createServer(onHttpRequest) : createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, onHttpRequest);
    const ctx = this.upgradeContext();
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => undefined);
      try {
        handleUpgrade(ctx, req, socket, head);
      } catch {
        socket.destroy();
      }
      this.notify();
    });
  }

  private upgradeContext(): UpgradeContext {
    return {
      opts: this.opts,
      tokens: this.tokens,
      wss: this.wss,
      sessions: this.sessions,
      otherRequests: this.otherRequests,
      startSession: (ws, record, opts, auth, refusal) => {
        this.live.push(new Session(ws, record, opts, auth, () => this.notify(), refusal));
      },
      notify: () => this.notify(),
    };
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(0, '127.0.0.1', () => {
        this.port = (this.http.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/v3/token') {
      this.tokens.onTokenRequest(req, res, url);
      return;
    }
    if (this.llm.handles(url.pathname)) {
      this.llm.handle(req, res, url);
      return;
    }
    if (this.prerecorded.handle(req, res, url)) return;
    this.otherRequests.push(`${req.method ?? '?'} ${req.url ?? ''} -> ${url.pathname === '/v3/ws' ? 426 : 404}`);
    if (url.pathname === '/v3/ws') writeJson(res, 426, { detail: 'Upgrade Required' });
    else writeJson(res, 404, { detail: 'Not Found' });
    this.notify();
  }

  private describe(): string {
    const lines = this.sessions.map(describeSession);
    if (lines.length === 0) lines.push('  (no sessions)');
    if (this.otherRequests.length > 0) lines.push(`  other requests: ${this.otherRequests.join('; ')}`);
    return lines.join('\n');
  }

  async waitFor(pred: (s: SessionRecord[]) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    await waitUntil(() => pred(this.sessions), {
      timeoutMs,
      intervalMs: 1000, // a fallback: every event of the double wakes the wait
      what: () => `a fake-server condition. Sessions:\n${this.describe()}`,
      subscribe: (wake) => {
        this.waiters.add(wake);
        return () => this.waiters.delete(wake);
      },
    });
  }

  sendTurn(index: number, message: Record<string, unknown>): boolean {
    const record = this.sessions[index];
    const session = record === undefined ? undefined : this.live.find((s) => s.record === record);
    const sent = session?.sendScripted(message) ?? false;
    if (sent) this.notify();
    return sent;
  }

  async waitForSessionClosed(index = 0, timeoutMs = DEFAULT_WAIT_MS): Promise<SessionRecord> {
    try {
      await this.waitFor((s) => s[index]?.closed === true, timeoutMs);
    } catch (e) {
      throw new Error(`fake-server waitForSessionClosed(${index}): ${e instanceof Error ? e.message : String(e)}`);
    }
    const record = this.sessions[index];
    if (record === undefined) throw new Error(`fake-server: no session #${index}`);
    return record;
  }

  async close(): Promise<void> {
    for (const s of this.live) s.shutdown();
    this.waiters.clear();
    await new Promise<void>((resolve) => {
      this.wss.close(() => resolve());
    });
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }
}

export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const impl = new FakeServerImpl(resolveOptions(options), new Set(options.tokens ?? []), new Set(options.expiredTokens ?? []), options.llm);
  await impl.listen();
  return {
    url: `${options.tls === undefined ? 'ws' : 'wss'}://127.0.0.1:${impl.port}`,
    port: impl.port,
    sessions: impl.sessions,
    prerecorded: impl.prerecorded.records,
    waitFor: (pred, timeoutMs) => impl.waitFor(pred, timeoutMs),
    waitForSessionClosed: (index, timeoutMs) => impl.waitForSessionClosed(index, timeoutMs),
    sendTurn: (index, message) => impl.sendTurn(index, message),
    llmRequests: impl.llm.requests,
    close: () => impl.close(),
  };
}
