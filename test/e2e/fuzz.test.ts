/**
 * Fuzz of server messages: whatever the server sends after `Begin`, the client never crashes, never prints
 * garbage (no control character but "\n" on stdout or stderr, no ESC), and still stops cleanly.
 *
 * A small raw `ws` server (not the strict test double: it sends what no real server would) sends `Begin`,
 * then a burst chosen by a seeded PRNG (xorshift32; the seed is in every assertion message), then a valid
 * final `Turn` with known text. The test sends SIGINT; the server answers `Terminate` with a `Termination`
 * whose fields have the wrong types, and closes with 1000. A few messages end a session by design (a legacy
 * `{"error": ...}`, an invalid UTF-8 text frame, an unsolicited `Termination`): each has its own case.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { makeFakeSoxDir } from '../support/fake-sox.js';
import { makeSpeechWav } from '../support/audio.js';
import { cleanEnv, runCli, SECOND_TEST_KEY, type CliRun } from '../support/cli.js';
import { seeded } from '../support/seeded.js';
import { waitUntil } from '../support/wait.js';
import { startFakeServer } from '../support/fake-server.js';
import { parseNdjsonStrict, parseSrtStrict, parseVttStrict } from '../support/captions.js';

const execFileP = promisify(execFile);

// ---------------------------------------------------------------------------------------------------
// Seeded generation
// ---------------------------------------------------------------------------------------------------

interface Rng {
  next: () => number;
  int: (n: number) => number;
  pick: <T>(items: readonly T[]) => T;
  chance: (p: number) => boolean;
}

function rng(seed: number): Rng {
  const next = seeded(seed);
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)]!, chance: (p) => next() < p };
}

/** One frame the server sends: text (a string, or raw bytes sent with the text opcode) or binary. */
interface Frame {
  kind: string;
  data: string | Buffer;
  binary?: boolean;
}

const text = (kind: string, value: unknown): Frame => ({ kind, data: JSON.stringify(value) });
const raw = (kind: string, data: string): Frame => ({ kind, data });

/** Hostile strings: terminal escapes, bell, carriage return, the C1 CSI, NUL, DEL, line separators. */
const NASTY = [
  '\u001b[2J',
  '\u001b[H\u001b[31mred',
  '\u0007',
  '\r',
  '\u009b31m',
  '\u009d0;title\u0007',
  '\u0000',
  '\u007f',
  '\b\b\b',
  '\u001b]0;pwned\u0007',
  '\u001bc',
  '\u2028\u2029',
  '\t\v\f',
  '\ud800', // a lone surrogate
];
const WORDS = ['hello', 'world', 'fuzz', 'turn', 'ünïcødé', '日本語', '🙂', 'a'];

function nastyString(r: Rng): string {
  const parts: string[] = [];
  const n = 1 + r.int(6);
  for (let i = 0; i < n; i += 1) parts.push(r.chance(0.5) ? r.pick(NASTY) : r.pick(WORDS));
  return parts.join(r.chance(0.5) ? ' ' : '');
}

const ODD_NUMBERS = [0, -1, -0.5, 0.5, 1.5, 2 ** 31, 2 ** 53 + 2, 1e21, 1e300, -1e300, Number.MAX_SAFE_INTEGER];
/**
 * `type` values of random shapes. Not Error or Termination (they end the session: own cases below), not
 * Warning (printed on stderr: its own case below).
 */
const TYPE_NAMES = ['Turn', 'Begin', 'SpeechStarted', 'SpeakerRevision', 'LLMGatewayResponse', 'turn', 'TURN', '', 'Turn '];

/** A random JSON value of bounded depth. Never a legacy error ({"error": "..."}): that one ends the session. */
function randomValue(r: Rng, depth: number): unknown {
  const roll = r.int(depth <= 0 ? 5 : 8);
  switch (roll) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick(ODD_NUMBERS);
    case 3:
      return nastyString(r);
    case 4:
      return r.pick(WORDS);
    case 5:
    case 6: {
      const a: unknown[] = [];
      for (let i = r.int(5); i > 0; i -= 1) a.push(randomValue(r, depth - 1));
      return a;
    }
    default: {
      const o: Record<string, unknown> = {};
      const keys = ['type', 'turn_order', 'transcript', 'words', 'end_of_turn', 'id', 'text', '', '__proto__', 'constructor', 'x'];
      for (let i = r.int(5); i > 0; i -= 1) {
        const k = r.pick(keys);
        // defineProperty: a real "__proto__" key in the JSON, not a prototype.
        Object.defineProperty(o, k, {
          value: k === 'type' ? r.pick(TYPE_NAMES) : randomValue(r, depth - 1),
          enumerable: true,
          configurable: true,
          writable: true,
        });
      }
      return o;
    }
  }
}

interface TurnFields {
  turn_order: unknown;
  end_of_turn: unknown;
  turn_is_formatted: unknown;
  transcript: unknown;
  words: unknown;
  end_of_turn_confidence: unknown;
  language_code?: unknown;
}

function words(textValue: string, startMs = 100): { text: string; start: number; end: number; confidence: number; word_is_final: boolean }[] {
  return textValue
    .split(' ')
    .map((w, i) => ({ text: w, start: startMs + i * 300, end: startMs + i * 300 + 250, confidence: 0.9, word_is_final: true }));
}

function turn(fields: Partial<TurnFields> & { turn_order: unknown }): Record<string, unknown> {
  return {
    type: 'Turn',
    end_of_turn: false,
    turn_is_formatted: false,
    transcript: '',
    words: [],
    end_of_turn_confidence: 0.5,
    ...fields,
  };
}

/**
 * A random top-level shape that happens to be a well-formed final Turn is made a partial when finals are not
 * allowed, or when its turn_order is at or above the known final's (it would hold that final back: turns are
 * committed in turn_order, and a later lower one is a late duplicate).
 */
function defuse(value: unknown, finals: boolean): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const m = value as Record<string, unknown>;
  if (m.type === 'Turn' && m.end_of_turn === true && (!finals || typeof m.turn_order !== 'number' || m.turn_order >= KNOWN_TURN_ORDER))
    m.end_of_turn = false;
  return m;
}

