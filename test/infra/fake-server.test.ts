/**
 * Tests of the AssemblyAI v3 test double itself (test/support/fake-server.ts), driven by a raw `ws`
 * client, not by the product code. Waits are event-driven with bounded timeouts; the only timed waits
 * are `expectQuiet`, which asserts that something does NOT happen within a short window.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  DEFAULT_MAX_LEAD_SECONDS,
  FAST_TIMINGS,
  REAL_TIMINGS,
  SPEECH_MODELS,
  startFakeServer,
  TOKEN_USED_MESSAGE,
  TOO_MANY_SESSIONS_MESSAGE,
} from '../support/fake-server.js';
import { SPEECH_PROBABILITY } from '../support/fake-server/transcription.js';
import type { FakeServer, FakeServerOptions, SessionRecord } from '../support/fake-server.js';
import { createPocketsphinxRecognizer } from '../support/recognizer.js';
import { waitUntil } from '../support/wait.js';

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

type Msg = Record<string, unknown> & { type?: string };

const KEY = 'test-key-0000';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RATE = 16000;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ERROR_REASON = 'See Error message for details';

class TestClient {
  readonly messages: Msg[] = [];
  closeInfo: { code: number; reason: string } | undefined;
  unexpected: { status: number; body: string } | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
      this.messages.push(isBinary ? { type: '<binary>' } : (JSON.parse(text) as Msg));
      this.fire();
    });
    ws.on('close', (code, reason) => {
      this.closeInfo = { code, reason: reason.toString() };
      this.fire();
    });
    ws.on('open', () => this.fire());
    ws.on('error', () => this.fire());
    ws.on('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        this.unexpected = { status: res.statusCode ?? 0, body };
        req.destroy();
        this.fire();
      });
    });
  }

  private fire(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Resolves with fn()'s first non-undefined value, checked on every client event. */
  waitUntil<T>(fn: () => T | undefined, what: string, timeoutMs = 3000): Promise<T> {
    return waitUntil(fn, {
      timeoutMs,
      what: () => `${what}; got ${JSON.stringify(this.summary())} close=${JSON.stringify(this.closeInfo)}`,
      subscribe: (wake) => {
        this.listeners.add(wake);
        return () => this.listeners.delete(wake);
      },
    });
  }

  message(pred: (m: Msg) => boolean, what: string, timeoutMs?: number): Promise<Msg> {
    return this.waitUntil(() => this.messages.find(pred), what, timeoutMs);
  }

  ofType(type: string, timeoutMs?: number): Promise<Msg> {
    return this.message((m) => m.type === type, type, timeoutMs);
  }

  count(pred: (m: Msg) => boolean, n: number, what: string, timeoutMs?: number): Promise<Msg[]> {
    return this.waitUntil(
      () => {
        const found = this.messages.filter(pred);
        return found.length >= n ? found : undefined;
      },
      `${n} × ${what}`,
      timeoutMs,
    );
  }

  closed(timeoutMs?: number): Promise<{ code: number; reason: string }> {
    return this.waitUntil(() => this.closeInfo, 'close', timeoutMs);
  }

  opened(): Promise<true> {
    return this.waitUntil(() => (this.ws.readyState === WebSocket.OPEN ? true : undefined), 'open');
  }

  turns(): Msg[] {
    return this.messages.filter((m) => m.type === 'Turn');
  }

  finals(): Msg[] {
    return this.turns().filter((m) => m.end_of_turn === true);
  }

  json(obj: unknown): void {
    this.ws.send(JSON.stringify(obj));
  }

  audio(buf: Buffer): void {
    this.ws.send(buf, { binary: true });
  }

  /** Sends `buf` as consecutive frames of frameMs (16 kHz s16le by default). */
  frames(buf: Buffer, frameMs = 50, bytesPerMs = (RATE * 2) / 1000): void {
    const step = Math.round(frameMs * bytesPerMs);
    for (let off = 0; off < buf.length; off += step) this.audio(buf.subarray(off, Math.min(buf.length, off + step)));
  }

  summary(): string[] {
    return this.messages.map((m) =>
      m.type === 'Turn' ? `Turn(${String(m.turn_order)},${m.end_of_turn ? 'final' : 'partial'},${String(m.transcript)})` : String(m.type),
    );
  }
}

/** Asserts that nothing new arrives (and no close) within ms: the one deliberately timed wait. */
async function expectQuiet(client: TestClient, ms: number): Promise<void> {
  const before = client.messages.length;
  await new Promise((r) => setTimeout(r, ms));
  expect(client.summary().slice(before)).toEqual([]);
  expect(client.closeInfo).toBeUndefined();
}

function tone(ms: number, rate = RATE, amplitude = 0.3): Buffer {
  const n = Math.round((rate * ms) / 1000);
  const out = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) out.writeInt16LE(Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  return out;
}

function silence(ms: number, rate = RATE): Buffer {
  return Buffer.alloc(Math.round((rate * ms) / 1000) * 2);
}

/** G.711 µ-law encoder (for the pcm_mulaw test). */
function linearToMulaw(sample: number): number {
  const BIAS = 0x84;
  const CLIP = 32635;
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; exponent--, mask >>= 1);
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function toMulaw(pcm16: Buffer): Buffer {
  const out = Buffer.alloc(pcm16.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = linearToMulaw(pcm16.readInt16LE(i * 2));
  return out;
}

/** The PCM payload of a WAV file (walks the chunks; sox may add more than the canonical 44 bytes). */
function wavData(wav: Buffer): Buffer {
  let off = 12;
  while (off + 8 <= wav.length) {
    const id = wav.toString('ascii', off, off + 4);
    const size = wav.readUInt32LE(off + 4);
    if (id === 'data') return wav.subarray(off + 8, Math.min(wav.length, off + 8 + size));
    off += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}

function sh(cmd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('sh', ['-c', cmd], { timeout: 20_000 }, (err) => (err ? reject(err) : resolve()));
  });
}

const servers: FakeServer[] = [];
const clients: TestClient[] = [];

async function server(options: FakeServerOptions = {}): Promise<FakeServer> {
  // Fast timings here: these tests check the double's own messages, not the client's behaviour at the service's
  // pace; the timings themselves are tested below with `realTimings: true` and with the default.
  const s = await startFakeServer({ realTimings: false, ...options });
  servers.push(s);
  return s;
}

interface ConnectOptions {
  params?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  path?: string;
}

function connect(s: FakeServer, o: ConnectOptions = {}): TestClient {
  const params: Record<string, string> = {};
  const merged = { speech_model: 'universal-streaming-english', sample_rate: String(RATE), ...o.params };
  for (const [k, v] of Object.entries(merged)) if (v !== undefined) params[k] = v;
  const qs = new URLSearchParams(params).toString();
  const url = `${s.url}${o.path ?? '/v3/ws'}${qs ? `?${qs}` : ''}`;
  const client = new TestClient(new WebSocket(url, { headers: o.headers ?? { Authorization: KEY } }));
  clients.push(client);
  return client;
}

function session(s: FakeServer, i = 0): SessionRecord {
  const r = s.sessions[i];
  if (r === undefined) throw new Error(`no session ${i}`);
  return r;
}

async function expectErrorClose(client: TestClient, code: number, message: string | RegExp): Promise<Msg> {
  const err = await client.ofType('Error');
  expect(err.error_code).toBe(code);
  if (typeof message === 'string') expect(err.error).toBe(message);
  else expect(String(err.error)).toMatch(message);
  expect(Object.keys(err).sort()).toEqual(['error', 'error_code', 'type']);
  const close = await client.closed();
  expect(close).toEqual({ code, reason: ERROR_REASON });
  expect(client.messages.some((m) => m.type === 'Termination')).toBe(false); // docs/service.md#errors-and-close-codes: no Termination after an Error
  return err;
}

