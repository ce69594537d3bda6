/**
 * The HTTP side of the double: the token endpoint `/v3/token` (docs/service.md#connecting), the tokens it mints
 * (reusable within their window, or single-use with `singleUseTokens`, docs/service.md#reconnecting-and-rollover), authentication of an
 * upgrade (docs/service.md#connecting), and the upgrade itself: HTTP rejections (refuseUpgrade, http-401/403) or a session.
 */
import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { concurrencyRefusal } from './faults.js';
import { DEFAULT_MAX_SESSION_SECONDS, resolveOptions } from './options.js';
import type { ResolvedOptions } from './options.js';
import type { SessionRecord } from './records.js';
import type { AuthResult, Refusal } from './session.js';

/** CHOICE: the text for a reused single-use token is not documented; worded like the other 1008s. */
export const TOKEN_USED_MESSAGE = 'Unauthorized Connection: Token has already been used';

interface MintedToken {
  expiresAt: number;
  maxSessionSeconds: number;
}

type TokenState = { state: 'valid'; maxSessionSeconds?: number } | { state: 'expired' } | { state: 'used' } | { state: 'unknown' };

export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** Reject an upgrade at HTTP level (before any 101). */
export function rejectUpgrade(socket: Duplex, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  try {
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
        'Content-Type: application/json\r\n' +
        `Content-Length: ${Buffer.byteLength(payload)}\r\n` +
        'Connection: close\r\n\r\n' +
        payload,
    );
  } catch {
    socket.destroy();
  }
}

/** FastAPI-style 422 item (observed on /v3/token, docs/service.md#connecting). */
function intQueryError(name: string, raw: string | null, min: number, max: number): Record<string, unknown> | undefined {
  if (raw === null) return { type: 'missing', loc: ['query', name], msg: 'Field required', input: null };
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
    return { type: 'int_parsing', loc: ['query', name], msg: 'Input should be a valid integer, unable to parse string as an integer', input: raw };
  }
  const n = Number(raw.trim());
  if (n < min) {
    return { type: 'greater_than_equal', loc: ['query', name], msg: `Input should be greater than or equal to ${min}`, input: raw, ctx: { ge: min } };
  }
  if (n > max) {
    return { type: 'less_than_equal', loc: ['query', name], msg: `Input should be less than or equal to ${max}`, input: raw, ctx: { le: max } };
  }
  return undefined;
}

/** API keys and temporary tokens: minting, redeeming, and authenticating an upgrade. */
export class TokenStore {
  private readonly minted = new Map<string, MintedToken>();
  private readonly used = new Set<string>();

  constructor(
    private readonly opts: ResolvedOptions,
    private readonly staticTokens: Set<string>,
    private readonly expiredTokens: Set<string>,
  ) {}

  /** GET /v3/token (docs/service.md#connecting). */
  onTokenRequest(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (req.method !== 'GET') {
      writeJson(res, 405, { detail: 'Method Not Allowed' });
      return;
    }
    const errors: Array<Record<string, unknown>> = [];
    const authorization = req.headers.authorization;
    // Observed: a missing header is a 422, not a 401.
    if (authorization === undefined) errors.push({ type: 'missing', loc: ['header', 'authorization'], msg: 'Field required', input: null });
    const expiresErr = intQueryError('expires_in_seconds', url.searchParams.get('expires_in_seconds'), 1, 600);
    if (expiresErr) errors.push(expiresErr);
    const maxRaw = url.searchParams.get('max_session_duration_seconds');
    const maxErr = maxRaw === null ? undefined : intQueryError('max_session_duration_seconds', maxRaw, 60, 10800);
    if (maxErr) errors.push(maxErr);
    if (errors.length > 0) {
      writeJson(res, 422, { detail: errors });
      return;
    }
    // The token endpoint accepts the raw key and also "Bearer <key>" (observed, docs/service.md#connecting).
    const key = (authorization ?? '').replace(/^Bearer\s+/i, '');
    if (!this.opts.apiKeys.includes(key)) {
      // CHOICE: the status for a wrong key is unknown (docs/service.md#connecting); 401 with the documented {error} body.
      writeJson(res, 401, { error: 'Invalid API key' });
      return;
    }
    const expiresIn = Number((url.searchParams.get('expires_in_seconds') ?? '').trim());
    const maxSession = maxRaw === null ? DEFAULT_MAX_SESSION_SECONDS : Number(maxRaw.trim());
    // Real tokens are opaque ~2.5 KB strings starting "AQI" (docs/service.md#connecting).
    const token = `AQI${randomBytes(1890).toString('base64url')}`;
    this.minted.set(token, { expiresAt: Date.now() + expiresIn * 1000, maxSessionSeconds: maxSession });
    writeJson(res, 200, { token, expires_in_seconds: expiresIn });
  }

