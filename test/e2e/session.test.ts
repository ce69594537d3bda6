/**
 * End-to-end: the built bin, a fake `sox` streaming speech first on PATH, and the test double on loopback.
 * Each test asserts the exit code, stdout, stderr and what the double received, together.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startFakeServer, type FakeServer, type FakeServerOptions, type SessionRecord } from '../support/fake-server.js';
import { makeFakeSoxDir, makeNoSoxPath, readFakeSoxLog } from '../support/fake-sox.js';
import { makeSpeechWav } from '../support/audio.js';
import { cleanEnv, runCli, TEST_KEY, type CliRun } from '../support/cli.js';

const run = promisify(execFile);
let dir: string;
let speechWav: string;
let toneWav: string;
let servers: FakeServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-e2e-'));
  speechWav = path.join(dir, 'hello.wav');
  await makeSpeechWav('hello world', speechWav);
  toneWav = path.join(dir, 'tone.wav');
  await run('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', toneWav, 'synth', '20', 'sine', '440', 'vol', '0.3']);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function server(options: FakeServerOptions = {}): Promise<FakeServer> {
  const s = await startFakeServer({ script: ['hello world', 'second turn here'], ...options });
  servers.push(s);
  return s;
}

/** A fake sox that streams the speech file in real time, then silence until stopped. */
async function soxPath(extra: Parameters<typeof makeFakeSoxDir>[1] = {}): Promise<{ path: string; argsLog: string }> {
  const argsLog = path.join(dir, `sox-args-${Math.random().toString(36).slice(2)}.jsonl`);
  const soxDir = await makeFakeSoxDir('stream-file', { rawPath: speechWav, argsLogPath: argsLog, chunkBytes: 980, intervalMs: 30, ...extra });
  return { path: `${soxDir}:${process.env.PATH ?? ''}`, argsLog };
}

function start(s: FakeServer, args: string[] = [], env: Record<string, string | undefined> = {}, pathValue?: string): CliRun {
  return runCli(['--api-host', s.url, ...args], cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, ...(pathValue ? { PATH: pathValue } : {}), ...env }));
}

const finals = (s: SessionRecord): unknown[] =>
  s.sentMessages.filter(
    (m) =>
      (m as { type?: string; end_of_turn?: boolean; transcript?: string }).type === 'Turn' &&
      (m as { end_of_turn: boolean }).end_of_turn &&
      (m as { transcript: string }).transcript !== '',
  );

/** Exactly one session was opened and it got the rejection; `begun`: whether Begin had been sent before it. */
function expectOneRejectedSession(s: FakeServer, cli: CliRun, want: { begun: boolean; code: number }): void {
  expect(s.sessions, `sessions the double saw\n${cli.stderr()}`).toHaveLength(1);
  const [session] = s.sessions;
  expect(session!.error?.code).toBe(want.code);
  expect(session!.id !== '', 'Begin had been sent').toBe(want.begun);
  expect(cli.stderr()).not.toMatch(/reconnecting|retrying/i);
}

const partialText = (m: unknown): string | undefined => {
  const t = m as { type?: string; end_of_turn?: boolean; transcript?: string };
  return t.type === 'Turn' && t.end_of_turn === false ? t.transcript : undefined;
};

function expectWellFormedAudio(s: SessionRecord): void {
  expect(s.frames.length).toBeGreaterThan(10);
  // 50 ms frames at 16 kHz: exactly 1600 bytes each, the last one padded.
  expect(new Set(s.frames.map((f) => f.bytes))).toEqual(new Set([1600]));
  expect(s.error).toBeUndefined();
}