/** Terminate and wait for the graceful end; returns the Termination message. */
async function terminate(client: TestClient): Promise<Msg> {
  client.json({ type: 'Terminate' });
  const termination = await client.ofType('Termination');
  expect(await client.closed()).toEqual({ code: 1000, reason: 'Session Ended' });
  return termination;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

// ---------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------

describe('authentication (docs/service.md#connecting, docs/service.md#other-messages)', () => {
  it('accepts the raw API key in Authorization and records the request', async () => {
    const s = await server();
    const c = connect(s, { headers: { Authorization: KEY, 'AssemblyAI-Version': '2025-05-12' } });
    await c.ofType('Begin');
    const r = session(s);
    expect(r.authorized).toBe(true);
    expect(r.path).toBe('/v3/ws');
    expect(r.query).toEqual({ speech_model: 'universal-streaming-english', sample_rate: '16000' });
    expect(r.headers.authorization).toBe(KEY);
    expect(r.headers['assemblyai-version']).toBe('2025-05-12');
    // The `ws` client offers permessage-deflate by default; the record shows it.
    expect(String(r.headers['sec-websocket-extensions'])).toContain('permessage-deflate');
  });

  it('accepts a temporary token in ?token= and in Authorization', async () => {
    const s = await server({ tokens: ['tok-1'] });
    const a = connect(s, { params: { token: 'tok-1' }, headers: {} });
    await a.ofType('Begin');
    const b = connect(s, { headers: { Authorization: 'tok-1' } });
    await b.ofType('Begin');
    expect(s.sessions.map((r) => r.authorized)).toEqual([true, true]);
  });

  it.each([
    ['Bearer prefix', { Authorization: `Bearer ${KEY}` }, 'Unauthorized Connection: Invalid API key'],
    ['wrong key', { Authorization: 'nope' }, 'Unauthorized Connection: Invalid API key'],
    ['no header', {}, 'Unauthorized Connection: Missing Authorization header'],
  ])('rejects in-band (%s): Error 1008 then close 1008, no Begin', async (_name, headers, message) => {
    const s = await server();
    const c = connect(s, { headers });
    await expectErrorClose(c, 1008, message);
    expect(c.messages.map((m) => m.type)).toEqual(['Error']);
    const r = await s.waitForSessionClosed(0);
    expect(r).toMatchObject({ authorized: false, closedBy: 'server', closeCode: 1008, error: { code: 1008, message }, id: '' });
  });

  it('rejects an expired token with "Signature has expired"', async () => {
    const s = await server({ expiredTokens: ['old'] });
    const c = connect(s, { params: { token: 'old' }, headers: {} });
    await expectErrorClose(c, 1008, 'Unauthorized Connection: Signature has expired');
  });

  it('http-401 / http-403 mode rejects the upgrade with a JSON body', async () => {
    for (const [mode, status] of [
      ['http-401', 401],
      ['http-403', 403],
    ] as const) {
      const s = await server({ authMode: mode });
      const c = connect(s, { headers: { Authorization: 'bad' } });
      const res = await c.waitUntil(() => c.unexpected, 'unexpected-response');
      expect(res.status).toBe(status);
      expect(JSON.parse(res.body)).toEqual({ error: 'Unauthorized Connection: Invalid API key' });
      const r = await s.waitForSessionClosed(0);
      expect(r).toMatchObject({ authorized: false, closed: true, closedBy: 'server', error: { code: status } });
      // A good key still gets a normal session in this mode.
      const ok = connect(s);
      await ok.ofType('Begin');
    }
  });

  it('answers 404 for upgrades on other paths', async () => {
    const s = await server();
    const c = connect(s, { path: '/v2/realtime/ws' });
    const res = await c.waitUntil(() => c.unexpected, 'unexpected-response');
    expect(res.status).toBe(404);
    expect(s.sessions).toEqual([]);
  });
});

describe('token endpoint /v3/token (docs/service.md#connecting)', () => {
  const http = (s: FakeServer): string => s.url.replace(/^ws:/, 'http:');

  it('mints a reusable token; its session cap shows in Begin.expires_at', async () => {
    const s = await server();
    const res = await fetch(`${http(s)}/v3/token?expires_in_seconds=60&max_session_duration_seconds=60`, { headers: { Authorization: KEY } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; expires_in_seconds: number };
    expect(body.expires_in_seconds).toBe(60);
    expect(body.token).toMatch(/^AQI/);
    for (let i = 0; i < 2; i++) {
      const c = connect(s, { params: { token: body.token }, headers: {} });
      const begin = await c.ofType('Begin');
      const expected = Date.now() / 1000 + 60;
      expect(Math.abs(Number(begin.expires_at) - expected)).toBeLessThanOrEqual(2);
    }
  });

  it('accepts "Bearer <key>" on the token endpoint, 401 for a wrong key', async () => {
    const s = await server();
    const ok = await fetch(`${http(s)}/v3/token?expires_in_seconds=10`, { headers: { Authorization: `Bearer ${KEY}` } });
    expect(ok.status).toBe(200);
    const bad = await fetch(`${http(s)}/v3/token?expires_in_seconds=10`, { headers: { Authorization: 'wrong' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'Invalid API key' });
  });

  it('answers validation failures and a missing header with FastAPI-style 422', async () => {
    const s = await server();
    const r1 = await fetch(`${http(s)}/v3/token?expires_in_seconds=0`, { headers: { Authorization: KEY } });
    expect(r1.status).toBe(422);
    expect(await r1.json()).toEqual({
      detail: [
        {
          type: 'greater_than_equal',
          loc: ['query', 'expires_in_seconds'],
          msg: 'Input should be greater than or equal to 1',
          input: '0',
          ctx: { ge: 1 },
        },
      ],
    });
    const r2 = await fetch(`${http(s)}/v3/token?expires_in_seconds=10&max_session_duration_seconds=59`, { headers: { Authorization: KEY } });
    expect(r2.status).toBe(422);
    const r3 = await fetch(`${http(s)}/v3/token?expires_in_seconds=10`);
    expect(r3.status).toBe(422);
    const b3 = (await r3.json()) as { detail: Array<{ type: string; loc: string[] }> };
    expect(b3.detail[0]).toMatchObject({ type: 'missing', loc: ['header', 'authorization'] });
  });
});

describe('connection parameters (docs/service.md#connecting)', () => {
  const P = 'User Input Validation Error: ';
  it.each<[string, Record<string, string | undefined>, string]>([
    ['missing speech_model', { speech_model: undefined }, `${P}Invalid 'speech_model': Field required`],
    ['missing sample_rate', { sample_rate: undefined }, `${P}Invalid 'sample_rate': Field required`],
    ['sample_rate below 8000', { sample_rate: '7000' }, `${P}Invalid 'sample_rate': Value error, sample_rate must be at least 8,000 Hz`],
    [
      'non-integer sample_rate',
      { sample_rate: '16000.5' },
      `${P}Invalid 'sample_rate': Input should be a valid integer, unable to parse string as an integer`,
    ],
    ['unknown encoding', { encoding: 'flac' }, `${P}'flac' is not a valid Encoding`],
    ['non-boolean format_turns', { format_turns: 'yes' }, `${P}Invalid 'format_turns': Input should be a valid boolean, unable to interpret input`],
    [
      'threshold above 1',
      { end_of_turn_confidence_threshold: '1.5' },
      `${P}Invalid 'end_of_turn_confidence_threshold': Input should be less than or equal to 1`,
    ],
    ['vad_threshold below 0', { vad_threshold: '-0.1' }, `${P}Invalid 'vad_threshold': Input should be greater than or equal to 0`],
    ['negative min_turn_silence', { min_turn_silence: '-1' }, `${P}Invalid 'min_turn_silence': Input should be greater than or equal to 0`],
    [
      'fractional max_turn_silence',
      { max_turn_silence: '12.5' },
      `${P}Invalid 'max_turn_silence': Input should be a valid integer, unable to parse string as an integer`,
    ],
    ['inactivity_timeout below 5', { inactivity_timeout: '4' }, `${P}Invalid 'inactivity_timeout': Input should be greater than or equal to 5`],
    ['inactivity_timeout above 3600', { inactivity_timeout: '3601' }, `${P}Invalid 'inactivity_timeout': Input should be less than or equal to 3600`],
    [
      '101 keyterms',
      { keyterms_prompt: JSON.stringify(Array.from({ length: 101 }, (_, i) => `t${i}`)) },
      `${P}Invalid 'keyterms_prompt': Value error, Max 100 items`,
    ],
    [
      'keyterms not JSON',
      { keyterms_prompt: 'a,b' },
      `${P}Invalid 'keyterms_prompt': Value error, keyterms_prompt must be a JSON-encoded list of strings`,
    ],
  ])('rejects %s with 3006 before Begin', async (_name, params, message) => {
    const s = await server();
    const c = connect(s, { params });
    await expectErrorClose(c, 3006, message);
    expect(c.messages.map((m) => m.type)).toEqual(['Error']);
  });

  it('rejects an unknown speech_model with the full enum', async () => {
    const s = await server();
    const c = connect(s, { params: { speech_model: 'u3-pro' } });
    const err = await expectErrorClose(
      c,
      3006,
      /^User Input Validation Error: Invalid 'speech_model': Input should be 'universal-streaming-english', /,
    );
    expect(String(err.error)).toContain("or '_universal-3-5-notetaker'");
  });

  it('accepts True/False in any case, JSON lists with + for spaces, and ignores unknown parameters', async () => {
    const s = await server();
    const c = connect(s, {
      params: {
        format_turns: 'True',
        speaker_labels: 'FALSE',
        keyterms_prompt: JSON.stringify(['foo bar', 'x'.repeat(60)]),
        min_turn_silense: '999',
        speechModel: 'whatever',
        inactivity_timeout: '3600',
        end_of_turn_confidence_threshold: '0',
      },
    });
    await c.ofType('Begin');
    const r = session(s);
    expect(r.url).toContain('foo+bar'); // URLSearchParams encodes spaces as '+', the double decodes them
    expect(r.query.keyterms_prompt).toBe(`["foo bar","${'x'.repeat(60)}"]`);
    await terminate(c);
  });

  it('speechModelRequired=false defaults to universal-3-6-pro (docs/service.md#connecting), visible in Begin.configuration', async () => {
    const s = await server({ speechModelRequired: false, beginConfiguration: true });
    const c = connect(s, { params: { speech_model: undefined } });
    const begin = await c.ofType('Begin');
    expect(begin.configuration).toMatchObject({ model: 'universal-3-6-pro', api_version: '2025-05-12', mode: 'balanced' });
  });
});

describe('Begin (docs/service.md#begin, docs/service.md#limits)', () => {
  it('has exactly type, id (uuid) and expires_at (int seconds, now + 3 h)', async () => {
    const s = await server();
    const c = connect(s);
    const begin = await c.ofType('Begin');
    expect(Object.keys(begin).sort()).toEqual(['expires_at', 'id', 'type']);
    expect(begin.id).toMatch(UUID_RE);
    expect(Number.isInteger(begin.expires_at)).toBe(true);
    expect(Math.abs(Number(begin.expires_at) - (Date.now() / 1000 + 10800))).toBeLessThanOrEqual(2);
    expect(session(s).id).toBe(begin.id);
    expect(session(s).sentMessages[0]).toEqual(begin);
  });

  it('accepts audio before Begin', async () => {
    const s = await server({ beginDelayMs: 250 });
    const c = connect(s);
    await c.opened();
    c.frames(silence(100));
    await s.waitFor((ss) => ss[0]?.frames.length === 2);
    expect(c.messages).toEqual([]); // Begin not yet sent
    await c.ofType('Begin');
    const r = session(s);
    expect(r.frames.map((f) => f.bytes)).toEqual([1600, 1600]);
    expect(r.frames[0]?.ms).toBe(50);
    expect(r.frames[0]?.data.equals(silence(50))).toBe(true);
    expect(r.audioMs).toBe(100);
    await terminate(c);
  });
});

describe('audio frames (docs/service.md#audio)', () => {
  it('strict: a 25 ms first frame is rejected with the exact 3007 text', async () => {
    const s = await server();
    const c = connect(s);
    await c.opened();
    c.audio(silence(25));
    await expectErrorClose(c, 3007, 'Input Duration Error: Input Duration Violation: 25.0 ms. Expected between 50 and 1000 ms');
    expect(session(s).error).toEqual({
      code: 3007,
      message: 'Input Duration Error: Input Duration Violation: 25.0 ms. Expected between 50 and 1000 ms',
    });
  });

  it('strict: a 1200 ms frame is rejected; exactly 50 and 1000 ms are accepted', async () => {
    const s = await server();
    const ok = connect(s);
    await ok.ofType('Begin');
    ok.audio(silence(50));
    ok.audio(silence(1000));
    const t = await terminate(ok);
    expect(t.audio_duration_seconds).toBe(1);
    const bad = connect(s);
    await bad.opened();
    bad.audio(silence(1200));
    await expectErrorClose(bad, 3007, 'Input Duration Error: Input Duration Violation: 1200.0 ms. Expected between 50 and 1000 ms');
  });

  it('uses the declared rate and encoding: 8 kHz µ-law 400 bytes = 50 ms, 200 bytes = 25 ms', async () => {
    const s = await server();
    const c = connect(s, { params: { sample_rate: '8000', encoding: 'pcm_mulaw' } });
    await c.ofType('Begin');
    c.audio(Buffer.alloc(400, 0xff));
    await s.waitFor((ss) => ss[0]?.frames.length === 1);
    expect(session(s).frames[0]?.ms).toBe(50);
    c.audio(Buffer.alloc(200, 0xff));
    await expectErrorClose(c, 3007, 'Input Duration Error: Input Duration Violation: 25.0 ms. Expected between 50 and 1000 ms');
  });

  it('lenient: 20 ms frames fail only after ~1 s of them (the 49th); a normal frame resets the run', async () => {
    const s = await server({ frameCheck: 'lenient' });
    const c = connect(s);
    await c.ofType('Begin');
    for (let i = 0; i < 48; i++) c.audio(silence(20));
    c.audio(silence(50)); // resets the short run
    for (let i = 0; i < 48; i++) c.audio(silence(20));
    await s.waitFor((ss) => ss[0]?.frames.length === 97);
    expect(session(s).error).toBeUndefined();
    c.audio(silence(20)); // the 49th consecutive short frame
    await expectErrorClose(c, 3007, 'Input Duration Error: Input Duration Violation: 20.0 ms. Expected between 50 and 1000 ms');
  });

  it('lenient: an over-long frame fails at once', async () => {
    const s = await server({ frameCheck: 'lenient' });
    const c = connect(s);
    await c.opened();
    c.audio(silence(1200));
    await expectErrorClose(c, 3007, 'Input Duration Error: Input Duration Violation: 1200.0 ms. Expected between 50 and 1000 ms');
  });

  it('lenient: one trailing short frame is tolerated', async () => {
    const s = await server({ frameCheck: 'lenient' });
    const c = connect(s);
    await c.ofType('Begin');
    c.frames(silence(500));
    c.audio(silence(20));
    await terminate(c);
    expect(session(s).error).toBeUndefined();
  });

  it('tolerates odd byte counts in pcm_s16le (samples split across frames)', async () => {
    const s = await server();
    const c = connect(s);
    await c.ofType('Begin');
    const speech = tone(300);
    c.audio(speech.subarray(0, 1601)); // 50.03 ms
    c.audio(speech.subarray(1601, 4800)); // 99.97 ms, starting mid-sample
    c.frames(speech.subarray(4800));
    c.frames(silence(400));
    const fin = await c.message((m) => m.type === 'Turn' && m.end_of_turn === true, 'final');
    expect(fin.transcript).toBe('hello world');
    expect(session(s).frames[0]?.bytes).toBe(1601);
  });

  it('rejects audio sent too far ahead of real time', async () => {
    const s = await server({ maxLeadSeconds: 1 });
    const c = connect(s);
    await c.opened();
    for (let i = 0; i < 3; i++) c.audio(silence(1000));
    await expectErrorClose(c, 3007, /^Input Duration Error: Audio Transmission Rate Exceeded: Received 2\.0 sec\. audio in \d+\.\d{6} sec$/);
  });
});

describe('client text messages (docs/service.md#client-messages)', () => {
  const P = 'User Input Validation Error: ';
  it.each([
    ['invalid JSON', '{bad', new RegExp(`^${P}Invalid JSON: .+`)],
    ['unknown type', '{"type":"Bogus"}', `${P}Invalid Message Type: Bogus`],
    ['wrong-case type', '{"type":"terminate"}', `${P}Invalid Message Type: terminate`],
    ['non-object JSON', '[]', `${P}Invalid Message: []`],
    ['object without type (v2 terminate)', '{"terminate_session":true}', `${P}Invalid Message: {"terminate_session":true}`],
  ])('%s -> 3006', async (_name, text, message) => {
    const s = await server();
    const c = connect(s);
    await c.ofType('Begin');
    c.ws.send(text);
    await expectErrorClose(c, 3006, message);
    const r = await s.waitForSessionClosed(0);
    expect(r.terminationSent).toBe(false);
    expect(r.texts).toHaveLength(1);
  });

  it('does not depend on key order; KeepAlive and valid UpdateConfiguration get no reply', async () => {
    const s = await server();
    const c = connect(s);
    await c.ofType('Begin');
    c.ws.send('{"x":1,"type":"KeepAlive"}');
    c.ws.send(
      '{"min_turn_silence":560,"end_of_turn_confidence_threshold":0.6,"keyterms_prompt":[],"format_turns":true,"type":"UpdateConfiguration"}',
    );
    await s.waitFor((ss) => ss[0]?.texts.length === 2);
    await terminate(c);
    expect(c.messages.map((m) => m.type)).toEqual(['Begin', 'Turn', 'Termination']); // the Turn is the empty final
    expect(session(s).texts).toEqual([
      { x: 1, type: 'KeepAlive' },
      { min_turn_silence: 560, end_of_turn_confidence_threshold: 0.6, keyterms_prompt: [], format_turns: true, type: 'UpdateConfiguration' },
      { type: 'Terminate' },
    ]);
  });

  it('an invalid UpdateConfiguration value is fatal (3006)', async () => {
    const s = await server();
    const c = connect(s);
    await c.ofType('Begin');
    c.json({ type: 'UpdateConfiguration', end_of_turn_confidence_threshold: 2 });
    await expectErrorClose(c, 3006, `${P}Invalid 'end_of_turn_confidence_threshold': Input should be less than or equal to 1`);
  });

  it('UpdateConfiguration applies silently (min_turn_silence)', async () => {
    const s = await server();
    const c = connect(s);
    await c.ofType('Begin');
    c.json({ type: 'UpdateConfiguration', min_turn_silence: 100 });
    c.frames(tone(300));
    c.frames(silence(100));
    const fin = await c.message((m) => m.type === 'Turn' && m.end_of_turn === true, 'final after 100 ms of silence');
    expect(fin.transcript).toBe('hello world');
  });
});

describe('scripted transcription (docs/service.md#turns, docs/service.md#audio)', () => {
  it('partials grow word by word; silence audio of min_turn_silence ends the turn', async () => {
    const s = await server({ script: ['hello world'] });
    const c = connect(s);
    await c.ofType('Begin');
    c.frames(silence(100));
    c.frames(tone(300));
    c.frames(silence(350)); // one frame short of min_turn_silence (400)
    await s.waitFor((ss) => ss[0]?.frames.length === 15);
    // Audio is processed synchronously on receipt: had the turn ended, its final would be recorded already.
    expect(session(s).sentMessages.some((m) => (m as Msg).end_of_turn === true)).toBe(false);
    c.frames(silence(50));
    await c.message((m) => m.type === 'Turn' && m.end_of_turn === true, 'final');
    const turns = c.turns();
    expect(turns).toHaveLength(3);
    expect(turns[0]).toEqual({
      turn_order: 0,
      turn_is_formatted: false,
      end_of_turn: false,
      transcript: '',
      end_of_turn_confidence: expect.any(Number) as number,
      words: [{ start: 100, end: 250, text: 'hello', confidence: expect.any(Number) as number, word_is_final: false }],
      utterance: '',
      type: 'Turn',
    });
    expect(turns[1]).toMatchObject({
      end_of_turn: false,
      transcript: 'hello',
      words: [
        { start: 100, end: 250, text: 'hello', word_is_final: true },
        { start: 250, end: 400, text: 'world', word_is_final: false },
      ],
    });
    for (const p of turns.slice(0, 2)) expect(Number(p.end_of_turn_confidence)).toBeLessThan(0.3);
    expect(turns[2]).toMatchObject({
      turn_order: 0,
      turn_is_formatted: false,
      end_of_turn: true,
      transcript: 'hello world',
      utterance: 'hello world',
      words: [
        { start: 100, end: 250, text: 'hello', word_is_final: true },
        { start: 250, end: 400, text: 'world', word_is_final: true },
      ],
    });
    expect(Number(turns[2]?.end_of_turn_confidence)).toBeGreaterThan(0.4);
  });

  it('the final carries the whole scripted turn even if not every word was released', async () => {
    const s = await server({ script: ['one two three four'] });
    const c = connect(s);
    await c.ofType('Begin');
    c.frames(tone(150));
    c.frames(silence(400));
    const fin = await c.message((m) => m.type === 'Turn' && m.end_of_turn === true, 'final');
    expect(c.turns().filter((m) => m.end_of_turn === false)).toHaveLength(1);
    expect(fin.transcript).toBe('one two three four');
    const words = fin.words as Array<{ start: number; end: number; word_is_final: boolean }>;
    expect(words).toHaveLength(4);
    expect(words.every((w) => w.word_is_final && w.end >= w.start)).toBe(true);
  });

  it('turn_order increments per turn and the script cycles', async () => {
    const s = await server({ script: ['alpha beta', 'gamma'] });
    const c = connect(s);
    await c.ofType('Begin');
    for (let i = 0; i < 3; i++) {
      c.frames(tone(300));
      c.frames(silence(400));
    }
    const finals = await c.count((m) => m.type === 'Turn' && m.end_of_turn === true, 3, 'finals');
    expect(finals.map((f) => [f.turn_order, f.transcript])).toEqual([
      [0, 'alpha beta'],
      [1, 'gamma'],
      [2, 'alpha beta'],
    ]);
  });

  it('end_of_turn_confidence_threshold=1 waits for max_turn_silence (acoustic end of turn)', async () => {
    const s = await server();
    const c = connect(s, { params: { end_of_turn_confidence_threshold: '1', min_turn_silence: '100', max_turn_silence: '300' } });
    await c.ofType('Begin');
    c.frames(tone(300));
    c.frames(silence(250));
    await s.waitFor((ss) => ss[0]?.frames.length === 11);
    expect(c.finals()).toHaveLength(0);
    expect(session(s).sentMessages.some((m) => (m as Msg).end_of_turn === true)).toBe(false);
    c.frames(silence(50));
    await c.message((m) => m.type === 'Turn' && m.end_of_turn === true, 'final');
  });

  it('format_turns=true, classic: unformatted final, then a formatted final with the same turn_order', async () => {
    const s = await server();
    const c = connect(s, { params: { format_turns: 'true' } });
    await c.ofType('Begin');
    c.frames(tone(300));
    c.frames(silence(400));
    await c.count((m) => m.type === 'Turn' && m.end_of_turn === true, 2, 'finals');
    const turns = c.turns();
    expect(turns.map((t) => [t.turn_order, t.end_of_turn, t.turn_is_formatted, t.transcript, t.utterance])).toEqual([
      [0, false, false, '', ''],
      [0, false, false, 'hello', ''],
      [0, true, false, 'hello world', 'hello world'],
      [0, true, true, 'Hello world.', ''],
    ]);
    expect((turns[3]!.words as Array<{ text: string }>).map((w) => w.text)).toEqual(['Hello', 'world.']);
    expect(turns[3]?.end_of_turn_confidence).toBe(turns[2]?.end_of_turn_confidence);
  });

  it('format_turns=true, inline mode: every message formatted, one final', async () => {
    const s = await server({ formatMode: 'inline' });
    const c = connect(s, { params: { format_turns: 'True' } });
    await c.ofType('Begin');
    c.frames(tone(300));
    c.frames(silence(400));
    await c.message((m) => m.type === 'Turn' && m.end_of_turn === true, 'final');
    await terminate(c);
    const turns = c.turns().filter((t) => (t.words as unknown[]).length > 0);
    expect(turns.map((t) => [t.end_of_turn, t.turn_is_formatted, t.transcript, t.utterance])).toEqual([
      [false, true, '', ''],
      [false, true, 'Hello', ''],
      [true, true, 'Hello world.', 'Hello world.'],
    ]);
  });

  it('pcm_mulaw audio is decoded for speech detection', async () => {
    const s = await server();
    const c = connect(s, { params: { sample_rate: '8000', encoding: 'pcm_mulaw' } });
    await c.ofType('Begin');
    c.frames(toMulaw(tone(300, 8000)), 50, 8);
    c.frames(toMulaw(silence(400, 8000)), 50, 8);
    const fin = await c.message((m) => m.type === 'Turn' && m.end_of_turn === true, 'final');
    expect(fin.transcript).toBe('hello world');
  });

  it('a turn does not finalize just because audio stops (docs/service.md#audio); Terminate flushes it', async () => {
    const s = await server();
    const c = connect(s);
    await c.ofType('Begin');
    c.frames(tone(300));
    await c.count((m) => m.type === 'Turn', 2, 'partials');
    await expectQuiet(c, 600); // longer than min_turn_silence: nothing may arrive without silence audio
    const t = await terminate(c);
    expect(c.summary()).toEqual(['Begin', 'Turn(0,partial,)', 'Turn(0,partial,hello)', 'Turn(0,final,hello world)', 'Turn(1,final,)', 'Termination']);
    expect(t).toEqual({ type: 'Termination', audio_duration_seconds: 0, session_duration_seconds: expect.any(Number) as number });
  });

  it('ForceEndpoint finalizes the turn in progress; the next speech starts a new turn_order', async () => {
    const s = await server({ script: ['hello world', 'second turn'] });
    const c = connect(s);
    await c.ofType('Begin');
    c.frames(tone(300));
    c.json({ type: 'ForceEndpoint' });
    const fin = await c.message((m) => m.type === 'Turn' && m.end_of_turn === true, 'forced final');
    expect(fin).toMatchObject({ turn_order: 0, transcript: 'hello world', utterance: 'hello world' });
    c.frames(tone(300));
    c.frames(silence(400));
    const second = await c.message((m) => m.type === 'Turn' && m.end_of_turn === true && m.turn_order === 1, 'second final');
    expect(second.transcript).toBe('second turn');
  });

  it('ForceEndpoint with no speech in progress does nothing', async () => {
    const s = await server();
    const c = connect(s);
    await c.ofType('Begin');
    c.frames(silence(200));
    c.json({ type: 'ForceEndpoint' });
    await s.waitFor((ss) => ss[0]?.texts.length === 1);
    await expectQuiet(c, 300);
    expect(c.summary()).toEqual(['Begin']);
  });

  it('language_detection / speaker_labels add their fields on finals only', async () => {
    const s = await server();
    const c = connect(s, { params: { language_detection: 'true', speaker_labels: 'true' } });
    await c.ofType('Begin');
    c.frames(tone(300));
    c.frames(silence(400));
    const fin = await c.message((m) => m.type === 'Turn' && m.end_of_turn === true, 'final');
    expect(fin).toMatchObject({ language_code: 'en', speaker_label: 'A' });
    const partial = c.turns()[0];
    expect(partial).not.toHaveProperty('speaker_label');
    expect(partial).not.toHaveProperty('language_code');
  });
});

describe('Terminate (docs/service.md#terminate-and-termination)', () => {
  it('flushes the turn, sends an empty final, Termination, then closes 1000 "Session Ended"', async () => {
    const s = await server({ terminationDelayMs: 30 });
    const c = connect(s);
    await c.ofType('Begin');
    c.frames(silence(1000));
    c.frames(tone(300));
    c.frames(silence(200));
    await c.count((m) => m.type === 'Turn', 2, 'partials');
    const t = await terminate(c);
    expect(t).toEqual({ type: 'Termination', audio_duration_seconds: 2, session_duration_seconds: expect.any(Number) as number });
    expect(Number.isInteger(t.session_duration_seconds) && Number(t.session_duration_seconds) >= 1).toBe(true);
    const finals = c.finals();
    expect(finals.map((f) => [f.turn_order, f.transcript, (f.words as unknown[]).length])).toEqual([
      [0, 'hello world', 2],
      [1, '', 0],
    ]);
    expect(c.messages.at(-1)?.type).toBe('Termination');
    const r = await s.waitForSessionClosed(0);
    expect(r).toMatchObject({ terminated: true, terminationSent: true, closed: true, closeCode: 1000, closedBy: 'server', audioMs: 1500 });
    expect(r.error).toBeUndefined();
    expect(r.sentMessages).toHaveLength(c.messages.length);
    expect(r.closedAt).toBeGreaterThanOrEqual(r.openedAt);
  });

  it('emptyFinalOnTerminate=false sends no empty final', async () => {
    const s = await server({ emptyFinalOnTerminate: false });
    const c = connect(s);
    await c.ofType('Begin');
    await terminate(c);
    expect(c.summary()).toEqual(['Begin', 'Termination']);
  });

  it('ignores input after Terminate', async () => {
    const s = await server({ terminationDelayMs: 300 });
    const c = connect(s);
    await c.ofType('Begin');
    c.json({ type: 'Terminate' });
    c.audio(silence(20)); // would be a 3007
    c.json({ type: 'Bogus' }); // would be a 3006
    await c.ofType('Termination');
    expect(await c.closed()).toEqual({ code: 1000, reason: 'Session Ended' });
    const r = await s.waitForSessionClosed(0);
    expect(r.error).toBeUndefined();
    expect(r.frames).toHaveLength(1);
    expect(r.texts).toEqual([{ type: 'Terminate' }, { type: 'Bogus' }]);
  });

  it('Terminate before Begin: everything waits for Begin', async () => {
    const s = await server({ beginDelayMs: 150 });
    const c = connect(s);
    await c.opened();
    c.json({ type: 'Terminate' });
    await c.ofType('Termination');
    expect(c.summary()).toEqual(['Begin', 'Turn(0,final,)', 'Termination']);
  });

  it('noTermination: finals are flushed but no Termination and no close; the client close is recorded', async () => {
    const s = await server({ noTermination: true });
    const c = connect(s);
    await c.ofType('Begin');
    c.frames(tone(300));
    c.json({ type: 'Terminate' });
    await c.message((m) => m.type === 'Turn' && m.end_of_turn === true && m.turn_order === 1, 'empty final');
    expect(c.finals().map((f) => f.transcript)).toEqual(['hello world', '']);
    await expectQuiet(c, 300);
    c.ws.close(1000);
    const r = await s.waitForSessionClosed(0);
    expect(r).toMatchObject({ terminated: true, terminationSent: false, closedBy: 'client', closeCode: 1000 });
  });
});

describe('faults and timers (docs/service.md#limits)', () => {
  it('errorAfter: Error then close with the same code, no Termination', async () => {
    const s = await server({ errorAfter: { afterMs: 30, code: 3005, message: 'Session Cancelled: An error occurred' } });
    const c = connect(s);
    await c.ofType('Begin');
    await expectErrorClose(c, 3005, 'Session Cancelled: An error occurred');
    const r = await s.waitForSessionClosed(0);
    expect(r).toMatchObject({ closedBy: 'server', closeCode: 3005, error: { code: 3005 } });
  });

  it('errorWithoutClose: an Error frame, then silence with the socket left open', async () => {
    const s = await server({ errorWithoutClose: { afterMs: 30, code: 3005, message: 'Session Cancelled: An error occurred' } });
    const c = connect(s);
    await c.ofType('Begin');
    await c.ofType('Error');
    c.json({ type: 'Terminate' });
    await s.waitFor((ss) => ss[0]?.texts.length === 1);
    await expectQuiet(c, 200);
    c.ws.close(1000);
    const r = await s.waitForSessionClosed(0);
    expect(r).toMatchObject({ closedBy: 'client', terminationSent: false, error: { code: 3005 } });
  });

  it('dropAfterMs: abrupt TCP drop after Begin, the client sees 1006', async () => {
    const s = await server({ dropAfterMs: 30 });
    const c = connect(s);
    // Not waited for on the client: a reset may discard a Begin the client had not read yet (a loaded machine
    // reads it later than 30 ms), as TCP does. The double's record says it was sent before the drop.
    expect((await c.closed()).code).toBe(1006);
    const r = await s.waitForSessionClosed(0);
    expect(r).toMatchObject({ closedBy: 'server', closeCode: 1006 });
    expect(r.sentMessages.map((m) => (m as { type?: string }).type)).toEqual(['Begin']);
  });

  it('noBegin: the socket opens and nothing ever comes', async () => {
    const s = await server({ noBegin: true, beginDelayMs: 10 });
    const c = connect(s);
    await c.opened();
    c.json({ type: 'Terminate' });
    await s.waitFor((ss) => ss[0]?.texts.length === 1);
    await expectQuiet(c, 300);
    expect(session(s).sentMessages).toEqual([]);
    c.ws.close(1000);
    expect((await s.waitForSessionClosed(0)).closedBy).toBe('client');
  });

  it('inactivity_timeout: 3006 after N seconds without messages, no Termination', async () => {
    const s = await server({ inactivityMsPerSecond: 40 });
    const c = connect(s, { params: { inactivity_timeout: '5' } });
    const opened = Date.now();
    await c.ofType('Begin');
    await expectErrorClose(c, 3006, 'User Input Validation Error: Session terminated due to inactivity: No messages received for 5 seconds');
    expect(Date.now() - opened).toBeGreaterThanOrEqual(190);
  });

  it('inactivity_timeout: KeepAlive and audio reset the timer', async () => {
    const s = await server({ inactivityMsPerSecond: 60 }); // 5 "seconds" = 300 ms
    const c = connect(s, { params: { inactivity_timeout: '5' } });
    await c.ofType('Begin');
    await new Promise<void>((resolve) => {
      let n = 0;
      const iv = setInterval(() => {
        if (n % 2 === 0) c.json({ type: 'KeepAlive' });
        else c.audio(silence(50));
        if (++n === 10) {
          clearInterval(iv);
          resolve();
        }
      }, 50);
    });
    expect(c.messages.some((m) => m.type === 'Error')).toBe(false); // 500 ms of activity outlived a 300 ms timeout
    await expectErrorClose(c, 3006, /No messages received for 5 seconds$/);
  });

  it('expiresInSeconds: Error 3008 and close 3008 at expires_at', async () => {
    const s = await server({ expiresInSeconds: 0.2 });
    const c = connect(s);
    const begin = await c.ofType('Begin');
    expect(Math.abs(Number(begin.expires_at) - Date.now() / 1000)).toBeLessThanOrEqual(1);
    await expectErrorClose(c, 3008, 'Session Expired: Maximum session duration exceeded');
  });

  it('terminationOnExpiry sends Termination before the 3008 Error', async () => {
    const s = await server({ expiresInSeconds: 0.2, terminationOnExpiry: true });
    const c = connect(s);
    await c.ofType('Error');
    expect(c.summary()).toEqual(['Begin', 'Termination', 'Error']);
    expect((await c.closed()).code).toBe(3008);
  });

  it('waitFor rejects with a description of the sessions', async () => {
    const s = await server();
    await expect(s.waitFor((ss) => ss.length > 0, 50)).rejects.toThrow(/timed out after 50 ms waiting for a fake-server condition[\s\S]*no sessions/);
    const c = connect(s);
    await c.ofType('Begin');
    await expect(s.waitForSessionClosed(0, 50)).rejects.toThrow(/sent=\[Begin\]/);
  });
});

describe('recognizer (pocketsphinx)', () => {
  let dir = '';
  let speech: Buffer = Buffer.alloc(0);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fake-server-test-'));
    const wav = join(dir, 'hello.wav');
    await sh(`espeak-ng -v en-us -s 150 --stdout "hello world" | sox -t wav - -r 16000 -c 1 -b 16 -e signed-integer ${wav}`);
    speech = wavData(await readFile(wav));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('recognizes espeak-ng speech exactly with a phrase grammar', async () => {
    const recognize = createPocketsphinxRecognizer(['hello world', 'good morning', 'testing one two three']);
    expect(await recognize(speech, 16000)).toBe('hello world');
    expect(await recognize(silence(500), 16000)).toBe('');
  });

  it('the fake server reports the recognized text, not the script, in the final', async () => {
    const s = await server({ script: ['good morning'], recognizer: createPocketsphinxRecognizer(['hello world', 'good morning']) });
    const c = connect(s, { params: { format_turns: 'true' } });
    await c.ofType('Begin');
    const padded = Buffer.concat([silence(200), speech, silence(50 - ((speech.length / 32) % 50))]);
    c.frames(padded);
    c.frames(silence(500));
    const finals = await c.count((m) => m.type === 'Turn' && m.end_of_turn === true, 2, 'finals', 15_000);
    expect(finals.map((f) => f.transcript)).toEqual(['hello world', 'Hello world.']);
    await terminate(c);
  });
});

// ---------------------------------------------------------------------------------------------------
// The service's real behaviours (issue 10)
// ---------------------------------------------------------------------------------------------------

const isFinal = (m: Msg): boolean => m.type === 'Turn' && m.end_of_turn === true;

/** Milliseconds from `since` until the first message matching pred arrives (client side). */
async function msUntil(c: TestClient, since: number, pred: (m: Msg) => boolean, what: string, timeoutMs = 5000): Promise<number> {
  await c.message(pred, what, timeoutMs);
  return Date.now() - since;
}

describe('timings: the real figures by default, fast on request (docs/service.md#begin, docs/service.md#client-messages, docs/service.md#terminate-and-termination)', () => {
  it('the figures: real Begin 1200, ForceEndpoint 270, Termination 900; fast 50 each', () => {
    expect(FAST_TIMINGS).toEqual({ beginDelayMs: 50, terminationDelayMs: 50, forceEndpointDelayMs: 50 });
    expect(REAL_TIMINGS).toEqual({ beginDelayMs: 1200, terminationDelayMs: 900, forceEndpointDelayMs: 270 });
  });

  it('with no option at all (startFakeServer directly) Begin waits the real 1.2 s', async () => {
    const s = await startFakeServer({});
    servers.push(s);
    const opened = Date.now();
    const c = connect(s);
    expect(await msUntil(c, opened, (m) => m.type === 'Begin', 'Begin')).toBeGreaterThanOrEqual(1150);
  });

  it('realTimings: false gives Begin well before the real 1.2 s', async () => {
    const s = await startFakeServer({ realTimings: false });
    servers.push(s);
    const opened = Date.now();
    const c = connect(s);
    expect(await msUntil(c, opened, (m) => m.type === 'Begin', 'Begin', 1000)).toBeLessThan(1000);
  });

  it('realTimings: Begin waits 1.2 s, ForceEndpoint 270 ms, Termination 900 ms after the flushed final', async () => {
    const s = await server({ realTimings: true });
    const opened = Date.now();
    const c = connect(s);
    expect(await msUntil(c, opened, (m) => m.type === 'Begin', 'Begin')).toBeGreaterThanOrEqual(1150);
    c.frames(tone(300));
    await c.count((m) => m.type === 'Turn', 2, 'partials');
    const forced = Date.now();
    c.json({ type: 'ForceEndpoint' });
    expect(await msUntil(c, forced, isFinal, 'forced final')).toBeGreaterThanOrEqual(250);
    const terminated = Date.now();
    c.json({ type: 'Terminate' });
    expect(await msUntil(c, terminated, (m) => m.type === 'Termination', 'Termination')).toBeGreaterThanOrEqual(880);
  });

  it('an explicit delay wins over realTimings; forceEndpointDelayMs sets the ForceEndpoint delay', async () => {
    const s = await server({ realTimings: true, beginDelayMs: 10, forceEndpointDelayMs: 400 });
    const c = connect(s);
    await c.ofType('Begin', 1000); // far less than the real 1.2 s
    c.frames(tone(300));
    await c.count((m) => m.type === 'Turn', 2, 'partials');
    const forced = Date.now();
    c.json({ type: 'ForceEndpoint' });
    expect(await msUntil(c, forced, isFinal, 'forced final')).toBeGreaterThanOrEqual(380);
  });
});

/** Runs bench/sdk-client.mjs (the benchmark's reference client, AssemblyAI's SDK) with `args`; bounded. */
function runSdkClient(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [join(ROOT, 'bench', 'sdk-client.mjs'), ...args], { env, timeout: 20_000 }, (err, stdout, stderr) => {
      if (err !== null && typeof err.code !== 'number') reject(new Error(`sdk-client.mjs: ${err.message}\n${stderr}`));
      else resolve({ code: child.exitCode, stdout, stderr });
    });
  });
}

