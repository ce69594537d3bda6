/**
 * `live-transcribe dictate` (issue 21) under a real X server: Xvfb, xdotool, and an xterm running `cat > OUT`
 * that has the keyboard focus. Each final turn is typed exactly once into it (partials never), with the test
 * double as the service and `-i` for the audio (the microphone is dictation-mic.test.ts). The toggle finds
 * the running instance through the instance file in XDG_RUNTIME_DIR; notifications go to a stand-in
 * `notify-send` on PATH that records its arguments.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { makeSpeechWav } from '../support/audio.js';
import { BIN, cleanEnv, recordOutput, runCli, TEST_KEY, type CliRun } from '../support/cli.js';
import { startXDesktop, type XDesktop } from '../support/xdesktop.js';
import { waitUntil } from '../support/wait.js';

let dir: string;
let wav: string;
let twice: string;
let x: XDesktop;
let server: FakeServer | undefined;
let runtime: string;
let bin: string;
const INSTANCE = (): string => path.join(runtime, 'live-transcribe-dictate.json');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-dictate-'));
  wav = path.join(dir, 'hello.wav');
  await makeSpeechWav('hello world', wav);
  bin = path.join(dir, 'bin');
  await mkdir(bin);
  // The stand-in notify-send: one line of arguments per notification.
  await writeFile(
    path.join(bin, 'notify-send'),
    `#!/bin/sh\nprintf '%s|' "$@" >> '${path.join(dir, 'notifications')}'\necho >> '${path.join(dir, 'notifications')}'\n`,
  );
  await chmod(path.join(bin, 'notify-send'), 0o755);
  // Two utterances: two turns.
  twice = path.join(dir, 'twice.wav');
  await promisify(execFile)('sox', ['-D', path.join(dir, 'hello.wav'), path.join(dir, 'gap.wav'), 'pad', '0', '2']);
  await promisify(execFile)('sox', ['-D', path.join(dir, 'gap.wav'), wav, twice]);
  x = await startXDesktop(dir);
}, 60_000);
afterAll(async () => {
  await x?.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  runtime = await mkdtemp(path.join(dir, 'run-'));
  await chmod(runtime, 0o700);
  await rm(path.join(dir, 'notifications'), { force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function env(extra: Record<string, string | undefined> = {}): Record<string, string> {
  return cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, DISPLAY: x.display, XDG_RUNTIME_DIR: runtime, PATH: `${bin}:${process.env.PATH ?? ''}`, ...extra });
}

/** What the X client received since `mark` (the xterm lives for the whole file). */
function since(mark: number): string {
  return x.received().slice(mark);
}

function notifications(): string[] {
  return existsSync(path.join(dir, 'notifications')) ? readFileSync(path.join(dir, 'notifications'), 'utf8').trim().split('\n') : [];
}

