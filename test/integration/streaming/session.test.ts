/**
 * openSession against a real ws server on 127.0.0.1 port 0: each test scripts what the server does with
 * the one connection it gets (or with the HTTP upgrade request itself).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, Agent, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { openSession, type SessionEvent, type SessionOptions } from '../../../src/streaming/session.js';
import { AppError, ErrorCode } from '../../../src/core/errors.js';

const KEY = 'not-a-key-session-test';
const params = { sampleRateHz: 16000, encoding: 'pcm_s16le' as const, formatTurns: true, speechModel: 'universal-streaming-english' };
const BEGIN = JSON.stringify({ type: 'Begin', id: 'sess-1', expires_at: 1_900_000_000 });
const WAIT_MS = 5000;

interface Peer {
  ws: WebSocket;
  request: IncomingMessage;
  /** Text messages received so far. */
  texts: string[];
  binaries: Buffer[];
  closed: Promise<void>;
}

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  servers = [];
});

/** Resolves when `check` holds, rejects after WAIT_MS. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * A server whose upgrade requests go to `onUpgrade` (default: accept); each accepted connection is handed to
 * `onPeer`. Returns its ws:// endpoint and the peers accepted.
 */
async function serve(onPeer: (peer: Peer) => void, onUpgrade?: (req: IncomingMessage, socket: Duplex) => boolean) {
  const wss = new WebSocketServer({ noServer: true });
  const peers: Peer[] = [];
  const server = createServer();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (onUpgrade?.(req, socket) === true) return;
    wss.handleUpgrade(req, socket, head, (ws) => {
      const peer: Peer = { ws, request: req, texts: [], binaries: [], closed: new Promise((r) => ws.on('close', () => r())) };
      ws.on('message', (data: Buffer, isBinary: boolean) => (isBinary ? peer.binaries.push(data) : peer.texts.push(data.toString())));
      peers.push(peer);
      onPeer(peer);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `ws://127.0.0.1:${port}/v3/ws`, peers };
}

function options(endpoint: string, events: SessionEvent[], more: Partial<SessionOptions> = {}): SessionOptions {
  return { endpoint, auth: { kind: 'key', apiKey: KEY }, params, userAgent: 'live-transcribe/test', onEvent: (e) => events.push(e), ...more };
}

const rejection = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => new Error('open resolved'),
    (e: unknown) => e,
  );