describe('a session from start to Ctrl+C', () => {
  it('streams 50 ms frames, writes the formatted final once, terminates, summarizes, exits 0', async () => {
    const s = await server();
    const sox = await soxPath();
    const cli = start(s, [], {}, sox.path);
    await cli.waitForStdout(/Hello world\.\n/);
    await cli.waitForStderr(/Listening\.\.\. press Ctrl\+C to stop/);
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(0);
    const session = await s.waitForSessionClosed(0);

    expect(cli.stdout()).toBe('Hello world.\n');
    expect(cli.stderr()).toMatch(new RegExp(`Session started: ${session.id}\\n`));
    expect(cli.stderr()).toMatch(/Session ended: \d+ s of audio processed, session \d+ s, 1 turn\./);
    expect(cli.stderr()).not.toContain('\u001b'); // stderr is a pipe: no spinner, no colour

    expect(session.headers.authorization).toBe(TEST_KEY);
    expect(session.url).not.toContain(TEST_KEY);
    expect(session.headers['sec-websocket-extensions']).toBeUndefined(); // permessage-deflate off
    expect(session.query).toMatchObject({
      sample_rate: '16000',
      encoding: 'pcm_s16le',
      speech_model: 'universal-streaming-english',
      format_turns: 'true',
    });
    expect(session.texts).toEqual([{ type: 'Terminate' }]);
    expect(session.terminated).toBe(true);
    expect(session.terminationSent).toBe(true);
    expect(session.closeCode).toBe(1000);
    expectWellFormedAudio(session);
    // sox was asked for raw PCM with a small buffer, and its stdout unbuffered.
    const [call] = readFakeSoxLog(sox.argsLog);
    expect(call!.argv).toEqual(expect.arrayContaining(['--type', 'raw', '--buffer', '800', '--rate', '16000']));
    expect(call!.argv).not.toContain('wav');
  });

  it('SIGTERM stops as gracefully as Ctrl+C', async () => {
    const s = await server();
    const sox = await soxPath();
    const cli = start(s, ['--no-format-turns'], {}, sox.path);
    await cli.waitForStdout(/hello world\n/);
    cli.signal('SIGTERM');
    expect(await cli.exit()).toBe(0);
    const session = await s.waitForSessionClosed(0);
    expect(cli.stdout()).toBe('hello world\n');
    expect(session.query.format_turns).toBe('false');
    expect(session.terminated).toBe(true);
    expect(cli.stderr()).toMatch(/Session ended:/);
  });

  it('SIGHUP (the terminal closed) stops like SIGTERM', async () => {
    const s = await server();
    const sox = await soxPath();
    const cli = start(s, [], {}, sox.path);
    await cli.waitForStdout(/Hello world\.\n/);
    cli.signal('SIGHUP');
    expect(await cli.exit()).toBe(0);
    const session = await s.waitForSessionClosed(0);
    expect(session.terminated).toBe(true);
    expect(cli.stderr()).toMatch(/Session ended:/);
  });

  it('writes the last words that arrive after Terminate (Termination 1.3 s later, as the slowest real service)', async () => {
    // A steady tone: the turn never ends by silence, so its final can only be the answer to Terminate.
    const s = await server({ terminationDelayMs: 1300 });
    const sox = await soxPath({ rawPath: toneWav });
    const cli = start(s, [], {}, sox.path);
    await s.waitFor((ss) => ss[0]?.sentMessages.some((m) => partialText(m) === 'hello') ?? false);
    cli.signal('SIGINT');
    // Checked on every event the double handles: the finals it had sent while Terminate had not yet arrived.
    let finalsBeforeTerminate = -1;
    await s.waitFor((ss) => {
      const x = ss[0]!;
      if (!x.terminated) finalsBeforeTerminate = finals(x).length;
      return x.closed;
    }, 10_000);
    expect(await cli.exit()).toBe(0);
    const session = s.sessions[0]!;
    expect(finalsBeforeTerminate).toBe(0);
    expect(finals(session).length).toBeGreaterThan(0);
    expect(session.texts).toEqual([{ type: 'Terminate' }]);
    expect(session.terminationSent).toBe(true);
    expect(cli.stdout()).toMatch(/^Hello( world)?\.\n$/);
    expect(cli.stderr()).not.toMatch(/did not confirm/);
  });

  it('Ctrl+C before Begin (Begin 1.2 s after the upgrade, as the real service): the session still ends, exit 5 (nothing was said)', async () => {
    const s = await server({ beginDelayMs: 1200 });
    const sox = await soxPath();
    const cli = start(s, [], {}, sox.path);
    await s.waitFor((ss) => ss.length === 1);
    expect(s.sessions[0]!.id).toBe(''); // upgraded, Begin not sent yet
    cli.signal('SIGINT');
    // Issue 14: stopped before a single final turn: exit 5, nothing was said.
    expect(await cli.exit()).toBe(5);
    const session = await s.waitForSessionClosed(0);
    expect(s.sessions).toHaveLength(1);
    expect(session.closed).toBe(true);
    expect(session.texts).toContainEqual({ type: 'Terminate' });
    expect(session.error).toBeUndefined();
    expect(cli.stdout()).toBe('');
    expect(cli.stderr()).not.toMatch(/error/i);
  });

  it('commits each turn exactly once when the service formats inline (no twin final)', async () => {
    const s = await server({ formatMode: 'inline' });
    const sox = await soxPath();
    const cli = start(s, [], {}, sox.path);
    await cli.waitForStdout(/Hello world\.\n/);
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(0);
    expect(cli.stdout()).toBe('Hello world.\n');
  });

  it('under npx, a second delivery of the same Ctrl+C is the same request; a later one forces exit 130 and still terminates', async () => {
    const s = await server({ noTermination: true });
    const sox = await soxPath();
    // Started by npx (src/system/stop-signals.ts): npm forwards the press the child also got, a few ms apart. Run
    // directly, two SIGINTs handled apart are two presses (the second quits), so only the kernel's merging of two
    // signals sent back to back kept this test green, and under load it failed.
    const cli = start(s, [], { npm_command: 'exec' }, sox.path);
    await cli.waitForStdout(/Hello world\.\n/);
    cli.signal('SIGINT');
    cli.signal('SIGINT');
    await cli.waitForStderr(/Stopping/);
    // The child's window opened when it handled the first SIGINT, which is before it said "Stopping": measured
    // from here, the wait covers the child's window (50 ms) however late the signal arrived (issue 19.8, 24.9).
    const windowOpenBy = Date.now();
    await s.waitFor((ss) => ss[0]?.terminated === true);
    // Still waiting for Termination (the double never sends it): a Ctrl+C after the window forces
    // the exit. This wait is the behaviour under test (a window in time), not a guess at a duration.
    await new Promise((r) => setTimeout(r, Math.max(0, windowOpenBy + 600 - Date.now())));
    expect(cli.child.exitCode).toBeNull();
    expect(cli.stderr().match(/Stopping/g)).toHaveLength(1);
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(130);
    expect(cli.stdout()).toBe('Hello world.\n');
    const session = await s.waitForSessionClosed(0);
    expect(session.texts).toContainEqual({ type: 'Terminate' });
  });

  it('gives up waiting for Termination after 5 s, with every final written', async () => {
    const s = await server({ noTermination: true });
    const sox = await soxPath();
    const cli = start(s, [], {}, sox.path);
    await cli.waitForStdout(/Hello world\.\n/);
    const stoppedAt = Date.now();
    cli.signal('SIGINT');
    expect(await cli.exit(15_000)).toBe(0);
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(4_500);
    expect(cli.stdout()).toBe('Hello world.\n');
    expect(cli.stderr()).toMatch(/did not confirm the end of the session/);
  });
});