/** dictate reading a WAV on stdin that stays open: it runs until stopped, like the microphone. */
function dictateLive(args: string[]): { cli: CliRun; child: ChildProcess } {
  const child = spawn(process.execPath, [BIN, 'dictate', '--api-host', server!.url, '-i', '-', ...args], {
    env: env(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  recordOutput('stdout of dictate', () => out);
  recordOutput('stderr of dictate', () => err);
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin!.on('error', () => undefined);
  child.stdin!.write(readFileSync(wav));
  const exited = new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const cli: CliRun = {
    child,
    stdout: () => out,
    stderr: () => err,
    exit: (ms = 20_000) =>
      waitUntil(() => (child.exitCode !== null || child.signalCode !== null ? exited : undefined), {
        timeoutMs: ms,
        what: () => `dictate to exit\nstderr:${err}`,
      }),
    waitForStderr: (p, ms = 15_000) =>
      waitUntil(() => p.test(err), { timeoutMs: ms, what: () => `stderr to match ${p}: ${err}` }).then(() => undefined),
    waitForStdout: (p, ms = 15_000) =>
      waitUntil(() => p.test(out), { timeoutMs: ms, what: () => `stdout to match ${p}: ${out}` }).then(() => undefined),
    signal: (s) => child.kill(s),
  };
  return { cli, child };
}

/** Turns that end only when the client says so: the last words arrive with Terminate. */
const HELD_TURN = ['--end-of-turn-confidence-threshold', '1', '--max-turn-silence', '10000'];

/** Waits until the double has sent a partial with words in it (the turn is under way, not final). */
async function partialSent(): Promise<void> {
  await waitUntil(
    () =>
      server!.sessions[0]?.sentMessages.some(
        (m) =>
          (m as { end_of_turn?: boolean; transcript?: string }).end_of_turn === false && ((m as { transcript?: string }).transcript ?? '') !== '',
      ),
    { timeoutMs: 15_000, what: 'a partial from the double' },
  );
}

describe('dictate types final turns into the focused X window', () => {
  it('types the phrase exactly once, also prints it, and notifies start and stop', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const mark = x.received().length;
    const cli = runCli(['dictate', '--api-host', server.url, '-i', wav], env());
    expect(await cli.exit()).toBe(0);
    expect(since(mark)).toBe('Hello world.');
    expect(cli.stdout()).toContain('Hello world.');
    expect(notifications()).toEqual([expect.stringContaining('Dictation on'), expect.stringContaining('Dictation off')]);
    expect(existsSync(INSTANCE())).toBe(false);
  });

  it('--enter presses Enter after each turn, --no-notify sends no notification', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const mark = x.received().length;
    const cli = runCli(['dictate', '--enter', '--no-notify', '--api-host', server.url, '-i', wav], env());
    expect(await cli.exit()).toBe(0);
    // The xterm's line discipline turns the Return key's CR into a line feed.
    expect(since(mark)).toBe('Hello world.\n');
    expect(notifications()).toEqual([]);
  });

  it('turns are separated by a space; --newline separates them by a line break', async () => {
    server = await startFakeServer({ script: ['hello world', 'good morning'] });
    let mark = x.received().length;
    expect(await runCli(['dictate', '--api-host', server.url, '-i', twice], env()).exit()).toBe(0);
    expect(since(mark)).toBe('Hello world. Good morning.');
    await server.close();
    server = await startFakeServer({ script: ['hello world', 'good morning'] });
    mark = x.received().length;
    expect(await runCli(['dictate', '--newline', '--api-host', server.url, '-i', twice], env()).exit()).toBe(0);
    expect(since(mark)).toBe('Hello world.\nGood morning.');
  });

  it('--once types the first utterance only; a stop phrase stops it, typed without the phrase', async () => {
    server = await startFakeServer({ script: ['hello world', 'good morning'] });
    let mark = x.received().length;
    expect(await runCli(['dictate', '--once', '--api-host', server.url, '-i', twice], env()).exit()).toBe(0);
    expect(since(mark)).toBe('Hello world.');
    await server.close();
    server = await startFakeServer({ script: ['hello world stop dictation', 'good morning'] });
    mark = x.received().length;
    const cli = runCli(['dictate', '--stop-phrase', 'stop dictation', '--api-host', server.url, '-i', twice], env());
    expect(await cli.exit()).toBe(0);
    // As a normal run writes it: the turn without the phrase (and the punctuation that ended it).
    expect(since(mark)).toBe('Hello world');
    expect(cli.stdout()).toBe('Hello world\n');
  });

  it('-q: typed, and nothing on stdout or stderr', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const mark = x.received().length;
    const cli = runCli(['dictate', '-q', '--api-host', server.url, '-i', wav], env());
    expect(await cli.exit()).toBe(0);
    expect(since(mark)).toBe('Hello world.');
    expect(cli.stdout()).toBe('');
    expect(cli.stderr()).toBe('');
  });

  it('types accents, umlauts, emoji and CJK as they are, and gives the keymap back', async () => {
    const keymap = async (): Promise<string> => (await promisify(execFile)('xmodmap', ['-pke'], { env: env() })).stdout;
    const before = await keymap();
    server = await startFakeServer({ script: ['grüße aus köln 🎉 東京', 'ça va très bien naïve café ß'] });
    const mark = x.received().length;
    const cli = runCli(['dictate', '--api-host', server.url, '-i', twice], env());
    expect(await cli.exit()).toBe(0);
    expect(since(mark)).toBe('Grüße aus köln 🎉 東京. Ça va très bien naïve café ß.');
    expect(await keymap()).toBe(before);
  });

  it('partials are never typed; SIGTERM types the last words and exits 0', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const mark = x.received().length;
    const { cli } = dictateLive(HELD_TURN);
    await partialSent();
    expect(since(mark)).toBe('');
    cli.signal('SIGTERM');
    expect(await cli.exit()).toBe(0);
    expect(since(mark)).toBe('Hello world.');
  });

  it('--toggle starts, --toggle again stops it: the last words are typed, both exit 0', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const mark = x.received().length;
    const { cli: first } = dictateLive(['--toggle', ...HELD_TURN]);
    await partialSent();
    expect(JSON.parse(await readFile(INSTANCE(), 'utf8'))).toMatchObject({ pid: first.child.pid });
    const second = runCli(['dictate', '--toggle'], env());
    expect(await second.exit()).toBe(0);
    // The second press returns once the first has typed its last words and exited.
    expect(since(mark)).toBe('Hello world.');
    expect(await first.exit()).toBe(0);
    expect(second.stderr()).toMatch(/stopping the dictation already running \(pid \d+\)/);
    expect(server.sessions).toHaveLength(1);
    expect(existsSync(INSTANCE())).toBe(false);
    expect(existsSync(`${INSTANCE()}.stop`)).toBe(false);
  });

  it('two presses at once: one starts, the other stops it; both succeed and nothing is left running', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const a = dictateLive(['--toggle']).cli;
    const b = dictateLive(['--toggle']).cli;
    const codes = await Promise.all([a.exit(), b.exit()]);
    expect(codes).toEqual([0, 0]);
    const stoppers = [a, b].filter((c) => /stopping the dictation already running/.test(c.stderr()));
    expect(stoppers).toHaveLength(1);
    expect(server.sessions.length).toBeLessThanOrEqual(1);
    expect(existsSync(INSTANCE())).toBe(false);
    expect(existsSync(`${INSTANCE()}.stop`)).toBe(false);
  });

  it('a stale instance file (its process is gone) does not block a new dictation', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const gone = spawn('true');
    await new Promise((r) => gone.on('exit', r));
    await writeFile(INSTANCE(), JSON.stringify({ pid: gone.pid, nonce: 'dead', startedAt: new Date().toISOString() }));
    const mark = x.received().length;
    const cli = runCli(['dictate', '--toggle', '--api-host', server.url, '-i', wav], env());
    expect(await cli.exit()).toBe(0);
    expect(cli.stderr()).toContain(`(pid ${gone.pid}) left its instance file; replaced`);
    expect(since(mark)).toBe('Hello world.');
    expect(existsSync(INSTANCE())).toBe(false);
  });

  it('nothing can type: says so with the install line, before any session is opened', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const cli = runCli(['dictate', '--api-host', server.url, '-i', wav], env({ PATH: bin }));
    // (PATH holds the stand-in notify-send only.)
    expect(await cli.exit()).toBe(1);
    expect(cli.stderr()).toContain('nothing can type into this X11 session: xdotool is not installed');
    expect(cli.stderr()).toMatch(/install it: sudo \S+ install xdotool/);
    expect(server.sessions).toHaveLength(0);
    expect(notifications()).toEqual([
      '--app-name=live-transcribe|--expire-time=3000|--|Dictation could not start|nothing can type into this X11 session: xdotool is not installed|',
    ]);
  });
});