describe('openSession', () => {
  it('resolves on Begin; the key only in the Authorization header; audio, turns and Termination', async () => {
    const { endpoint, peers } = await serve((peer) => {
      peer.ws.send(BEGIN);
      peer.ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary) {
          peer.ws.send(
            JSON.stringify({ type: 'Turn', turn_order: 0, end_of_turn: false, transcript: 'hi', words: [{ text: 'hi', start: 0, end: 50 }] }),
          );
        } else if (JSON.parse(data.toString()).type === 'Terminate') {
          peer.ws.send(JSON.stringify({ type: 'Termination', audio_duration_seconds: 1, session_duration_seconds: 2 }));
          peer.ws.close(1000);
        }
      });
    });
    const events: SessionEvent[] = [];
    const session = await openSession(options(endpoint, events));
    expect([session.id, session.expiresAt]).toEqual(['sess-1', 1_900_000_000]);
    const request = peers[0]!.request;
    expect(request.headers.authorization).toBe(KEY);
    expect(request.headers['assemblyai-version']).toBe('2025-05-12');
    expect(request.url).not.toContain(KEY);
    expect(new URL(request.url!, 'http://x').searchParams.get('sample_rate')).toBe('16000');
    session.sendAudio(Buffer.alloc(1600));
    await until(() => events.length > 0, 'a turn');
    expect(events[0]).toMatchObject({ type: 'turn', turn: { transcript: 'hi' } });
    const result = await session.terminate(WAIT_MS);
    expect(result).toEqual({ terminated: true, audioDurationS: 1, sessionDurationS: 2 });
    expect(peers[0]!.binaries).toHaveLength(1);
    expect(peers[0]!.texts).toEqual(['{"type":"Terminate"}']);
    // Terminating twice is answered from what is known.
    expect(await session.terminate(WAIT_MS)).toEqual(result);
  });

  it('rejects on an Error frame before Begin, without the key in the error', async () => {
    const { endpoint } = await serve((peer) => {
      peer.ws.send(JSON.stringify({ type: 'Error', error_code: 1008, error: 'Unauthorized Connection: Invalid API key' }));
      peer.ws.close(1008, 'See Error message for details');
    });
    const error = await rejection(openSession(options(endpoint, [])));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: ErrorCode.auth,
      closeCode: 1008,
      message: 'the service rejected the credentials (Unauthorized Connection: Invalid API key)',
    });
    expect(`${(error as AppError).message} ${(error as AppError).hint}`).not.toContain(KEY);
  });

  it('rejects on a close before Begin', async () => {
    const { endpoint } = await serve((peer) => peer.ws.close(3006, "Invalid 'sample_rate'"));
    expect(await rejection(openSession(options(endpoint, [])))).toMatchObject({
      closeCode: 3006,
      message: "the service refused the request (Invalid 'sample_rate')",
    });
  });

  it.each([
    [401, '{"error":"Invalid API key"}', ErrorCode.auth, 'the service rejected the credentials (HTTP 401: Invalid API key)'],
    [403, 'blocked', ErrorCode.auth, 'access forbidden (HTTP 403: blocked)'],
    [503, 'down', ErrorCode.server, 'the service refused the connection (HTTP 503: down)'],
  ])('rejects on an HTTP %i at the upgrade', async (status, body, code, message) => {
    const { endpoint, peers } = await serve(
      () => {},
      (_req, socket) => {
        socket.end(
          `HTTP/1.1 ${status} No\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
        return true;
      },
    );
    const error = await rejection(openSession(options(endpoint, [])));
    expect(error).toMatchObject({ code, httpStatus: status, message });
    expect((error as AppError).message).not.toContain(KEY);
    expect(peers).toHaveLength(0);
  });

  it('rejects when Begin does not come in time, and sends Terminate (the session may be billed)', async () => {
    const { endpoint, peers } = await serve(() => {});
    const error = await rejection(openSession(options(endpoint, [], { beginTimeoutMs: 1000 })));
    expect(error).toMatchObject({ code: ErrorCode.timeout, message: 'the service did not start the session within 1 s' });
    await until(() => peers[0]?.texts.length === 1, 'Terminate');
    expect(peers[0]!.texts).toEqual(['{"type":"Terminate"}']);
    await peers[0]!.closed;
  });

  it('rejects when aborted before Begin', async () => {
    const { endpoint, peers } = await serve(() => {});
    const abort = new AbortController();
    const opening = rejection(openSession(options(endpoint, [], { signal: abort.signal })));
    await until(() => peers.length === 1, 'the connection');
    abort.abort();
    expect(await opening).toMatchObject({ code: ErrorCode.network, message: 'connection cancelled' });
    await peers[0]!.closed;
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { endpoint } = await serve(() => {});
    const abort = new AbortController();
    abort.abort();
    expect(await rejection(openSession(options(endpoint, [], { signal: abort.signal })))).toMatchObject({ message: 'connection cancelled' });
  });

  it('reports an Error after Begin as ended, once, and close() after it does nothing', async () => {
    const { endpoint, peers } = await serve((peer) => peer.ws.send(BEGIN));
    const events: SessionEvent[] = [];
    const session = await openSession(options(endpoint, events));
    peers[0]!.ws.send(JSON.stringify({ type: 'Error', error_code: 3005, error: 'Session Cancelled: An error occurred' }));
    peers[0]!.ws.close(3005);
    await until(() => events.length > 0, 'ended');
    await peers[0]!.closed;
    expect(events).toEqual([
      {
        type: 'ended',
        error: expect.objectContaining({ closeCode: 3005, message: 'the service cancelled the session (Session Cancelled: An error occurred)' }),
      },
    ]);
    await session.close();
    expect(events).toHaveLength(1);
    expect(await session.terminate(100)).toMatchObject({ terminated: false, error: { closeCode: 3005 } });
  });

  it('close() is idempotent: one Terminate, then the socket closes', async () => {
    const { endpoint, peers } = await serve((peer) => peer.ws.send(BEGIN));
    const session = await openSession(options(endpoint, []));
    await Promise.all([session.close(), session.close()]);
    await session.close();
    await peers[0]!.closed;
    expect(peers[0]!.texts).toEqual(['{"type":"Terminate"}']);
    session.sendAudio(Buffer.alloc(10));
    expect(peers[0]!.binaries).toHaveLength(0);
  });

  it('an unasked Termination ends the session', async () => {
    const { endpoint, peers } = await serve((peer) => peer.ws.send(BEGIN));
    const events: SessionEvent[] = [];
    await openSession(options(endpoint, events));
    peers[0]!.ws.send(JSON.stringify({ type: 'Termination' }));
    await until(() => events.length > 0, 'ended');
    expect(events[0]).toMatchObject({ type: 'ended', error: { closeCode: 1000, message: 'the service ended the session' } });
  });

  it('connects through the agent it is given', async () => {
    const { endpoint } = await serve((peer) => peer.ws.send(BEGIN));
    const sockets: Socket[] = [];
    const agent = new Agent();
    const create = agent.createConnection.bind(agent);
    agent.createConnection = ((...args: Parameters<typeof create>) => {
      const socket = create(...args) as Socket;
      sockets.push(socket);
      return socket;
    }) as typeof agent.createConnection;
    const session = await openSession(options(endpoint, [], { agent }));
    expect(sockets).toHaveLength(1);
    await session.close();
    agent.destroy();
  });
});