describe("the benchmark's reference client (AssemblyAI's SDK) at the real timings (docs/service.md#begin)", () => {
  // The SDK's own connect timeout (1000 ms, handshake and Begin together, retried twice) is shorter than the
  // service's Begin (~1.2 s): with it, this client never started against the double at its real timings (three
  // sessions opened and dropped, no Begin), which is why the bench once ran the double fast. The launcher now
  // allows 10 s; this fails if it stops doing so, or if the double's Begin stops being the real one.
  it('bench/sdk-client.mjs gets Begin from a TLS double at the real Begin delay, in one session', async () => {
    const tlsDir = join(ROOT, 'test', 'fixtures', 'tls');
    const cert = join(tlsDir, 'localhost-cert.pem');
    const s = await server({ realTimings: true, tls: { cert: await readFile(cert), key: await readFile(join(tlsDir, 'localhost-key.pem')) } });
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ASSEMBLYAI_API_KEY: KEY, NODE_EXTRA_CA_CERTS: cert };
    const r = await runSdkClient([s.url, '--connect-only'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/timed out|retrying/);
    const waited = Number(/^Begin (\d+)$/m.exec(r.stdout)?.[1]);
    expect(waited).toBeGreaterThanOrEqual(REAL_TIMINGS.beginDelayMs - 50); // beyond the SDK's stock 1000 ms
    expect(s.sessions).toHaveLength(1);
    expect(s.sessions[0]?.id).toMatch(UUID_RE);
    await s.waitForSessionClosed(0, 5000);
    expect(s.sessions[0]?.terminated).toBe(true); // it ended the session cleanly (Terminate)
  });
});

