/**
 * Never lose a word: faults injected into the session (abrupt drops at seeded random points, server
 * errors, refused handshakes, an Error with no close, expiry every few seconds, a link that goes silent)
 * while a recording is streamed. For each: the audio the double received across all sessions accounts
 * for every byte captured (each session a contiguous stretch of the timeline, no gap between them, no
 * byte twice in one session), the transcript has every turn once and in order, and the exit code is right.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startFakeServer, type FakeServer, type FakeServerOptions } from '../support/fake-server.js';
import { createPocketsphinxRecognizer } from '../support/recognizer.js';
import { readWavPcm } from '../support/audio.js';
import { makeSpokenTurns } from '../support/e2e-files.js';
import { cleanEnv, runCli, TEST_KEY } from '../support/cli.js';
import { parseNdjsonStrict } from '../support/captions.js';
// biome-ignore lint/suspicious/noShadowRestrictedNames: the test's TCP proxy, not the global Proxy
import { startProxy, type Proxy } from '../support/proxy.js';
import { makeFakeSoxDir } from '../support/fake-sox.js';
import { seeded } from '../support/seeded.js';

const run = promisify(execFile);
const PHRASES = ['hello world', 'good morning everyone', 'the quick brown fox jumps over the lazy dog'];
const FINALS = ['Hello world.', 'Good morning everyone.', 'The quick brown fox jumps over the lazy dog.'];
const FRAME = 1600;
let dir: string;
let wav: string;
let timeline: Buffer;
let server: FakeServer | undefined;
let proxy: Proxy | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-reliability-'));
  wav = await makeSpokenTurns(
    dir,
    PHRASES.map((p, i) => [`p${i}.wav`, p] as const),
    1.2,
    'three.wav',
  );
  // What the client sends: the file in 50 ms frames, the last one padded, then 1 s of silence.
  const pcm = readWavPcm(wav).pcm;
  const padded = Buffer.alloc(Math.ceil(pcm.length / FRAME) * FRAME);
  pcm.copy(padded);
  timeline = Buffer.concat([padded, Buffer.alloc(20 * FRAME)]);
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await proxy?.close();
  await server?.close();
  proxy = undefined;
  server = undefined;
});

async function transcribe(
  options: FakeServerOptions,
  args: string[] = [],
  via?: (s: FakeServer) => Promise<string>,
  env: Record<string, string> = {},
) {
  // The README promises replay at most 8 s ahead of real time: the double refuses more than 8.5 s (3007).
  // The service's own timings (Begin ~1.2 s, Termination ~0.9 s, ForceEndpoint ~270 ms, issue 19): faults
  // interact with them (a rollover's Begin arrives after speech may have resumed).
  server = await startFakeServer({
    script: ['not what was said'],
    recognizer: createPocketsphinxRecognizer(PHRASES),
    maxLeadSeconds: 8.5,
    ...options,
  });
  const url = via === undefined ? server.url : await via(server);
  const cli = runCli(['--api-host', url, '-i', wav, '--format', 'json', ...args], cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, ...env }));
  const code = await cli.exit(60_000);
  const events = parseNdjsonStrict(cli.stdout());
  return { code, events, stderr: cli.stderr(), sessions: server.sessions };
}

/** Every session got a contiguous stretch of the timeline; together they cover all of it. */
function expectEveryByteAccountedFor(events: Record<string, unknown>[], s: FakeServer): void {
  const opened = s.sessions.filter((x) => x.id !== '');
  const offsets = [0, ...events.filter((e) => e.type === 'reconnected').map((e) => e.offset_ms as number)];
  expect(offsets).toHaveLength(opened.length);
  let covered = 0;
  opened.forEach((session, k) => {
    const start = (offsets[k]! / 50) * FRAME;
    const got = Buffer.concat(session.frames.map((f) => f.data));
    expect(start, `session ${k} starts after a gap`).toBeLessThanOrEqual(covered);
    expect(got.equals(timeline.subarray(start, start + got.length)), `session ${k} received exactly its stretch of the timeline`).toBe(true);
    covered = Math.max(covered, start + got.length);
  });
  expect(covered).toBe(timeline.length);
}

const texts = (events: Record<string, unknown>[]): unknown[] => events.filter((e) => e.type === 'turn').map((e) => e.text);