  /** 'valid' (with the token's cap), 'expired', 'used' (single-use and redeemed before), or 'unknown'. */
  private checkToken(value: string): TokenState {
    const minted = this.minted.get(value);
    if (!this.staticTokens.has(value) && minted === undefined) return { state: this.expiredTokens.has(value) ? 'expired' : 'unknown' };
    if (minted !== undefined && Date.now() > minted.expiresAt) return { state: 'expired' };
    if (this.opts.singleUseTokens && this.used.has(value)) return { state: 'used' };
    this.used.add(value);
    return minted === undefined ? { state: 'valid' } : { state: 'valid', maxSessionSeconds: minted.maxSessionSeconds };
  }

  /** docs/service.md#connecting: raw key or token in Authorization, or ?token=. "Bearer …" is just an invalid key. */
  authenticate(req: IncomingMessage, url: URL): AuthResult {
    const header = req.headers.authorization;
    const queryToken = url.searchParams.get('token');
    if (header !== undefined && header !== '' && this.opts.apiKeys.includes(header)) return { ok: true };
    // CHOICE: ?token= takes temporary tokens only, not raw API keys.
    const states = [header, queryToken].filter((v): v is string => typeof v === 'string' && v !== '').map((v) => this.checkToken(v));
    const valid = states.find((t) => t.state === 'valid');
    if (valid?.state === 'valid') return { ok: true, maxSessionSeconds: valid.maxSessionSeconds };
    if (states.some((t) => t.state === 'expired')) return { ok: false, message: 'Unauthorized Connection: Signature has expired' };
    if (states.some((t) => t.state === 'used')) return { ok: false, message: TOKEN_USED_MESSAGE };
    if (states.length === 0) return { ok: false, message: 'Unauthorized Connection: Missing Authorization header' };
    return { ok: false, message: 'Unauthorized Connection: Invalid API key' };
  }
}

/** What an upgrade needs from the server. */
export interface UpgradeContext {
  opts: ResolvedOptions;
  tokens: TokenStore;
  wss: WebSocketServer;
  sessions: SessionRecord[];
  otherRequests: string[];
  startSession(ws: WebSocket, record: SessionRecord, opts: ResolvedOptions, auth: AuthResult, refusal: Refusal | undefined): void;
  notify(): void;
}

function newRecord(req: IncomingMessage, url: URL, authorized: boolean): SessionRecord {
  return {
    id: '',
    url: req.url ?? '',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams), // URLSearchParams decodes '+' and %20 (docs/service.md#connecting)
    headers: { ...req.headers },
    authorized,
    frames: [],
    texts: [],
    sentMessages: [],
    audioMs: 0,
    terminated: false,
    terminationSent: false,
    closed: false,
    openedAt: Date.now(),
  };
}

function rejectRecorded(record: SessionRecord, socket: Duplex, status: number, message: string, body: unknown): void {
  record.error = { code: status, message };
  record.closed = true;
  record.closedBy = 'server';
  record.closedAt = Date.now();
  rejectUpgrade(socket, status, body);
}

/** An upgrade request: 404 off /v3/ws, an HTTP rejection, or a session (every attempt on /v3/ws is recorded). */
export function handleUpgrade(ctx: UpgradeContext, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== '/v3/ws') {
    ctx.otherRequests.push(`upgrade ${req.url ?? ''} -> 404`);
    rejectUpgrade(socket, 404, { detail: 'Not Found' });
    return;
  }
  const auth = ctx.tokens.authenticate(req, url);
  const index = ctx.sessions.length;
  const opts = ctx.opts.perSession === undefined ? ctx.opts : resolveOptions({ ...ctx.opts.raw, ...ctx.opts.perSession(index) });
  const record = newRecord(req, url, auth.ok);
  ctx.sessions.push(record);
  if (opts.refuseUpgrade !== undefined) {
    rejectRecorded(record, socket, opts.refuseUpgrade, 'refused', opts.refuseUpgradeBody ?? { error: 'Service Unavailable' });
    ctx.notify();
    return;
  }
  if (!auth.ok && ctx.opts.authMode !== 'in-band') {
    // docs/service.md#errors-and-close-codes: pre-upgrade rejection, body {"error": "..."}.
    const status = ctx.opts.authMode === 'http-403' ? 403 : 401;
    rejectRecorded(record, socket, status, auth.message, { error: auth.message });
    return;
  }
  const refusal = concurrencyRefusal(ctx.opts, index);
  ctx.wss.handleUpgrade(req, socket, head, (ws) => {
    ctx.startSession(ws, record, opts, auth, refusal);
    ctx.notify();
  });
}