describe('rate limit at 8.5 s of lead (docs/service.md#audio)', () => {
  it('accepts 8 s of audio sent at once, refuses 9 s', async () => {
    expect(DEFAULT_MAX_LEAD_SECONDS).toBe(8.5);
    const s = await server();
    const ok = connect(s);
    await ok.ofType('Begin');
    ok.frames(silence(8000), 1000);
    await s.waitFor((ss) => ss[0]?.frames.length === 8);
    expect((await terminate(ok)).audio_duration_seconds).toBe(8);
    const fast = connect(s);
    await fast.ofType('Begin');
    fast.frames(silence(9000), 1000);
    await expectErrorClose(fast, 3007, /^Input Duration Error: Audio Transmission Rate Exceeded: Received 9\.0 sec\. audio in /);
  });
});

describe('Heartbeat (docs/service.md#other-messages)', () => {
  it('session_heartbeat=true: a Heartbeat every heartbeatIntervalMs with the counters', async () => {
    const s = await server({ heartbeatIntervalMs: 300 });
    const c = connect(s, { params: { session_heartbeat: 'true' } });
    await c.ofType('Begin');
    c.frames(tone(300));
    const [first, second] = await c.count((m) => m.type === 'Heartbeat', 2, 'heartbeats');
    expect(Object.keys(first ?? {}).sort()).toEqual([
      'max_speech_probability',
      'realtime_factor',
      'total_audio_received_ms',
      'total_duration_ms',
      'type',
    ]);
    expect(first).toMatchObject({ total_audio_received_ms: 300, max_speech_probability: SPEECH_PROBABILITY });
    const duration = Number(first?.total_duration_ms);
    expect(duration).toBeGreaterThanOrEqual(300);
    expect(Number(first?.realtime_factor)).toBeCloseTo(300 / duration, 3);
    // No audio in the second interval: no speech heard in it.
    expect(second).toMatchObject({ total_audio_received_ms: 300, max_speech_probability: 0 });
    expect(Number(second?.total_duration_ms)).toBeGreaterThan(duration);
  });

  it('no Heartbeat unless asked for; heartbeatAlways sends them anyway', async () => {
    const s = await server({ heartbeatIntervalMs: 100 });
    const quiet = connect(s);
    await quiet.ofType('Begin');
    await expectQuiet(quiet, 400);
    const s2 = await server({ heartbeatIntervalMs: 100, heartbeatAlways: true });
    const c = connect(s2);
    await c.ofType('Begin');
    expect((await c.ofType('Heartbeat')).total_audio_received_ms).toBe(0);
  });
});