/** turn_order of the known final: above anything the burst can commit. */
const KNOWN_TURN_ORDER = 1_000_000;

/** Wrong types (and wrong values) for each Turn field. */
const WRONG: Record<keyof TurnFields, unknown[]> = {
  turn_order: ['3', -1, 1.5, NaN, null, {}, [], true, '0x10'],
  end_of_turn: ['true', 1, 0, null, 'false', {}, []],
  turn_is_formatted: ['yes', 1, null, {}],
  transcript: [42, { text: 'object' }, ['array'], null, true, -0],
  words: [
    'hello world',
    42,
    null,
    {},
    { 0: { text: 'x' } },
    [null, null],
    [null, { text: 5 }, 'w', 7, [], { text: null }, { start: 'x' }],
    [{ text: 'ok', start: '1', end: {}, confidence: 'high' }],
  ],
  end_of_turn_confidence: ['0.9', null, {}, -5, 1e300],
  language_code: [5, null, {}, 'en\u001b[2J'],
};
/** Integer turn_orders that parse but are absurd: only in partials, so they can never hold back a later final. */
const HUGE_TURN_ORDERS = [2 ** 31, 2 ** 53 + 2, 1e21, 1e300];

interface BurstOptions {
  /** Valid finals (and garbage finals that still parse) may be in the burst. false: nothing may ever commit. */
  finals: boolean;
}

/** Builds the burst for one seed: one of every category (shuffled), then random extras. */
function makeBurst(seed: number, o: BurstOptions): Frame[] {
  const r = rng(seed);
  // turn_order of the next final. From 1: a random shape may commit a final with turn_order 0.
  let order = 1;
  const validTurn = (final: boolean, textValue: string): Frame => {
    const t = turn({
      turn_order: order,
      end_of_turn: final,
      turn_is_formatted: final && r.chance(0.5),
      transcript: textValue,
      words: words(textValue),
      end_of_turn_confidence: 0.8,
    });
    if (final) order += 1;
    return text(final ? 'valid final' : 'valid partial', t);
  };
  const wrongTurn = (): Frame => {
    const field = r.pick(Object.keys(WRONG) as (keyof TurnFields)[]);
    // The base is a partial unless finals are allowed (then it may be a final that still parses).
    const base: TurnFields = {
      turn_order: order,
      end_of_turn: o.finals && r.chance(0.5),
      turn_is_formatted: r.chance(0.5),
      transcript: r.pick(WORDS),
      words: words(r.pick(WORDS)),
      end_of_turn_confidence: 0.7,
    };
    const value = r.pick(WRONG[field]);
    // A final that still parses commits its turn_order: the next final needs a higher one.
    if (base.end_of_turn === true) order += 1;
    return text(`Turn with ${field} = ${JSON.stringify(value) ?? String(value)}`, turn({ ...base, [field]: value }));
  };
  const hugeTurnOrder = (): Frame =>
    text('partial with a huge turn_order', turn({ turn_order: r.pick(HUGE_TURN_ORDERS), transcript: 'huge order', words: words('huge order') }));
  const megabyte = 'x'.repeat(1024 * 1024);
  const deepArray = (n: number): string => '['.repeat(n) + ']'.repeat(n);
  const deepObject = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

  // Built when sent (after the shuffle), so every final gets the next turn_order in sending order.
  const must: (() => Frame)[] = [
    // random JSON shapes
    () => raw('null', 'null'),
    () => raw('number', '42'),
    () => raw('string', '"Turn"'),
    () => raw('empty array', '[]'),
    () => raw('empty object', '{}'),
    () => raw('not JSON', '{"type":"Turn",'),
    () => raw('empty frame', ''),
    () => text('type as a number', { type: 5, transcript: 'five' }),
    () => text('type as an array', { type: ['Turn'], turn_order: 0, end_of_turn: true, transcript: 'array type' }),
    () => text('type null', { type: null }),
    () => text('random shape', defuse(randomValue(r, 4), o.finals)),
    // Turns with wrong types in every field
    ...(Object.keys(WRONG) as (keyof TurnFields)[]).map(
      (field) => () =>
        text(
          `Turn with wrong ${field}`,
          turn({
            turn_order: order,
            end_of_turn: field === 'end_of_turn' ? 'true' : false,
            [field]: WRONG[field][0],
            transcript: field === 'transcript' ? WRONG.transcript[1] : 'wrong field',
          }),
        ),
    ),
    () => text('Turn without fields', { type: 'Turn' }),
    () => hugeTurnOrder(),
    // huge strings
    () =>
      text(
        '1 MB partial transcript',
        turn({ turn_order: order, transcript: megabyte, words: [{ text: megabyte, start: 0, end: 1, confidence: 1 }] }),
      ),
    () => text('1 MB unknown message', { type: 'SpeechStarted', blob: megabyte }),
    // control characters and escapes
    () =>
      text(
        'partial with escapes',
        turn({ turn_order: order, transcript: nastyString(r), words: [{ text: nastyString(r), start: 0, end: 1, confidence: 1 }] }),
      ),
    () => text('second Begin with escapes', { type: 'Begin', id: '\u001b[2J\u0007', expires_at: 'never' }),
    // binary frames
    () => ({ kind: 'binary noise', data: Buffer.from(Array.from({ length: 64 }, () => r.int(256))), binary: true }),
    () => ({
      kind: 'binary Turn',
      data: Buffer.from(JSON.stringify(turn({ turn_order: order, end_of_turn: true, transcript: 'binary frame' }))),
      binary: true,
    }),
    // unknown types
    () => text('unknown type', { type: 'SpeakerRevision', revisions: [{ speaker: '\u001b[2J' }] }),
    () => text('unknown type, lowercase turn', { type: 'turn', turn_order: order, end_of_turn: true, transcript: 'lowercase type' }),
    () => text('Warning with wrong types', { type: 'Warning', warning_code: 'x', warning: 42 }),
    () => text('Warning, clean', { type: 'Warning', warning_code: 3001, warning: 'fuzz warning, nothing to see' }),
    // very deep nesting
    () => raw('10,000 nested arrays', deepArray(10_000)),
    () => raw('10,000 nested objects', deepObject(10_000)),
    () => raw('100,000 nested arrays, unbalanced', '['.repeat(100_000)),
    () =>
      raw(
        'Turn with 10,000-deep words',
        `{"type":"Turn","turn_order":${order},"end_of_turn":false,"transcript":"deep","words":${deepArray(10_000)}}`,
      ),
  ];
  if (o.finals) {
    must.push(() => validTurn(true, 'valid final one'));
    must.push(() =>
      text(
        '1 MB final transcript',
        turn({ turn_order: order++, end_of_turn: true, turn_is_formatted: true, transcript: `Big ${'y'.repeat(1024 * 1024)}` }),
      ),
    );
    must.push(() =>
      text(
        'final with escapes',
        turn({
          turn_order: order++,
          end_of_turn: true,
          turn_is_formatted: true,
          transcript: `Escapes ${nastyString(r)} end.`,
          words: words('e s c'),
        }),
      ),
    );
    must.push(() =>
      text(
        'final with transcript as object, words with nulls',
        turn({
          turn_order: order++,
          end_of_turn: true,
          turn_is_formatted: true,
          transcript: { a: 1 },
          words: [null, { text: 'from' }, 7, { text: 'words' }],
        }),
      ),
    );
  }
  // shuffle (Fisher-Yates)
  for (let i = must.length - 1; i > 0; i -= 1) {
    const j = r.int(i + 1);
    [must[i], must[j]] = [must[j]!, must[i]!];
  }
  const burst: Frame[] = [];
  for (const make of must) {
    burst.push(make());
    // random extras between the fixed ones
    for (let k = r.int(3); k > 0; k -= 1) {
      const roll = r.int(6);
      if (roll === 0) burst.push(text('random shape', defuse(randomValue(r, 5), o.finals)));
      else if (roll === 1) burst.push(wrongTurn());
      else if (roll === 2) burst.push(validTurn(false, `${r.pick(WORDS)} ${r.pick(WORDS)}`));
      else if (roll === 3 && o.finals) burst.push(validTurn(true, `valid ${r.pick(WORDS)}`));
      else if (roll === 4)
        burst.push(text('partial with escapes', turn({ turn_order: order, transcript: nastyString(r), words: [{ text: nastyString(r) }] })));
      else burst.push(hugeTurnOrder());
    }
  }
  return burst;
}