describe('faults the client recovers from', () => {
  it.each([11, 23, 47])('an abrupt TCP drop at a random point (seed %i)', async (seed) => {
    const dropAfterMs = 1000 + Math.floor(seeded(seed)() * 5000);
    const r = await transcribe({ perSession: (i) => (i === 0 ? { dropAfterMs } : {}) });
    expect(r.code, `drop after ${dropAfterMs} ms\n${r.stderr}`).toBe(0);
    expect(texts(r.events)).toEqual(FINALS);
    expect(r.events.filter((e) => e.type === 'turn').map((e) => e.index)).toEqual([0, 1, 2]);
    expect(r.stderr).toMatch(/reconnecting in \d+\.\d s\.\.\. attempt 1, still recording/);
    expect(r.stderr).toMatch(/Reconnected: session \S+, replaying \d+\.\d s of audio/);
    expect(r.events.some((e) => e.type === 'reconnecting')).toBe(true);
    expectEveryByteAccountedFor(r.events, server!);
    // Timestamps keep increasing across sessions.
    const starts = r.events.filter((e) => e.type === 'turn').map((e) => e.start_ms as number);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
  });

  it.each([
    [3005, 'Session Cancelled: An error occurred'],
    [1011, 'Internal Server Error'],
  ])('server error %i mid-session', async (code, message) => {
    const r = await transcribe({ perSession: (i) => (i === 0 ? { errorAfter: { afterMs: 3000, code, message } } : {}) });
    expect(r.code, r.stderr).toBe(0);
    expect(texts(r.events)).toEqual(FINALS);
    expectEveryByteAccountedFor(r.events, server!);
  });

  it('handshakes refused for three attempts, then accepted', async () => {
    const r = await transcribe({ perSession: (i) => (i === 0 ? { dropAfterMs: 2500 } : i <= 3 ? { refuseUpgrade: 503 } : {}) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/attempt 4, still recording/);
    expect(r.sessions.filter((s) => s.error?.code === 503)).toHaveLength(3);
    expect(texts(r.events)).toEqual(FINALS);
    expectEveryByteAccountedFor(r.events, server!);
  });

  it('an Error frame with no close after it', async () => {
    const r = await transcribe({
      perSession: (i) => (i === 0 ? { errorWithoutClose: { afterMs: 2500, code: 3005, message: 'Session Cancelled: An error occurred' } } : {}),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(texts(r.events)).toEqual(FINALS);
    expectEveryByteAccountedFor(r.events, server!);
  });

  it('sessions that expire every few seconds are rolled over without losing or repeating audio', async () => {
    const r = await transcribe({ expiresInSeconds: 8 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.sessions.filter((s) => s.id !== '').length).toBeGreaterThanOrEqual(2);
    expect(r.stderr).toMatch(/Session renewed before its time limit/);
    expect(texts(r.events)).toEqual(FINALS);
    expectEveryByteAccountedFor(r.events, server!);
    // Each session was ended by the client, not by expiry.
    for (const s of r.sessions) {
      await server!.waitFor(() => s.closed);
      expect(s.terminated).toBe(true);
    }
  });

  it('a slow Termination is waited for', async () => {
    const r = await transcribe({ terminationDelayMs: 2500 });
    expect(r.code).toBe(0);
    expect(r.sessions[0]!.terminationSent).toBe(true);
    expect(r.events[r.events.length - 1]).toMatchObject({ type: 'termination', reason: 'end-of-input' });
  });

  it('a replay after a drop runs ahead of real time by at most 8 s (the double refuses 8.5 s)', async () => {
    // A microphone hearing one long turn (a steady tone) that has no final yet when the link drops 11 s in:
    // ~11 s of audio wait to be replayed, more than the service lets a session run ahead.
    const tone = path.join(dir, 'tone.wav');
    await run('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', tone, 'synth', '30', 'sine', '440', 'vol', '0.3']);
    server = await startFakeServer({ script: ['hello world'], maxLeadSeconds: 8.5, perSession: (i) => (i === 0 ? { dropAfterMs: 11_000 } : {}) });
    const soxDir = await makeFakeSoxDir('stream-file', { rawPath: tone, chunkBytes: 980, intervalMs: 30 });
    const cli = runCli(['--api-host', server.url], cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, PATH: `${soxDir}:${process.env.PATH ?? ''}` }));
    await cli.waitForStderr(/Reconnected: session \S+, replaying (\d+\.\d) s of audio/, 25_000);
    const replayedS = Number(/replaying (\d+\.\d) s/.exec(cli.stderr())![1]);
    expect(replayedS).toBeGreaterThan(8.5); // more than the double allows ahead: the bound is what keeps it valid
    // The backlog is sent (and more live audio after it) before the stop.
    const s = server;
    await s.waitFor((ss) => (ss[1]?.audioMs ?? 0) >= (replayedS + 1) * 1000, 20_000);
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(0);
    const second = await s.waitForSessionClosed(1);
    expect(s.sessions.map((x) => x.error?.code)).toEqual([undefined, undefined]);
    expect(second.terminated).toBe(true);
    let audioMs = 0;
    let maxLeadMs = -Infinity;
    for (const f of second.frames) {
      audioMs += f.ms;
      maxLeadMs = Math.max(maxLeadMs, audioMs - f.atMs);
    }
    expect(maxLeadMs).toBeLessThanOrEqual(8_500);
    expect(maxLeadMs).toBeGreaterThan(6_000); // the replay did run ahead: the bound was exercised
  }, 60_000);

  it('a link that goes silent (no close, no answer) is noticed and replaced', async () => {
    server = await startFakeServer();
    proxy = await startProxy(server.port);
    const soxDir = await makeFakeSoxDir('stream-file', { rawPath: path.join(dir, 'p0.wav'), chunkBytes: 980, intervalMs: 30 });
    const cli = runCli(['--api-host', proxy.url], cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, PATH: `${soxDir}:${process.env.PATH ?? ''}` }));
    await cli.waitForStdout(/Hello world\.\n/, 15_000);
    proxy.blackhole();
    // Nothing closes and nothing errors: only the missing answers to pings tell (bounded: ~10-15 s).
    await cli.waitForStderr(/the connection stopped answering \(no reply for \d+ s\): reconnecting/, 25_000);
    await cli.waitForStderr(/Reconnected: session/, 10_000);
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(0);
    expect(server.sessions.filter((x) => x.id !== '').length).toBe(2);
    expect(server.sessions[1]!.terminated).toBe(true);
    expect(cli.stdout()).toBe('Hello world.\n');
  }, 60_000);
});

