/**
 * The captions page's HTTP server (issue 20), on node:http: the page (GET /), its live updates (GET /events,
 * Server-Sent Events), the transcript so far (GET /transcript.txt|.srt|.vtt). Nothing else: 404 for other
 * paths, 405 for other methods. On loopback, a Host that is not a loopback name is refused (DNS rebinding);
 * on any other address, every request needs the token. A viewer that falls too far behind is dropped (its
 * page reconnects and catches up): a stalled viewer never delays the run.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AppError, ErrorCode } from '../core/errors.js';
import { formatCaptionsCannotBind, formatCaptionsPortInUse } from '../render/captions-messages.js';
import { formatHostPort, isLoopbackHost, type CaptionsAddress } from './address.js';
import type { Feed, KeptMessage, PageMessage } from './feed.js';
import { pageHtml, pagePolicy } from './page.js';
import { sameToken } from './token.js';

/** How far (bytes not yet taken by the viewer's connection) a viewer may fall behind the live text. */
export const MAX_BEHIND_BYTES = 256 * 1024;
export const MAX_VIEWERS = 200;
const HEARTBEAT_MS = 15_000;

export interface CaptionsServerOptions {
  address: CaptionsAddress;
  /** Required on every request when set (a non-loopback address). */
  token: string | undefined;
  feed: Feed;
  /** A viewer was dropped for falling this many bytes behind. */
  onDropped?: (bytes: number) => void;
}

export interface CaptionsServer {
  /** The port bound (the one asked for, or the free one port 0 found). */
  readonly port: number;
  /** Sends a page message to every viewer: kept ones with their sequence number. */
  send(message: PageMessage, seq?: number): void;
  /** Ends every viewer's stream and closes the server at once: it does not wait for viewers. */
  close(): void;
}

interface Viewer {
  res: ServerResponse;
  /** What the catch-up added to the connection's backlog, allowed on top of MAX_BEHIND_BYTES. */
  allowance: number;
}

const TRANSCRIPTS = { '/transcript.txt': 'text', '/transcript.srt': 'srt', '/transcript.vtt': 'vtt' } as const;
const TYPES = { text: 'text/plain; charset=utf-8', srt: 'application/x-subrip; charset=utf-8', vtt: 'text/vtt; charset=utf-8' } as const;
const PATHS = new Set(['/', '/events', ...Object.keys(TRANSCRIPTS)]);

const COMMON_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

export function sseFrame(message: PageMessage, runId: string, seq?: number): string {
  const data = JSON.stringify(seq === undefined ? message : { ...message, s: seq });
  return `${seq === undefined ? '' : `id: ${runId}.${seq}\n`}data: ${data}\n\n`;
}

function plain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extra });
  res.end(`${text}\n`);
}

/** The Host header's name without the port ('' when missing). */
function hostName(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  const bracketed = /^\[([^\]]*)\]/.exec(host);
  if (bracketed !== null) return bracketed[1] ?? '';
  return host.replace(/:\d*$/, '');
}

/** Why a request is refused before it is served (status, sentence, headers), or undefined to serve it. */
function refusal(
  req: IncomingMessage,
  url: URL,
  loopback: boolean,
  token: string | undefined,
): [number, string, Record<string, string>?] | undefined {
  if (loopback && !isLoopbackHost(hostName(req))) return [403, 'this page is served to this computer only: open it as 127.0.0.1 or localhost'];
  if (!PATHS.has(url.pathname)) return [404, 'not found: the captions are at /'];
  if (req.method !== 'GET' && req.method !== 'HEAD') return [405, 'only GET and HEAD are served', { Allow: 'GET, HEAD' }];
  if (token !== undefined && !sameToken(url.searchParams.get('token'), token)) {
    return [401, 'this page needs its token: open the whole address live-transcribe printed (captions: http://...?token=...)'];
  }
  return undefined;
}

/** GET /: the page, under a policy that lets only its own inlined script and style (their nonce) run. */
function servePage(res: ServerResponse): void {
  const nonce = randomBytes(16).toString('base64');
  res.writeHead(200, {
    ...COMMON_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': pagePolicy(nonce),
    'X-Frame-Options': 'DENY',
  });
  res.end(pageHtml(nonce));
}