/** The final Turn with known text, after the burst: its turn_order is above any the burst can commit. */
function knownFinal(knownText: string): string {
  return JSON.stringify(
    turn({
      turn_order: KNOWN_TURN_ORDER,
      end_of_turn: true,
      turn_is_formatted: true,
      transcript: knownText,
      words: words(knownText),
      end_of_turn_confidence: 0.95,
    }),
  );
}

// ---------------------------------------------------------------------------------------------------
// A raw server
// ---------------------------------------------------------------------------------------------------

interface RawSession {
  ws: WebSocket;
  /** The Begin id sent. */
  id: string;
  /** Client text messages (parsed when JSON). */
  texts: unknown[];
  audioFrames: number;
  closed: boolean;
  closeCode?: number;
}

interface RawServer {
  url: string;
  /** One per connection (a client that reconnects opens more). */
  sessions: RawSession[];
  /** Resolves when pred holds (checked on every event); rejects after timeoutMs. */
  waitFor: (pred: () => boolean, what: string, timeoutMs?: number) => Promise<void>;
  /** Session #index once Begin was sent and, with `audio`, its first audio frame arrived. */
  session: (index: number, o?: { audio?: boolean; timeoutMs?: number }) => Promise<RawSession>;
  close: () => Promise<void>;
}

const TERMINATION_WRONG_TYPES = { type: 'Termination', audio_duration_seconds: '7', session_duration_seconds: { s: 8 } };

/**
 * Accepts any Authorization on /v3/ws, sends Begin (`begin`, or a valid one with id fuzz-session-000N), and
 * answers Terminate with a Termination whose fields have the wrong types, then closes with 1000. Everything
 * else the test sends itself.
 */