describe('speakers (docs/service.md#turns, docs/service.md#terminate-and-termination, docs/service.md#turns)', () => {
  it('finals carry speaker_label and word speaker/speaker_confidence, cycling `speakers`; short turns are PENDING', async () => {
    const s = await server({ speakers: ['A', 'B'], script: ['hello world', 'good morning', 'yes'] });
    const c = connect(s, { params: { speaker_labels: 'true' } });
    await c.ofType('Begin');
    for (const speechMs of [300, 300, 100]) {
      c.frames(tone(speechMs));
      c.frames(silence(400));
    }
    const finals = await c.count(isFinal, 3, 'finals');
    expect(finals.map((f) => [f.turn_order, f.speaker_label])).toEqual([
      [0, 'A'],
      [1, 'B'],
      [2, 'PENDING'],
    ]);
    for (const f of finals) {
      expect(typeof f.speaker_confidence).toBe('number');
      for (const w of f.words as Msg[]) expect(w).toMatchObject({ speaker: f.speaker_label, speaker_confidence: expect.any(Number) as number });
    }
    for (const p of c.turns().filter((m) => m.end_of_turn !== true)) expect(p).not.toHaveProperty('speaker_label');
  });

  it('Terminate: SpeakerRevision settles the PENDING turns, right before Termination', async () => {
    const s = await server({ speakers: ['A', 'B'], script: ['hello world', 'yes'] });
    const c = connect(s, { params: { speaker_labels: 'true' } });
    await c.ofType('Begin');
    c.frames(tone(300));
    c.frames(silence(400));
    c.frames(tone(100));
    c.frames(silence(400));
    await c.count(isFinal, 2, 'finals');
    await terminate(c);
    const types = c.messages.map((m) => m.type);
    expect(types.slice(-2)).toEqual(['SpeakerRevision', 'Termination']);
    const revision = c.messages.at(-2);
    expect(revision).toEqual({
      type: 'SpeakerRevision',
      revisions: [
        {
          turn_order: 1,
          speaker_label: 'B',
          words: [expect.objectContaining({ text: 'yes', speaker: 'B', word_is_final: true }) as Msg],
        },
      ],
    });
  });

  it('no SpeakerRevision without speaker_labels (unless speakerRevisionAlways)', async () => {
    const s = await server();
    const c = connect(s);
    await c.ofType('Begin');
    await terminate(c);
    expect(c.messages.some((m) => m.type === 'SpeakerRevision')).toBe(false);
    const s2 = await server({ speakerRevisionAlways: true });
    const d = connect(s2);
    await d.ofType('Begin');
    await terminate(d);
    expect(d.messages.map((m) => m.type).slice(-2)).toEqual(['SpeakerRevision', 'Termination']);
  });
});

