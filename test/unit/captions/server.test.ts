/**
 * The captions server on a real loopback socket: SSE framing, resume by Last-Event-ID, and a viewer that stops
 * reading is dropped once too far behind, while the others get everything.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { request } from 'node:http';
import { createFeed } from '../../../src/captions/feed.js';
import { MAX_BEHIND_BYTES, sseFrame, startCaptionsServer, type CaptionsServer } from '../../../src/captions/server.js';
import { waitUntil } from '../../support/wait.js';

let server: CaptionsServer | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** Reads an event stream until `until` holds for what arrived (past 1 MB, its last 64 KiB). */
function readStream(port: number, headers: Record<string, string>, until: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/events', headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        text += d;
        if (text.length > 1024 * 1024) text = text.slice(-64 * 1024);
        if (until(text)) {
          req.destroy();
          resolve(text);
        }
      });
      res.on('end', () => resolve(text));
      res.on('close', () => resolve(text));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('captions server', () => {
  it('frames: kept messages carry RUN.SEQ ids; text cannot add fields', () => {
    expect(sseFrame({ t: 'final', i: 0, text: 'a\n\ndata: x', startMs: 0, endMs: 1 }, 'ab12', 3)).toBe(
      'id: ab12.3\ndata: {"t":"final","i":0,"text":"a\\n\\ndata: x","startMs":0,"endMs":1,"s":3}\n\n',
    );
    expect(sseFrame({ t: 'partial', text: 'p' }, 'ab12')).toBe('data: {"t":"partial","text":"p"}\n\n');
  });

  it('a reconnecting viewer (Last-Event-ID) gets only what it missed', async () => {
    const feed = createFeed('ab12');
    server = await startCaptionsServer({ address: { host: '127.0.0.1', port: 0 }, token: undefined, feed });
    for (const [i, text] of ['One.', 'Two.', 'Three.'].entries())
      feed.add({
        type: 'turn',
        turn: { index: i, sessionId: 's', turnOrder: i, text, startMs: 0, endMs: 1, words: [], endOfTurnConfidence: 1, time: new Date() },
      });
    const all = await readStream(server.port, {}, (t) => t.includes('Three.'));
    expect(all.match(/"t":"final"/g)?.length).toBe(3);
    expect(all).toMatch(/^retry: 1000\ndata: \{"t":"run","run":"ab12"\}\n\n/);
    const missed = await readStream(server.port, { 'Last-Event-ID': 'ab12.2' }, (t) => t.includes('Three.'));
    expect(missed).not.toContain('One.');
    expect(missed).not.toContain('Two.');
    expect(missed).toContain('id: ab12.3\n');
  });

  it('drops a viewer that stops reading, and only that one', async () => {
    const feed = createFeed('ab12');
    const dropped: number[] = [];
    server = await startCaptionsServer({ address: { host: '127.0.0.1', port: 0 }, token: undefined, feed, onDropped: (b) => dropped.push(b) });
    const port = server.port;
    const stalled: Socket = connect(port, '127.0.0.1');
    stalled.on('error', () => {});
    await new Promise<void>((resolve) => stalled.once('connect', () => resolve()));
    stalled.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    stalled.pause();
    let connected = false;
    const healthy = readStream(port, {}, (t) => {
      connected = true;
      return t.includes('"i":999');
    });
    await waitUntil(() => connected, { timeoutMs: 5000, what: 'the healthy viewer to connect' });
    // 1000 turns of 16 KiB each: far more than the stalled connection and the kernel buffers take.
    const big = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 1000; i += 1) {
      const added = feed.add({
        type: 'turn',
        turn: { index: i, sessionId: 's', turnOrder: i, text: big, startMs: 0, endMs: 1, words: [], endOfTurnConfidence: 1, time: new Date() },
      });
      server.send(added!.message, added!.seq);
      // The healthy viewer reads in this same process: give it its turn.
      if (i % 2 === 0) await new Promise((r) => setTimeout(r, 0));
    }
    const text = await healthy;
    expect(text).toContain('"i":999');
    expect(dropped.length).toBe(1);
    expect(dropped[0]).toBeGreaterThan(MAX_BEHIND_BYTES);
    stalled.destroy();
  });

  it('HEAD of the stream answers at once, without becoming a viewer', async () => {
    server = await startCaptionsServer({ address: { host: '127.0.0.1', port: 0 }, token: undefined, feed: createFeed() });
    const port = server.port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/events', method: 'HEAD', headers: { Host: `127.0.0.1:${port}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
  });

  it('a port in use is an error that says so', async () => {
    server = await startCaptionsServer({ address: { host: '127.0.0.1', port: 0 }, token: undefined, feed: createFeed() });
    await expect(startCaptionsServer({ address: { host: '127.0.0.1', port: server.port }, token: undefined, feed: createFeed() })).rejects.toThrow(
      /the port is in use/,
    );
  });
});