describe('failures', () => {
  it('SoX missing: install instructions for every OS, exit 3, no session left open', async () => {
    const s = await server();
    const cli = start(s, [], {}, await makeNoSoxPath());
    expect(await cli.exit()).toBe(3);
    expect(cli.stderr()).toMatch(/SoX \(the `sox` command\) was not found/);
    expect(cli.stderr()).toMatch(/apt-get install sox/);
    expect(cli.stderr()).toMatch(/brew install sox/);
    expect(cli.stderr()).toMatch(/winget install/);
    expect(cli.stdout()).toBe('');
    expect(s.sessions).toHaveLength(0); // SoX is looked for before connecting: no session was ever opened
  });

  it('SoX failing (no device): its last stderr lines, exit 3, the session terminated', async () => {
    const s = await server();
    const soxDir = await makeFakeSoxDir('fail-no-device');
    const cli = start(s, [], {}, `${soxDir}:${process.env.PATH ?? ''}`);
    expect(await cli.exit()).toBe(3);
    expect(cli.stderr()).toMatch(/recording failed: SoX exited with code 1/);
    expect(cli.stderr()).toMatch(/sox FAIL sox: Sorry, there is no default audio device configured/);
    expect(cli.stderr()).toMatch(/--device/);
    // SoX fails while the session starts (before or after Begin): the one session is still terminated.
    const session = await s.waitForSessionClosed(0);
    expect(s.sessions).toHaveLength(1);
    expect(session.texts).toEqual([{ type: 'Terminate' }]);
    expect(session.terminated).toBe(true);
  });

  it('SoX dying mid-session: finals kept, session terminated, exit 3 with its stderr', async () => {
    const s = await server();
    const sox = await soxPath({ dieAfterMs: 3500, dieExitCode: 2, dieStderr: "sox FAIL formats: can't read from device: Input/output error\n" });
    const cli = start(s, [], {}, sox.path);
    expect(await cli.exit()).toBe(3);
    const session = await s.waitForSessionClosed(0);
    expect(cli.stdout()).toBe('Hello world.\n');
    expect(cli.stderr()).toMatch(/SoX exited with code 2/);
    expect(cli.stderr()).toMatch(/Input\/output error/);
    expect(session.terminated).toBe(true);
  });

  it('a rejected key (Error 1008 after the upgrade, before Begin): exit 4, clear message, no key printed, one session', async () => {
    const s = await server({ apiKeys: ['another-key-9999'] });
    const sox = await soxPath();
    const cli = start(s, [], {}, sox.path);
    expect(await cli.exit()).toBe(4);
    expect(cli.stderr()).toMatch(/the service rejected the credentials \(Unauthorized Connection: Invalid API key\)/);
    expect(cli.stderr()).toMatch(/ASSEMBLYAI_API_KEY/);
    expect(cli.stderr()).not.toContain(TEST_KEY);
    expect(cli.stdout()).toBe('');
    expectOneRejectedSession(s, cli, { begun: false, code: 1008 });
  });

  it.each([
    [401, 'http-401', /the service rejected the credentials \(HTTP 401.*Invalid API key/],
    [403, 'http-403', /access forbidden \(HTTP 403.*Invalid API key/],
  ] as const)('a rejected key (HTTP %i on the upgrade): exit 4 with the status and body, one attempt', async (status, authMode, message) => {
    const s = await server({ apiKeys: ['another-key-9999'], authMode });
    const sox = await soxPath();
    const cli = start(s, [], {}, sox.path);
    expect(await cli.exit()).toBe(4);
    expect(cli.stderr()).toMatch(message);
    expect(cli.stderr()).not.toContain(TEST_KEY);
    expect(cli.stdout()).toBe('');
    expectOneRejectedSession(s, cli, { begun: false, code: status });
  });

  it('an expired temporary token: exit 4, says to mint a new one, one session', async () => {
    const s = await server({ expiredTokens: ['old-token-1'] });
    const sox = await soxPath();
    const cli = runCli(['--api-host', s.url, '--token', 'old-token-1'], cleanEnv({ PATH: sox.path }));
    expect(await cli.exit()).toBe(4);
    expect(cli.stderr()).toMatch(/Signature has expired/);
    expect(cli.stderr()).toMatch(/mint a new one/);
    expect(s.sessions[0]!.query.token).toBe('old-token-1');
    expect(s.sessions[0]!.headers.authorization).toBeUndefined();
    expectOneRejectedSession(s, cli, { begun: false, code: 1008 });
  });

  // A client that retries a rejected request (the JS SDK 4.41.5 retries 1008, docs/service.md#errors-and-close-codes) opens a second
  // session before it exits: the count catches it. (3006/3007 before Begin: the client validates every parameter
  // the double rejects and sends audio only after Begin, so the double cannot raise them earlier.)
  it.each([
    [1008, 'Unauthorized Connection: Invalid API key', 4],
    [3006, 'User Input Validation Error: Session terminated due to inactivity: No messages received for 5 seconds', 1],
    [3007, 'Input Duration Error: Input Duration Violation: 25.0 ms. Expected between 50 and 1000 ms', 1],
  ])('Error %i after Begin (%s): one session, no reconnect', async (code, message, exit) => {
    const s = await server({ errorAfter: { afterMs: 500, code, message } });
    const sox = await soxPath();
    const cli = start(s, [], {}, sox.path);
    expect(await cli.exit()).toBe(exit);
    expect(cli.stderr()).toContain(message);
    expectOneRejectedSession(s, cli, { begun: true, code });
  });

  it('Error 3007 for the first audio, right after a 1.2 s Begin: exit 1, one session', async () => {
    // maxLeadSeconds below zero: the first frame is already "too fast", whenever it comes.
    const s = await server({ beginDelayMs: 1200, maxLeadSeconds: -30 });
    const sox = await soxPath();
    const cli = start(s, [], {}, sox.path);
    expect(await cli.exit()).toBe(1);
    expect(cli.stderr()).toMatch(/Audio Transmission Rate Exceeded/);
    expectOneRejectedSession(s, cli, { begun: true, code: 3007 });
  });

  it('a server error mid-session that is not worth retrying: finals written, the error explained, exit 1', async () => {
    const message = 'User Input Validation Error: Session terminated due to inactivity: No messages received for 5 seconds';
    const s = await server({ errorAfter: { afterMs: 3500, code: 3006, message } });
    const sox = await soxPath();
    const cli = start(s, [], {}, sox.path);
    expect(await cli.exit()).toBe(1);
    expect(cli.stdout()).toBe('Hello world.\n');
    expect(cli.stderr()).toMatch(/the service refused the request \(User Input Validation Error: Session terminated due to inactivity/);
    expect(cli.stderr().match(/error:/g)).toHaveLength(1); // the close after the Error frame is not reported twice
  });

  it('an Error frame with no close does not hang', async () => {
    const s = await server({ errorWithoutClose: { afterMs: 300, code: 3006, message: 'User Input Validation Error: Invalid Message Type: Bogus' } });
    const sox = await soxPath();
    const cli = start(s, [], {}, sox.path);
    expect(await cli.exit(10_000)).toBe(1);
    expect(cli.stderr()).toMatch(/refused the request \(User Input Validation Error: Invalid Message Type: Bogus\)/);
  });

  it('a server that never sends Begin: bounded by --connect-timeout, exit 1, Terminate sent', async () => {
    const s = await server({ noBegin: true });
    const sox = await soxPath();
    const cli = start(s, ['--connect-timeout', '1'], {}, sox.path);
    expect(await cli.exit(10_000)).toBe(1);
    expect(cli.stderr()).toMatch(/did not start the session within 1 s/);
    const session = await s.waitForSessionClosed(0);
    expect(session.texts).toContainEqual({ type: 'Terminate' });
  });

  it('nothing listening: a clear network error, exit 1', async () => {
    const s = await server();
    const url = s.url;
    await s.close();
    servers = [];
    const sox = await soxPath();
    const cli = runCli(['--api-host', url], cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, PATH: sox.path }));
    expect(await cli.exit()).toBe(1);
    expect(cli.stderr()).toMatch(/error: cannot connect to 127\.0\.0\.1:\d+: connection refused/);
  });
});

describe('secrets', () => {
  it('a key given with --api-key is not visible in the process title', async () => {
    const s = await server();
    // Silence: no final can arrive before the SIGINT, however slow the machine (issue 19.8), so exit 5 is sure.
    const silence = path.join(dir, 'silence-title.wav');
    await promisify(execFile)('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', silence, 'trim', '0', '10']);
    const sox = await soxPath({ rawPath: silence });
    const cli = runCli(['--api-host', s.url, '--api-key', TEST_KEY], cleanEnv({ PATH: sox.path }));
    await cli.waitForStderr(/Listening/);
    const cmdline = await readFile(`/proc/${cli.child.pid}/cmdline`, 'utf8');
    expect(cmdline).not.toContain(TEST_KEY);
    cli.signal('SIGINT');
    // Issue 14: stopped before any speech (no final turn): exit 5, nothing was said.
    expect(await cli.exit()).toBe(5);
    expect(cli.stdout() + cli.stderr()).not.toContain(TEST_KEY);
  });
});