describe('SpeechStarted (docs/service.md#other-messages, docs/service.md#turns)', () => {
  it.each(['universal-3-6-pro', 'u3-rt-pro'])('%s: SpeechStarted at the start of speech, before the first partial', async (model) => {
    const s = await server();
    const c = connect(s, { params: { speech_model: model } });
    await c.ofType('Begin');
    c.frames(silence(500));
    c.frames(tone(300));
    await c.ofType('Turn');
    const started = c.messages.filter((m) => m.type === 'SpeechStarted');
    expect(started).toEqual([{ type: 'SpeechStarted', timestamp: 500, confidence: expect.any(Number) as number }]);
    expect(c.messages.findIndex((m) => m.type === 'SpeechStarted')).toBeLessThan(c.messages.findIndex((m) => m.type === 'Turn'));
  });

  it('Universal-Streaming never sends SpeechStarted', async () => {
    const s = await server();
    const c = connect(s);
    await c.ofType('Begin');
    c.frames(tone(300));
    c.frames(silence(400));
    await c.message(isFinal, 'final');
    expect(c.messages.some((m) => m.type === 'SpeechStarted')).toBe(false);
  });
});

describe('concurrency refusal at connect (docs/service.md#limits)', () => {
  it.each([3009, 1008] as const)('%s: the refused attempts get Error + close with the code after the 101, no Begin', async (code) => {
    const s = await server({ concurrencyRefusal: { code, afterSessions: 1, count: 2 } });
    const first = connect(s);
    await first.ofType('Begin');
    for (const i of [1, 2]) {
      const refused = connect(s);
      await refused.opened(); // after the 101
      await expectErrorClose(refused, code, TOO_MANY_SESSIONS_MESSAGE);
      expect(refused.messages.map((m) => m.type)).toEqual(['Error']);
      expect(s.sessions[i]).toMatchObject({ authorized: true, id: '', error: { code } });
    }
    const later = connect(s);
    await later.ofType('Begin');
    expect(s.sessions).toHaveLength(4);
  });

  it('count defaults to 1', async () => {
    const s = await server({ concurrencyRefusal: { code: 3009, afterSessions: 0 } });
    await expectErrorClose(connect(s), 3009, TOO_MANY_SESSIONS_MESSAGE);
    await connect(s).ofType('Begin');
  });
});