async function startRawServer(o: { begin?: Record<string, unknown> } = {}): Promise<RawServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/v3/ws' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const sessions: RawSession[] = [];
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const l of [...listeners]) l();
  };
  const waitFor = (pred: () => boolean, what: string, timeoutMs = 10_000): Promise<void> =>
    waitUntil(pred, {
      timeoutMs,
      intervalMs: 1000,
      what: `raw server: ${what}`,
      subscribe: (wake) => {
        listeners.add(wake);
        return () => listeners.delete(wake);
      },
    }).then(() => undefined);
  wss.on('connection', (ws) => {
    const id = `fuzz-session-${String(sessions.length + 1).padStart(4, '0')}`;
    const s: RawSession = { ws, id, texts: [], audioFrames: 0, closed: false };
    sessions.push(s);
    ws.on('error', () => {});
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        s.audioFrames += 1;
        notify();
        return;
      }
      let msg: unknown;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        msg = data.toString();
      }
      s.texts.push(msg);
      if ((msg as { type?: string } | null)?.type === 'Terminate' && ws.readyState === ws.OPEN) {
        ws.send(JSON.stringify(TERMINATION_WRONG_TYPES));
        ws.close(1000, 'Session Ended');
      }
      notify();
    });
    ws.on('close', (code) => {
      s.closed = true;
      s.closeCode = code;
      notify();
    });
    ws.send(JSON.stringify(o.begin ?? { type: 'Begin', id, expires_at: Math.floor(Date.now() / 1000) + 3600 }));
    notify();
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    sessions,
    waitFor,
    session: async (index, so = {}) => {
      await waitFor(
        () => (sessions[index]?.audioFrames ?? -1) >= (so.audio === false ? 0 : 1),
        `session #${index}${so.audio === false ? '' : ' with audio'}`,
        so.timeoutMs,
      );
      return sessions[index]!;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

/** Sends frames in order, yielding to the event loop now and then so audio and messages interleave. */
async function sendAll(ws: WebSocket, frames: readonly Frame[]): Promise<void> {
  for (const [i, f] of frames.entries()) {
    if (ws.readyState !== ws.OPEN) return;
    await new Promise<void>((resolve) => ws.send(f.data, { binary: f.binary === true }, () => resolve()));
    if (i % 8 === 7) await new Promise((r) => setTimeout(r, 5));
  }
}

// ---------------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------------

/** C0 (but \n), DEL and C1 control characters; ESC is among them. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

function controlCharReport(name: string, value: string): string | undefined {
  const m = CONTROL.exec(value);
  if (m === null) return undefined;
  const code = m[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase();
  return `${name} has control character U+${code} at offset ${m.index}: ${JSON.stringify(value.slice(Math.max(0, m.index - 30), m.index + 30))}`;
}

/** What must hold for every run: no garbage, no crash report. */
function expectClean(cli: CliRun, seed: string): void {
  const out = cli.stdout();
  const err = cli.stderr();
  expect.soft(controlCharReport('stdout', out), `${seed}: stdout is clean`).toBeUndefined();
  expect.soft(controlCharReport('stderr', err), `${seed}: stderr is clean`).toBeUndefined();
  expect.soft(err, `${seed}: no crash report on stderr`).not.toMatch(/unexpected failure|this is a bug|\n\s+at .+:\d+:\d+/);
  expect.soft(err, `${seed}: no raw JavaScript error on stderr`).not.toMatch(/\b(RangeError|TypeError|SyntaxError|ReferenceError)\b/);
  expect.soft(err, `${seed}: no Node.js process warning on stderr`).not.toMatch(/\(node:\d+\) \w*Warning/);
  expect.soft(err, `${seed}: no negative durations on stderr`).not.toMatch(/(^|\s)-\d[\d.e+]* s\b/m);
}

const short = (s: string): string => (s.length > 2000 ? `${s.slice(0, 1000)}\n...[${s.length - 2000} characters]...\n${s.slice(-1000)}` : s);

const escapeRe = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** waitForStdout, with a failure message of bounded size (stdout may hold a 1 MB line). */
async function waitOut(cli: CliRun, pattern: RegExp, tag: string, timeoutMs = 10_000): Promise<void> {
  await cli.waitForStdout(pattern, timeoutMs).catch((e: Error) => {
    throw new Error(`${tag}: ${short(e.message)}`);
  });
}

/** SIGINT, then the exit code and how long the exit took. */
/** SIGINT, then the exit code; rejects (the test fails) if the client has not exited within 15 s. */
async function interrupt(cli: CliRun): Promise<number> {
  cli.signal('SIGINT');
  return cli.exit(15_000);
}

/** Within timeoutMs: the process exited (with its code), session #index opened, or neither. */
async function exitOrNewSession(
  cli: CliRun,
  s: RawServer,
  index: number,
  timeoutMs: number,
): Promise<{ code: number } | 'new session' | 'still running'> {
  return Promise.race([
    cli.exit(60_000).then((code) => ({ code })),
    s.session(index, { audio: false, timeoutMs }).then(
      () => 'new session' as const,
      () => 'still running' as const,
    ),
  ]);
}

// ---------------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------------

let dir: string;
let speechWav: string;
let silenceRaw: string;
let servers: RawServer[] = [];
let clis: CliRun[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-fuzz-'));
  speechWav = path.join(dir, 'hello.wav');
  await makeSpeechWav('hello world', speechWav);
  silenceRaw = path.join(dir, 'silence.raw');
  await writeFile(silenceRaw, Buffer.alloc(32_000));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const c of clis) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  clis = [];
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function server(o: Parameters<typeof startRawServer>[0] = {}): Promise<RawServer> {
  const s = await startRawServer(o);
  servers.push(s);
  return s;
}

async function client(s: RawServer, args: string[] = [], audio: 'speech' | 'silence' = 'speech'): Promise<CliRun> {
  const soxDir = await makeFakeSoxDir('stream-file', { rawPath: audio === 'speech' ? speechWav : silenceRaw, chunkBytes: 980, intervalMs: 30 });
  const cli = runCli(['--api-host', s.url, ...args], cleanEnv({ ASSEMBLYAI_API_KEY: SECOND_TEST_KEY, PATH: `${soxDir}:${process.env.PATH ?? ''}` }));
  clis.push(cli);
  return cli;
}

const hex = (seed: number): string => `seed 0x${seed.toString(16)}`;

describe('fuzz: a burst of hostile messages after Begin, then a valid final', () => {
  it.each([
    { name: '0x1f2e3d4c, text', seed: 0x1f2e3d4c, args: [] as string[], audio: 'speech' as const },
    { name: '0xc0ffee, --no-format-turns, silence', seed: 0xc0ffee, args: ['--no-format-turns'], audio: 'silence' as const },
    { name: '0xbadf00d, --format json --partials', seed: 0xbadf00d, args: ['--format', 'json', '--partials'], audio: 'speech' as const },
  ])('seed $name: exit 0, the known text last, nothing but text', async ({ seed, args, audio }) => {
    const tag = hex(seed);
    const known = `Known final for ${tag}, café.`;
    const s = await server();
    const cli = await client(s, args, audio);
    const session = await s.session(0);
    const burst = makeBurst(seed, { finals: true });
    await sendAll(session.ws, burst);
    session.ws.send(knownFinal(known));
    const json = args.includes('json');
    await waitOut(cli, json ? new RegExp(`"text":"${escapeRe(known)}"`) : new RegExp(`${escapeRe(known)}\\n`), tag, 15_000);
    const code = await interrupt(cli);
    const err = `${tag}: a burst of ${burst.length} frames: ${short(burst.map((f) => f.kind).join(' | '))}\nstderr:\n${short(cli.stderr())}\nstdout:\n${short(cli.stdout())}`;
    expect.soft(code, `${err}\n${tag}: exit code`).toBe(0);
    expectClean(cli, tag);
    expect.soft(cli.stderr(), `${tag}: summary`).toMatch(/Session ended: \d+ s of audio processed/);
    const lines = cli.stdout().split('\n');
    expect.soft(lines.pop(), `${tag}: stdout ends with a newline`).toBe('');
    if (json) {
      const events = lines.map((l, i) => {
        try {
          return JSON.parse(l) as { type: string; text?: string };
        } catch {
          throw new Error(`${tag}: stdout line ${i} is not JSON: ${JSON.stringify(l.slice(0, 200))}`);
        }
      });
      expect
        .soft(
          events.map((e) => e.type).filter((t) => !['begin', 'partial', 'turn', 'termination'].includes(t)),
          `${tag}: event types`,
        )
        .toEqual([]);
      expect.soft(events.filter((e) => e.type === 'turn').pop()?.text, `${tag}: last turn`).toBe(known);
      expect.soft(events.pop()?.type, `${tag}: last event`).toBe('termination');
    } else {
      expect.soft(lines.pop(), `${tag}: last line`).toBe(known);
    }
    // The burst got through: its 1 MB final and its final full of escapes were written (cleaned).
    expect.soft(cli.stdout().includes(`Big ${'y'.repeat(1024 * 1024)}`), `${tag}: the 1 MB final was written`).toBe(true);
    expect.soft(cli.stdout(), `${tag}: the final with escapes was written`).toMatch(/Escapes .*end\./);
    expect.soft(s.sessions[0]!.texts, `${tag}: Terminate sent`).toContainEqual({ type: 'Terminate' });
    expect.soft(s.sessions.length, `${tag}: sessions opened (garbage never made the client drop the session)`).toBe(1);
  });

  it('garbage only, never a valid final (seed 0x5eed): exit 5 on SIGINT (nothing was said), empty stdout', async () => {
    const seed = 0x5eed;
    const tag = hex(seed);
    const s = await server();
    const cli = await client(s, [], 'silence');
    const session = await s.session(0);
    await sendAll(session.ws, makeBurst(seed, { finals: false }));
    // The client is still there and still streaming after the burst.
    const framesBefore = session.audioFrames;
    await s.waitFor(() => session.audioFrames >= framesBefore + 5, `${tag}: audio still flows after the burst`, 5_000);
    const code = await interrupt(cli);
    // Issue 14: not one valid final turn: exit 5, nothing was said.
    expect.soft(code, `${tag}: exit code\nstderr:\n${short(cli.stderr())}`).toBe(5);
    expect.soft(cli.stdout(), `${tag}: stdout`).toBe('');
    expectClean(cli, tag);
    expect.soft(cli.stderr(), `${tag}: summary`).toMatch(/Session ended: .*0 turns\./);
    expect.soft(s.sessions.length, `${tag}: sessions opened (garbage never made the client drop the session)`).toBe(1);
  });
});

describe('fuzz: messages that end the session or reach stderr', () => {
  it('Warnings whose text holds escapes and control characters are cleaned before they reach stderr', async () => {
    const tag = 'warnings with escapes';
    const s = await server();
    const cli = await client(s);
    const session = await s.session(0);
    await sendAll(
      session.ws,
      NASTY.map((n, i) => text(`Warning ${i}`, { type: 'Warning', warning_code: 3000 + i, warning: `careful ${n} here` })),
    );
    session.ws.send(knownFinal('After the warnings.'));
    await waitOut(cli, /After the warnings\.\n/, tag);
    const code = await interrupt(cli);
    expect.soft(code, `${tag}: exit code`).toBe(0);
    expect.soft(cli.stderr(), `${tag}: the warnings are shown`).toMatch(/warning: the service says: careful/);
    expectClean(cli, tag);
  });

  it('a legacy {"error": "..."} with escapes after a burst (seed 0x1e6ac7): exit 1, one clear error line', async () => {
    const seed = 0x1e6ac7;
    const tag = hex(seed);
    const s = await server();
    const cli = await client(s);
    const session = await s.session(0);
    await sendAll(session.ws, makeBurst(seed, { finals: true }));
    session.ws.send(knownFinal('Before the error.'));
    await waitOut(cli, /Before the error\.\n/, tag);
    session.ws.send(JSON.stringify({ error: 'Session \u001b[2J\u0007cancelled\r\u009b31m by the server' }));
    const code = await cli.exit(15_000); // bounded: rejects if the client is still running
    expect.soft(code, `${tag}: exit code\nstderr:\n${short(cli.stderr())}`).toBe(1);
    expect.soft(cli.stderr(), `${tag}: the error line`).toMatch(/^error: .*Session.*cancelled.* by the server/m);
    expect.soft(cli.stderr().match(/error:/g), `${tag}: one error line`).toHaveLength(1);
    expect.soft(cli.stdout().split('\n').slice(-2)[0], `${tag}: the final before the error`).toBe('Before the error.');
    expectClean(cli, tag);
  });

  it('an invalid UTF-8 text frame: the connection fails (RFC 6455, https://www.rfc-editor.org/rfc/rfc6455#section-8.1); the client opens a new session that works', async () => {
    const tag = 'invalid UTF-8';
    const s = await server();
    const cli = await client(s);
    const session = await s.session(0);
    session.ws.send(knownFinal('Before the bad bytes.'));
    await waitOut(cli, /Before the bad bytes\.\n/, tag);
    session.ws.send(Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x22, 0x7d]), { binary: false });
    const outcome = await exitOrNewSession(cli, s, 1, 5_000);
    expect(outcome, `${tag}: a new session within 5 s\nstderr:\n${short(cli.stderr())}`).toBe('new session');
    // A new session: it works like the first.
    s.sessions[1]!.ws.send(knownFinal('After the reconnect.'));
    await waitOut(cli, /After the reconnect\.\n/, tag);
    const code = await interrupt(cli);
    expect.soft(code, `${tag}: exit code after the reconnect\nstderr:\n${short(cli.stderr())}`).toBe(0);
    expect.soft(cli.stdout(), `${tag}: stdout`).toBe('Before the bad bytes.\nAfter the reconnect.\n');
    expectClean(cli, tag);
  });

  it('an unsolicited Termination with wrong types mid-session: the client does not go on recording into a closed session', async () => {
    const tag = 'unsolicited Termination';
    const s = await server();
    const cli = await client(s);
    const session = await s.session(0);
    session.ws.send(knownFinal('Before the Termination.'));
    await waitOut(cli, /Before the Termination\.\n/, tag);
    session.ws.send(JSON.stringify({ type: 'Termination', audio_duration_seconds: null, session_duration_seconds: 'NaN' }));
    session.ws.close(1000, 'Session Ended');
    // Nothing more can be transcribed in this session: the client must stop, or open a new session.
    const outcome = await exitOrNewSession(cli, s, 1, 5_000);
    expect(outcome, `${tag}: within 5 s a new session, instead of recording on with no session\nstderr:\n${short(cli.stderr())}`).toBe('new session');
    s.sessions[1]!.ws.send(knownFinal('In the new session.'));
    await waitOut(cli, /In the new session\.\n/, tag);
    const code = await interrupt(cli);
    expect.soft(code, `${tag}: exit code\nstderr:\n${short(cli.stderr())}`).toBe(0);
    expect.soft(cli.stdout(), `${tag}: stdout`).toBe('Before the Termination.\nIn the new session.\n');
    expectClean(cli, tag);
  });

  it.each([1e12, 1e308])(
    'word times far beyond the audio sent (end %s ms), then a dropped connection: the next session still gets the audio',
    async (endMs) => {
      const tag = `word end ${endMs} ms, then a drop`;
      const s = await server();
      const cli = await client(s);
      const session = await s.session(0);
      session.ws.send(
        JSON.stringify(
          turn({
            turn_order: 1,
            end_of_turn: true,
            turn_is_formatted: true,
            transcript: 'Far future words.',
            words: [
              { text: 'Far', start: 0, end: 10 },
              { text: 'future', start: 20, end: endMs },
              { text: 'words.', start: endMs, end: endMs },
            ],
          }),
        ),
      );
      await waitOut(cli, /Far future words\.\n/, tag);
      session.ws.terminate(); // an abrupt drop (1006)
      const outcome = await exitOrNewSession(cli, s, 1, 5_000);
      expect(outcome, `${tag}: a new session within 5 s\nstderr:\n${short(cli.stderr())}`).toBe('new session');
      // The new session is sent the audio that follows, as a new session after any drop is.
      await s.waitFor(() => s.sessions[1]!.audioFrames >= 10, `${tag}: audio in the new session`, 5_000);
      s.sessions[1]!.ws.send(knownFinal('After the drop.'));
      await waitOut(cli, /After the drop\.\n/, tag);
      const code = await interrupt(cli);
      expect.soft(code, `${tag}: exit code\nstderr:\n${short(cli.stderr())}`).toBe(0);
      expectClean(cli, tag);
    },
  );

  it('a Begin id and a language_code holding escapes and C1 controls are printed clean (stderr and json)', async () => {
    const tag = 'Begin id and language_code with escapes';
    const s = await server({
      begin: { type: 'Begin', id: 'id-\u001b[2J\u0007\u009b31m\u0085-end', expires_at: Math.floor(Date.now() / 1000) + 3600 },
    });
    const cli = await client(s, ['--format', 'json']);
    const session = await s.session(0, { audio: false });
    session.ws.send(JSON.stringify({ ...JSON.parse(knownFinal('After a hostile Begin id.')), language_code: 'en\u009b2J\u0085\u001b[0m' }));
    await waitOut(cli, /After a hostile Begin id\./, tag, 5_000);
    const code = await interrupt(cli);
    expect.soft(code, `${tag}: exit code\nstderr:\n${short(cli.stderr())}`).toBe(0);
    expect.soft(cli.stderr(), `${tag}: the session is named`).toMatch(/Session started: id-.*-end/);
    expectClean(cli, tag);
  });

  it.each([
    { expiresAt: 1e300, format: 'json' },
    { expiresAt: 1e300, format: 'text' },
    { expiresAt: -1e300, format: 'json' },
    { expiresAt: 2 ** 53, format: 'json' },
    { expiresAt: 'tomorrow', format: 'json' },
  ])('a Begin with expires_at $expiresAt, $format output: the session runs as usual', async ({ expiresAt, format }) => {
    const tag = `Begin expires_at ${expiresAt} (${format})`;
    const s = await server({ begin: { type: 'Begin', id: 'fuzz-session-0001', expires_at: expiresAt } });
    const cli = await client(s, ['--format', format]);
    const session = await s.session(0, { audio: false });
    session.ws.send(knownFinal('After an odd expiry.'));
    await cli.waitForStdout(/After an odd expiry\./, 5_000).catch(() => undefined); // asserted below
    const code = cli.child.exitCode === null ? await interrupt(cli) : cli.child.exitCode;
    expect.soft(code, `${tag}: exit code\nstderr:\n${short(cli.stderr())}\nstdout:\n${short(cli.stdout())}`).toBe(0);
    if (format === 'json') {
      const events = cli
        .stdout()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { type: string; text?: string });
      expect
        .soft(
          events.map((e) => e.type),
          `${tag}: events`,
        )
        .toEqual(['begin', 'turn', 'termination']);
      expect.soft(events.find((e) => e.type === 'turn')?.text, `${tag}: the turn`).toBe('After an odd expiry.');
    } else {
      expect.soft(cli.stdout(), `${tag}: stdout`).toBe('After an odd expiry.\n');
    }
    // An expiry far in the future, absurdly far in the past, or unreadable is no reason for a new session.
    expect.soft(s.sessions.length, `${tag}: sessions opened`).toBe(1);
    expectClean(cli, tag);
  });
});