/** GET /transcript.txt|.srt|.vtt: the transcript so far, as a download named after the run. */
function serveTranscript(res: ServerResponse, pathname: string, feed: Feed): void {
  const format = TRANSCRIPTS[pathname as keyof typeof TRANSCRIPTS];
  const ext = pathname.slice(pathname.lastIndexOf('.'));
  res.writeHead(200, {
    ...COMMON_HEADERS,
    'Content-Type': TYPES[format],
    'Content-Disposition': `attachment; filename="transcript-${feed.runId}${ext}"`,
  });
  res.end(feed.transcript(format));
}

/** The usage error for an address the server cannot listen on. */
function bindError(err: NodeJS.ErrnoException, address: CaptionsAddress): AppError {
  const where = formatHostPort(address);
  const reason =
    err.code === 'EADDRNOTAVAIL'
      ? 'the address is not one of this computer'
      : err.code === 'EACCES'
        ? 'not allowed (ports below 1024 need privileges)'
        : err.message;
  const r = err.code === 'EADDRINUSE' ? formatCaptionsPortInUse(where) : formatCaptionsCannotBind(where, reason);
  return new AppError(ErrorCode.usage, r.message, r.hint === undefined ? {} : { hint: r.hint });
}

export function startCaptionsServer(o: CaptionsServerOptions): Promise<CaptionsServer> {
  const viewers = new Set<Viewer>();
  const sockets = new Set<Socket>();
  const loopback = isLoopbackHost(o.address.host);
  const runId = o.feed.runId;

  const write = (v: Viewer, text: string): void => {
    v.res.write(text);
    const behind = v.res.writableLength;
    if (behind > MAX_BEHIND_BYTES + v.allowance) {
      viewers.delete(v);
      v.res.destroy();
      o.onDropped?.(behind);
    }
  };

  const openStream = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    if (viewers.size >= MAX_VIEWERS) return plain(res, 503, 'too many viewers of these captions; try again later', { 'Retry-After': '5' });
    const since = url.searchParams.get('since') ?? (typeof req.headers['last-event-id'] === 'string' ? req.headers['last-event-id'] : undefined);
    req.socket.setNoDelay(true);
    res.writeHead(200, {
      ...COMMON_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    if (req.method === 'HEAD') return void res.end();
    const catchUp = o.feed.catchUp(since ?? undefined);
    let text = `retry: 1000\n${sseFrame({ t: 'run', run: runId }, runId)}`;
    for (const k of catchUp.kept) text += sseFrame(k.message, runId, k.seq);
    for (const p of catchUp.partials) text += sseFrame(p, runId);
    const viewer: Viewer = { res, allowance: Buffer.byteLength(text) };
    viewers.add(viewer);
    res.on('close', () => viewers.delete(viewer));
    write(viewer, text);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://captions.invalid');
    } catch {
      return plain(res, 400, 'bad request');
    }
    const refused = refusal(req, url, loopback, o.token);
    if (refused !== undefined) return plain(res, ...refused);
    if (url.pathname === '/') return servePage(res);
    if (url.pathname === '/events') return openStream(req, res, url);
    serveTranscript(res, url.pathname, o.feed);
  };

  const server = createServer({ requestTimeout: 10_000, headersTimeout: 10_000 }, handle);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  const heartbeat = setInterval(() => {
    for (const v of viewers) write(v, ': still here\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      clearInterval(heartbeat);
      reject(bindError(err, o.address));
    });
    server.listen({ host: o.address.host, port: o.address.port, exclusive: true }, () => {
      const bound = server.address();
      const port = typeof bound === 'object' && bound !== null ? bound.port : o.address.port;
      resolve({
        port,
        send(message, seq) {
          const frame = sseFrame(message, runId, seq);
          for (const v of viewers) write(v, frame);
        },
        close() {
          clearInterval(heartbeat);
          for (const v of viewers) v.res.end();
          viewers.clear();
          server.close();
          // What is written is flushed to the viewers, but nothing waits for them: the process exits as it would.
          for (const s of sockets) {
            if (s.writableLength === 0) s.destroy();
            else s.end().unref();
          }
        },
      });
    });
  });
}

export type { KeptMessage };