describe('models, sample rates, languages, tokens (docs/service.md#connecting)', () => {
  it('accepts every model of docs/service.md#connecting; the 3006 for an unknown one lists them', async () => {
    const s = await server();
    for (const model of ['universal-3-6-pro', 'universal-3-5-pro', 'universal-3-6', 'universal-3-7-preview', 'u3-rt-pro', 'whisper-rt']) {
      expect(SPEECH_MODELS).toContain(model);
      await connect(s, { params: { speech_model: model } }).ofType('Begin');
    }
    const err = await expectErrorClose(connect(s, { params: { speech_model: 'nope' } }), 3006, /Invalid 'speech_model'/);
    for (const model of SPEECH_MODELS) expect(String(err.error)).toContain(`'${model}'`);
  });

  it('sample_rate 8000-96000 (docs/service.md#connecting)', async () => {
    const s = await server();
    for (const rate of ['8000', '96000']) await connect(s, { params: { sample_rate: rate } }).ofType('Begin');
    await expectErrorClose(connect(s, { params: { sample_rate: '96001' } }), 3006, /^User Input Validation Error: Invalid 'sample_rate': /);
    await expectErrorClose(connect(s, { params: { sample_rate: '7999' } }), 3006, /at least 8,000 Hz/);
  });

  it('language_detection=true: finals carry language_code and language_confidence (docs/service.md#turns)', async () => {
    const s = await server();
    const c = connect(s, { params: { speech_model: 'universal-3-6-pro', language_detection: 'true' } });
    await c.ofType('Begin');
    c.frames(tone(300));
    c.frames(silence(400));
    const fin = await c.message(isFinal, 'final');
    expect(fin).toMatchObject({ language_code: 'en', language_confidence: expect.any(Number) as number });
    for (const p of c.turns().filter((m) => m.end_of_turn !== true)) expect(p).not.toHaveProperty('language_confidence');
  });

  it('singleUseTokens: a reused token gets Error 1008 and close 1008 (docs/service.md#reconnecting-and-rollover)', async () => {
    const s = await server({ singleUseTokens: true, tokens: ['tok-1'] });
    const res = await fetch(`${s.url.replace(/^ws:/, 'http:')}/v3/token?expires_in_seconds=60`, { headers: { Authorization: KEY } });
    const { token } = (await res.json()) as { token: string };
    for (const t of [token, 'tok-1']) {
      await connect(s, { params: { token: t }, headers: {} }).ofType('Begin');
      await expectErrorClose(connect(s, { params: { token: t }, headers: {} }), 1008, TOKEN_USED_MESSAGE);
    }
    // An API key is not a token: it can be used again and again.
    await connect(s).ofType('Begin');
    await connect(s).ofType('Begin');
  });
});