// ---------------------------------------------------------------------------------------------------
// Issue 19: inputs a user controls (WAV headers, -o targets, proxy URLs), against the strict double
// ---------------------------------------------------------------------------------------------------

/** A copy of the speech WAV with seeded damage to its header fields (rates, channels, sizes, chunk ids). */
function damagedWav(r: Rng, wav: Buffer): Buffer {
  const out = Buffer.from(wav);
  const fields: [number, number][] = [
    [4, 4],
    [16, 4],
    [20, 2],
    [22, 2],
    [24, 4],
    [28, 4],
    [32, 2],
    [34, 2],
    [40, 4],
  ];
  const values = [0, 1, 2, 7, 0xffff, 0xffffffff, 4_000_000_000, 768_001, 96_001, 192_000, 8000, 7999, 65, 128];
  for (let k = 0; k <= r.int(3); k++) {
    const [at, size] = r.pick(fields);
    const v = r.pick(values);
    if (size === 2) out.writeUInt16LE(v & 0xffff, at);
    else out.writeUInt32LE(v >>> 0, at);
  }
  if (r.chance(0.2)) out.write(r.pick(['LIST', 'data', 'fmt ', 'JUNK']), 36, 'latin1');
  return r.chance(0.15) ? out.subarray(0, r.int(60)) : out;
}