describe('faults that end the run', () => {
  it('an outage that outlasts --reconnect-attempts while the audio is kept: still trying when the input ends, exit 6, finals kept', async () => {
    const cache = path.join(dir, 'cache-outlasts');
    const r = await transcribe(
      { perSession: (i) => (i === 0 ? { dropAfterMs: 4500 } : { refuseUpgrade: 503 }) },
      ['--reconnect-attempts', '2'],
      undefined,
      { XDG_CACHE_HOME: cache },
    );
    expect(r.code, r.stderr).toBe(6);
    // What the outage missed is kept on disk (the replay buffer too: the run ended offline).
    expect(r.stderr).toContain(`is kept in ${path.join(cache, 'live-transcribe', 'spool')}`);
    expect(r.stderr).toMatch(/attempt 3, still recording/);
    expect(r.stderr).not.toMatch(/gave up reconnecting/);
    expect(r.events.filter((e) => e.type === 'reconnecting').every((e) => e.max_attempts === null)).toBe(true);
    expect(texts(r.events)[0]).toBe('Hello world.');
  });

  it.each<[string, FakeServerOptions, number, number, boolean]>([
    [
      '3006 after Begin',
      { errorAfter: { afterMs: 2000, code: 3006, message: "User Input Validation Error: Invalid 'end_of_turn_confidence_threshold'" } },
      3006,
      1,
      true,
    ],
    [
      '3007 after Begin',
      {
        errorAfter: {
          afterMs: 2000,
          code: 3007,
          message: 'Input Duration Error: Input Duration Violation: 25.0 ms. Expected between 50 and 1000 ms',
        },
      },
      3007,
      1,
      true,
    ],
    ['1008 after Begin', { errorAfter: { afterMs: 2000, code: 1008, message: 'Unauthorized Connection: Invalid API key' } }, 1008, 4, true],
    ['1008 before Begin (in-band, invalid key)', { apiKeys: ['another-key-9999'], authMode: 'in-band' }, 1008, 4, false],
    ['HTTP 401 on the upgrade', { apiKeys: ['another-key-9999'], authMode: 'http-401' }, 401, 4, false],
    ['HTTP 403 on the upgrade', { apiKeys: ['another-key-9999'], authMode: 'http-403' }, 403, 4, false],
  ])('error %s is never retried: one session', async (_name, options, code, exit, begun) => {
    const r = await transcribe(options);
    expect(r.code, r.stderr).toBe(exit);
    expect(r.sessions, r.stderr).toHaveLength(1);
    expect(r.sessions[0]!.error?.code).toBe(code);
    expect(r.sessions[0]!.id !== '', 'Begin had been sent').toBe(begun);
    expect(r.stderr).not.toMatch(/reconnecting|retrying/i);
  });

  it('--reconnect-attempts 0: the first drop ends the run with exit 1', async () => {
    const r = await transcribe({ dropAfterMs: 2000 }, ['--reconnect-attempts', '0']);
    expect(r.code).toBe(1);
    expect(r.sessions).toHaveLength(1);
    expect(r.stderr).toMatch(/connection to the service was lost/);
  });
});
