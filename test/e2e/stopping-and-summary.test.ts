/**
 * How a run ends (issue 11, items 7, 10 and 12), through the real binary: a second Ctrl+C stops at once
 * and says the session was told to end; the summary covers every session after reconnects; the retries of
 * the first connection say "to connect" with their own budget.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { BIN, cleanEnv, runCli, TEST_KEY } from '../support/cli.js';
import { closeAfterEach, joinWavs, makeSilenceWav, makeSpeechFixtures, useTempDir } from '../support/e2e-files.js';
import { makeFakeSoxDir } from '../support/fake-sox.js';

let server: FakeServer | undefined;
const { f } = useTempDir('lt-stopping-and-summary-', async (t) => {
  await makeSpeechFixtures(t, { 'hello.wav': 'hello world', 'b.wav': 'good morning everyone' });
  await makeSilenceWav(t.f('silence1.wav'), 1);
  await joinWavs([t.f('hello.wav'), t.f('silence1.wav'), t.f('b.wav')], t.f('two.wav'));
});
const env = (): Record<string, string> => cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY });
closeAfterEach(() => {
  const open = [server];
  server = undefined;
  return open;
});

describe('a second Ctrl+C (issue 11.12)', () => {
  it('says that it stopped at once and that the session was told to end; exit 130, Terminate sent', async () => {
    server = await startFakeServer({ noTermination: true });
    const sox = await makeFakeSoxDir('stream-file', { rawPath: f('hello.wav'), afterFile: 'silence' });
    const cli = runCli(['--api-host', server.url], { ...env(), PATH: `${sox}:${process.env.PATH ?? ''}` });
    await cli.waitForStdout(/Hello world\.\n/, 20_000);
    cli.signal('SIGINT');
    await cli.waitForStderr(/Stopping/);
    const s = server;
    await s.waitFor((ss) => ss[0]?.terminated === true);
    // The double never sends Termination, so the run is still waiting. A second Ctrl+C within 500 ms is the
    // same request (npx can deliver one twice); past that window it forces the stop. This pause is the
    // behaviour under test (a window in time), not a wait for something to happen.
    await new Promise((r) => setTimeout(r, 700));
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(130);
    expect(cli.stderr()).toMatch(/Stopped at once \(second Ctrl\+C\): the session was told to end/);
    expect(cli.stdout()).toBe('Hello world.\n');
    expect((await s.waitForSessionClosed(0)).texts).toContainEqual({ type: 'Terminate' });
  });
});

describe('the summary after reconnects (issue 11.7)', () => {
  it('covers every session: audio processed, sessions, reconnects, in text and in the termination event', async () => {
    server = await startFakeServer({ script: ['hello world', 'good morning everyone'], perSession: (i) => (i < 2 ? { dropAfterMs: 1500 } : {}) });
    const cli = runCli(['--api-host', server.url, '-i', f('two.wav'), '--format', 'json'], env());
    expect(await cli.exit(60_000)).toBe(0);
    expect(server.sessions).toHaveLength(3);
    expect(cli.stderr()).toMatch(/Session ended: \d+ s of audio processed in 3 sessions \(2 reconnects\), open \d+ s in all, 2 turns\./);
    const events = cli
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const end = events.find((e) => e.type === 'termination')!;
    expect(end).toMatchObject({ sessions: 3, reconnects: 2, turns: 2 });
    // Every session's audio counts (the dropped ones by what they were sent), so the total is at least what
    // the file held, not the last session's share of it.
    const sentS = (end.audio_sent_ms as number) / 1000;
    expect(end.audio_duration_seconds as number).toBeGreaterThanOrEqual(Math.floor(sentS) - 1);
    const lastSessionS = server.sessions[2]!.audioMs / 1000;
    expect(end.audio_duration_seconds as number).toBeGreaterThan(Math.ceil(lastSessionS));
  });
});

describe('retries of the first connection (issue 11.10)', () => {
  it('say "to connect" with their own budget, which --help and the README explain', async () => {
    const s = await startFakeServer();
    const url = s.url;
    await s.close();
    const cli = runCli(['--api-host', url, '-i', f('hello.wav')], env());
    expect(await cli.exit(30_000)).toBe(1);
    expect(cli.stderr()).toMatch(/trying again in \d+\.\d s\.\.\. attempt 1 of 2 to connect/);
    expect(cli.stderr()).toMatch(/attempt 2 of 2 to connect/);
    expect(cli.stderr()).not.toMatch(/of 6/);
    const help = runCli(['--help', 'all'], env());
    expect(await help.exit()).toBe(0);
    expect(help.stdout().replace(/\s+/g, ' ')).toMatch(/the first connection is retried at most 2 times/);
    // The reference that the README links to (docs/usage.md) says it too.
    const readme = await readFile(path.join(path.dirname(BIN), '..', 'docs', 'usage.md'), 'utf8');
    expect(readme.replace(/\s+/g, ' ')).toMatch(/the first connection is retried at most 2 times/);
  });
});