const PROXY_VALUES = [
  'http://u:p%zz@127.0.0.1:9',
  'http://%@127.0.0.1:9',
  'http://u:%E0%A4%A@127.0.0.1:9',
  'socks5://127.0.0.1:1080',
  'http://[::1',
  '::::',
  'http://127.0.0.1:0',
  'http://u:p@127.0.0.1:9',
];

type Target = { args: string[]; file?: string; parse?: (t: string) => unknown };

/** An -o target chosen by the seed: a regular file in each format, or one of the hostile ones. */
async function outputTarget(r: Rng, where: string, k: number): Promise<Target> {
  const kind = r.int(14);
  const file = path.join(where, `out-${k}`);
  if (kind === 8) {
    await mkdir(`${file}.d`);
    return { args: ['-o', `${file}.d`] };
  }
  if (kind === 9) {
    // An existing file without --append or --force: refused, and left as it was.
    await writeFile(`${file}.txt`, 'kept\n');
    return { args: ['-o', `${file}.txt`], file: `${file}.txt`, parse: (t) => expect(t).toBe('kept\n') };
  }
  if (kind === 10) {
    // A link to a transcript, added to: the file it points to gets the turns (and stays whole), the link stays.
    await writeFile(`${file}.target.srt`, '');
    await execFileP('ln', ['-s', `${file}.target.srt`, `${file}.srt`]);
    return { args: ['-o', `${file}.srt`, '--append'], file: `${file}.srt`, parse: parseSrtStrict };
  }
  if (kind === 11) {
    const textFile = `${file}.txt`;
    return { args: ['-o', textFile], file: textFile, parse: (t) => expect(t === '' || t.endsWith('\n'), 'a text file cut mid-line').toBe(true) };
  }
  if (kind === 0) {
    await execFileP('mkfifo', [`${file}.txt`]);
    return { args: ['-o', `${file}.txt`, '--append'] };
  }
  if (kind === 1) {
    await execFileP('ln', ['-s', path.join(where, 'nowhere', 'x.txt'), `${file}.txt`]);
    return { args: ['-o', `${file}.txt`] };
  }
  if (kind === 2) return { args: ['-o', '/dev/full', '--force', '--format', 'text'] };
  if (kind === 3) return { args: ['-o', path.join(where, 'no-such-dir', 'x.srt')] };
  const [ext, parse] = r.pick([
    ['srt', parseSrtStrict],
    ['vtt', parseVttStrict],
    ['ndjson', parseNdjsonStrict],
  ] as const);
  return { args: ['-o', `${file}.${ext}`], file: `${file}.${ext}`, parse };
}

