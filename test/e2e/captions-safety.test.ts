/**
 * Issue 20: the captions server is safe by default. On loopback, a Host that is not a loopback name is refused
 * (DNS rebinding); on any other address, no page and no transcript without the token (kept, the same from run
 * to run); only the documented paths and methods; a port in use fails before any session; a stalled viewer
 * does not hold up the run. Requests go to 127.0.0.1 only, also when the server listens on every address.
 */
import { describe, expect, it } from 'vitest';
import { readFile, stat } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { request } from 'node:http';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { wavDurationMs } from '../support/audio.js';
import { keyEnv, runCli, TEST_KEY } from '../support/cli.js';
import { closeAfterEach, makeSpeechFixtures, useTempDir } from '../support/e2e-files.js';
import { startCaptionsRun, type CaptionsRun } from '../support/captions-run.js';

let server: FakeServer | undefined;
const runs: CaptionsRun[] = [];
const { f } = useTempDir('lt-captions-safety-', (t) => makeSpeechFixtures(t, { 'hello.wav': 'hello world' }));
closeAfterEach(() => {
  const open = [...runs.splice(0), server];
  server = undefined;
  return open;
});

const env = (): Record<string, string> => keyEnv({ XDG_STATE_HOME: f('state') });

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request to 127.0.0.1:port; `stream`: read only until the first message of an event stream. */
function get(port: number, pathAndQuery: string, o: { host?: string; method?: string; stream?: boolean } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: pathAndQuery, method: o.method ?? 'GET', headers: { Host: o.host ?? `127.0.0.1:${port}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
          if (o.stream === true && body.includes('\n\n')) {
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
            req.destroy();
          }
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('no answer')));
    req.end();
  });
}

async function startRun(address: string, args: string[] = []): Promise<{ run: CaptionsRun; port: number }> {
  server = await startFakeServer({ script: ['hello world'] });
  const run = await startCaptionsRun(['--api-host', server.url, '-i', '-', '--captions', address, ...args], env());
  runs.push(run);
  return { run, port: Number(new URL(run.url).port) };
}

describe('captions safety', () => {
  it('on every address: no page, events or transcript without the token; the token is kept across runs', async () => {
    const { run, port } = await startRun('0.0.0.0:0');
    const url = new URL(run.url);
    const token = url.searchParams.get('token') ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(token).not.toContain(TEST_KEY);
    for (const p of ['/', '/events', '/transcript.txt', '/transcript.srt', '/transcript.vtt', '/?token=wrong', `/?token=${token.slice(0, -1)}`]) {
      const reply = await get(port, p);
      expect(reply.status, p).toBe(401);
      expect(reply.body).not.toContain('<script');
      expect(reply.body).toMatch(/token/);
    }
    const page = await get(port, `/?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script nonce=');
    const events = await get(port, `/events?token=${token}`, { stream: true });
    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    // The API key never reaches the page, its data or its address.
    for (const text of [page.body, events.body, JSON.stringify(page.headers), run.url]) expect(text).not.toContain(TEST_KEY);
    // Any Host is fine off loopback (a phone uses the computer's address): the token is the guard.
    expect((await get(port, `/?token=${token}`, { host: 'laptop.lan:1234' })).status).toBe(200);
    // Kept with the user's state, readable by the user only, the same on the next run.
    const file = f('state/live-transcribe/captions-token');
    expect((await readFile(file, 'utf8')).trim()).toBe(token);
    expect((await stat(file)).mode & 0o077).toBe(0);
    run.write(await readFile(f('hello.wav')));
    run.end();
    expect(await run.exit()).toBe(0);
    const again = await startRun('0.0.0.0:0');
    expect(new URL(again.run.url).searchParams.get('token')).toBe(token);
    again.run.write(await readFile(f('hello.wav')));
    again.run.end();
    expect(await again.run.exit()).toBe(0);
  });

  it('on loopback: a Host that is not a loopback name is refused; only documented paths and methods', async () => {
    // With --quiet too, the one line that gives the address is printed.
    const { run, port } = await startRun('127.0.0.1:0', ['--quiet']);
    expect(run.url).toBe(`http://127.0.0.1:${port}/`);
    expect(run.stderr()).toBe(`captions: http://127.0.0.1:${port}/\n`);
    for (const host of ['evil.example', `evil.example:${port}`, 'attacker.localhost.evil.com', '127.0.0.1.evil.example']) {
      const reply = await get(port, '/', { host });
      expect(reply.status, host).toBe(403);
      expect(reply.body).not.toContain('<script');
    }
    expect((await get(port, '/events', { host: `evil.example:${port}` })).status).toBe(403);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) expect((await get(port, '/', { host })).status, host).toBe(200);
    const page = await get(port, '/');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/default-src 'none'/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(page.body).toContain(`<script nonce="${nonce}">`);
    expect(page.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await get(port, '/admin')).status).toBe(404);
    expect((await get(port, '/../etc/passwd')).status).toBe(404);
    expect((await get(port, '/', { method: 'POST' })).status).toBe(405);
    expect((await get(port, '/events', { method: 'DELETE' })).status).toBe(405);
    run.write(await readFile(f('hello.wav')));
    run.end();
    expect(await run.exit()).toBe(0);
  });

  it('a port in use is a clear error before any session is opened', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      server = await startFakeServer({ script: ['hello world'] });
      const cli = runCli(['--api-host', server.url, '-i', f('hello.wav'), '--captions', `127.0.0.1:${port}`], env());
      expect(await cli.exit(20_000)).toBe(2);
      expect(cli.stderr()).toContain(`cannot serve the captions page on 127.0.0.1:${port}: the port is in use`);
      expect(cli.stderr()).toMatch(/--captions :8778/);
      expect(server.sessions.length).toBe(0);
    } finally {
      taken.close();
    }
  });

  it('a bad address is a usage error', async () => {
    const cli = runCli(['-i', f('hello.wav'), '--captions', 'nope:port'], env());
    expect(await cli.exit(20_000)).toBe(2);
    expect(cli.stderr()).toContain('--captions port "port" is not a port number');
  });

  it('a stalled viewer does not hold up the run: the audio, the transcript and the exit are as without it', async () => {
    const { run, port } = await startRun('127.0.0.1:0');
    // A viewer that asks for the stream and then never reads a byte.
    const stalled = connect(port, '127.0.0.1');
    stalled.on('error', () => {});
    await new Promise<void>((resolve) => stalled.once('connect', () => resolve()));
    stalled.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    stalled.pause();
    const live = await get(port, '/events', { stream: true });
    expect(live.status).toBe(200);
    run.write(await readFile(f('hello.wav')));
    run.end();
    expect(await run.exit()).toBe(0);
    expect(run.stdout()).toBe('Hello world.\n');
    const session = server!.sessions[0]!;
    expect(session.terminated).toBe(true);
    expect(session.audioMs).toBeGreaterThanOrEqual(wavDurationMs(f('hello.wav')) - 100);
    stalled.destroy();
  });
});