/**
 * Sends SIGINT `afterMs` after the start unless the run ended before, and returns its exit code, which must come
 * within 15 s of it. The seeded moment is the input under test, not a wait for something to happen.
 */
async function interruptAt(cli: CliRun, afterMs: number): Promise<number> {
  const ended = await new Promise<boolean>((resolve) => {
    if (cli.child.exitCode !== null || cli.child.signalCode !== null) return resolve(true);
    const timer = setTimeout(() => resolve(false), afterMs);
    cli.child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  if (!ended) cli.signal('SIGINT');
  return cli.exit(15_000);
}

describe('fuzz: inputs a user controls (issue 19): ends on SIGINT, every session terminated, no key, files parse', () => {
  it.each([0x19a, 0x19b, 0x19c])(
    'seed %i: twelve seeded runs',
    async (seed) => {
      const r = rng(seed);
      const wav = await readFile(speechWav);
      const padded = path.join(dir, 'long.wav');
      await execFileP('sox', [speechWav, padded, 'pad', '0', '4']);
      const fake = await startFakeServer({ apiKeys: [SECOND_TEST_KEY] });
      let opened = 0;
      try {
        for (let k = 0; k < 12; k++) {
          const tag = `${hex(seed)} run ${k}`;
          let input = padded;
          const env: Record<string, string> = {};
          const which = r.int(3);
          if (which === 0) {
            input = path.join(dir, `damaged-${seed}-${k}.wav`);
            await writeFile(input, damagedWav(r, wav));
          } else if (which === 1) env.HTTPS_PROXY = r.pick(PROXY_VALUES);
          const target = await outputTarget(r, dir, seed * 100 + k);
          const before = fake.sessions.length;
          const cli = runCli(['--api-host', fake.url, '-i', input, ...target.args], cleanEnv({ ASSEMBLYAI_API_KEY: SECOND_TEST_KEY, ...env }));
          // A SIGINT at a seeded moment; the process must be gone within a bound of it.
          // Up to 4 s: before Begin (which takes the service 1.2 s) and well into the session.
          const code = await interruptAt(cli, r.int(4000));
          expect(typeof code, `${tag}: an exit code`).toBe('number');
          const out = `${cli.stdout()}${cli.stderr()}`;
          expect(out, `${tag}: the key`).not.toContain(SECOND_TEST_KEY);
          expect(out, `${tag}: a crash`).not.toMatch(/unexpected failure|Unhandled|at .+\.c?js:\d+/);
          for (let i = before; i < fake.sessions.length; i++) {
            if (fake.sessions[i]!.id === '') continue;
            opened += 1;
            const s = await fake.waitForSessionClosed(i, 10_000);
            expect(s.terminated || s.closedBy === 'server', `${tag}: session ${i} left open`).toBe(true);
          }
          if (target.file !== undefined && target.parse !== undefined) {
            const content = await readFile(target.file, 'utf8').catch(() => undefined);
            if (content !== undefined) expect(() => target.parse!(content), `${tag}: ${target.file} parses`).not.toThrow();
          }
        }
        // The seeds reach sessions too, not only refusals before connecting.
        expect(opened, hex(seed)).toBeGreaterThan(0);
      } finally {
        await fake.close();
      }
    },
    200_000,
  );
});

// ---------------------------------------------------------------------------------------------------
// Issue 19: config files (a user's, or one a user was handed), against the strict double
// ---------------------------------------------------------------------------------------------------

/** Keys whose values are harmless to fuzz (no commands run, no files written, no microphone, no browser). */
const CONFIG_KEYS = [
  'format',
  'timestamps',
  'partials',
  'quiet',
  'color',
  'language',
  'speech-model',
  'keyterms',
  'speaker-labels',
  'max-speakers',
  'format-turns',
  'filter-profanity',
  'max-duration',
  'until-silence',
  'stop-phrase',
  'min-turn-silence',
  'end-of-turn-confidence-threshold',
  'reconnect-attempts',
  'connect-timeout',
  'api-key',
  'no-such-key',
];
const CONFIG_VALUES = [
  '"srt"',
  '"json"',
  'true',
  '0',
  '-1',
  '1e308',
  '3.5',
  '"2 s"',
  'nan',
  'inf',
  '[]',
  '["a", 1]',
  '{ x = 1 }',
  '"\\u001b[31mred\\u009b"',
  `"${'x'.repeat(100_000)}"`,
  '1979-05-27T07:32:00Z',
  '"unterminated',
  "'''",
  '0x7fffffffffffffff',
];
/** The file's own api-key (obviously fake, not one the client is given, so it can sit in a file on disk). */
const FILE_KEY = 'config-file-key-5e0b';
/** An api-key of the file's own (the run's key is another), well or badly written: it must reach no output either. */
const CONFIG_KEY_LINES = [
  `api-key = "${FILE_KEY}"`,
  `api-key = "x${FILE_KEY}\\u0000"`,
  `api-key = ${FILE_KEY}`,
  `"api-key" = '${FILE_KEY}' junk`,
  `api-key = "${FILE_KEY}`,
];
/** Raw bytes no editor would save: controls, escapes, a NUL, invalid UTF-8, a lone surrogate's bytes. */
const CONFIG_JUNK = [
  Buffer.from('\u001b[2J\u001b]0;title\u0007'),
  Buffer.from([0x00, 0x01, 0x7f]),
  Buffer.from([0xff, 0xfe, 0xc3]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from('\r\r\n\t'),
  Buffer.from(`api-key = "${FILE_KEY}\u001b[0m`),
];

/** Settings a config file may well hold: a file of these lets the run go on. */
const VALID_LINES = ['format = "text"', 'quiet = true', 'timestamps = true', 'speaker-labels = false', 'max-duration = "1h"', 'language = "en"'];

/** A config file built by the seed: settings, profile tables, absurd table names, junk bytes, a cut end. */
function hostileConfig(r: Rng): Buffer {
  if (r.chance(0.3)) return Buffer.from(`${Array.from({ length: 1 + r.int(3) }, () => r.pick(VALID_LINES)).join('\n')}\n[profiles.a]\n`);
  const parts: Buffer[] = [];
  for (let k = 0; k <= r.int(6); k++) {
    const kind = r.int(10);
    let line: Buffer;
    if (kind < 5) line = Buffer.from(`${r.pick(CONFIG_KEYS)} = ${r.pick(CONFIG_VALUES)}`);
    else if (kind === 5) line = Buffer.from(r.pick(CONFIG_KEY_LINES));
    else if (kind === 6) line = Buffer.from(`[profiles.${r.pick(['a', '"b c"', '"q\\u001b"', ''])}]`);
    else if (kind === 7) line = Buffer.from(`[${Array.from({ length: r.pick([2, 300, 60_000]) }, () => 'a').join('.')}]`);
    else if (kind === 8) line = r.pick(CONFIG_JUNK);
    else line = parts.at(-1) ?? Buffer.from('format = "text"');
    parts.push(line);
  }
  const text = Buffer.concat(parts.flatMap((p) => [p, Buffer.from('\n')]));
  return r.chance(0.15) ? text.subarray(0, r.int(text.length)) : text;
}

describe('fuzz: config files (issue 19): ends on SIGINT, every session terminated, no key, clean output', () => {
  it.each([0x19c0, 0x19c1])(
    'seed %i: ten seeded config files',
    async (seed) => {
      const r = rng(seed);
      const padded = path.join(dir, 'long-config.wav');
      await execFileP('sox', [speechWav, padded, 'pad', '0', '4']);
      const fake = await startFakeServer({ apiKeys: [SECOND_TEST_KEY] });
      let refused = 0;
      try {
        for (let k = 0; k < 10; k++) {
          const tag = `${hex(seed)} config ${k}`;
          const config = path.join(dir, `config-${seed}-${k}.toml`);
          await writeFile(config, hostileConfig(r));
          const profile = r.chance(0.3) ? ['--profile', 'a'] : [];
          const before = fake.sessions.length;
          const cli = runCli(
            ['--api-host', fake.url, '-i', padded, '--config', config, ...profile],
            cleanEnv({ ASSEMBLYAI_API_KEY: SECOND_TEST_KEY }),
          );
          // A SIGINT at a seeded moment: before Begin or well into the session.
          const code = await interruptAt(cli, r.int(3000));
          if (code === 2) refused += 1;
          const out = `${cli.stdout()}${cli.stderr()}`;
          expect(out, `${tag}: the run's key`).not.toContain(SECOND_TEST_KEY);
          expect(out, `${tag}: the file's key`).not.toContain(FILE_KEY);
          expectClean(cli, tag);
          for (let i = before; i < fake.sessions.length; i++) {
            if (fake.sessions[i]!.id === '') continue;
            const s = await fake.waitForSessionClosed(i, 10_000);
            expect(s.terminated || s.closedBy === 'server', `${tag}: session ${i} left open`).toBe(true);
          }
        }
        // The seeds reach both ends: files refused with exit 2 and files that let the run go on.
        expect(refused, hex(seed)).toBeGreaterThan(0);
        expect(refused, hex(seed)).toBeLessThan(10);
      } finally {
        await fake.close();
      }
    },
    200_000,
  );
});
