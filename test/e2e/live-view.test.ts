/**
 * Issue 24.9 through the real binary: a quick second Ctrl+C in a terminal (tmux), exit 5 in words, a summary
 * that says what was sent for a file, and a meeting that would record one device twice.
 */
import { describe, expect, it } from 'vitest';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { makeSpeechWav, wavDurationMs } from '../support/audio.js';
import { BIN, keyEnv, runCli, TEST_KEY } from '../support/cli.js';
import { makeSilenceWav, makeSpeechFixtures, openedPerTest, useTempDir } from '../support/e2e-files.js';
import { makeFakeSoxDir } from '../support/fake-sox.js';
import { startTmux, type TmuxSession } from '../support/tmux.js';

const open = openedPerTest<{ server: FakeServer; term: TmuxSession }>();
const { f } = useTempDir('lt-live-', async (t) => {
  await makeSpeechFixtures(t, { 'hello.wav': 'hello world' });
  await makeSilenceWav(t.f('silence3.wav'), 3);
});
const env = keyEnv;

describe('a quick second Ctrl+C (issue 24.9)', () => {
  it('the first says how to quit now; a second right after it quits at once (exit 130), the session still told to end', async () => {
    // The double never confirms the end: without the second press the run would wait its full 5 s.
    open.server = await startFakeServer({ noTermination: true });
    const sox = await makeFakeSoxDir('stream-file', { rawPath: f('hello.wav'), afterFile: 'silence' });
    open.term = await startTmux(`${process.execPath} ${BIN} --api-host ${open.server.url}`, {
      cols: 100,
      rows: 20,
      env: { ASSEMBLYAI_API_KEY: TEST_KEY, PATH: `${sox}:${process.env.PATH ?? ''}` },
    });
    await open.term.waitForScreen((s) => s.includes('Hello world.'), 20_000);
    await open.term.sendKeys('C-c');
    await open.term.waitForScreen((s) => s.includes('Stopping... waiting for the last words (Ctrl+C again to quit now).'), 10_000);
    await open.term.sendKeys('C-c');
    expect(await open.term.waitForExit(10_000)).toBe(130);
    const screen = await open.term.capture();
    expect(screen).toContain('Stopped at once (second Ctrl+C): the session was told to end');
    expect((await open.server.waitForSessionClosed(0)).texts).toContainEqual({ type: 'Terminate' });
  });
});

describe('the end of a run in words (issue 24.9)', () => {
  it('exit 5 says that no speech was heard', async () => {
    open.server = await startFakeServer({});
    const cli = runCli(['--api-host', open.server.url, '-i', f('silence3.wav')], env());
    expect(await cli.exit(30_000)).toBe(5);
    expect(cli.stderr()).toContain('No speech was heard: not one final turn came back (exit code 5).');
  });

  it('the summary of a file says what was sent: the file, then a second of silence', async () => {
    open.server = await startFakeServer({ script: ['hello world'] });
    const cli = runCli(['--api-host', open.server.url, '-i', f('hello.wav')], env());
    expect(await cli.exit(30_000)).toBe(0);
    const fileS = (wavDurationMs(f('hello.wav')) / 1000).toFixed(1);
    expect(cli.stderr()).toMatch(
      new RegExp(
        `Session ended: \\d+ s of audio processed, session \\d+ s, 1 turn\\. Sent [\\d.]+ s: the input's ${fileS.replace('.', '\\.')} s, then 1\\.0 s of silence so the last turn ends \\(the service counts whole seconds\\)\\.`,
      ),
    );
  });
});

describe('a meeting on one device twice (issue 24.9)', () => {
  it('the same --device and --system-device: refused, naming the device, before any session', async () => {
    open.server = await startFakeServer({});
    const cli = runCli(['--api-host', open.server.url, '--device', 'mic1=You', '--system-device', 'mic1'], env());
    expect(await cli.exit(20_000)).toBe(2);
    // Refused by the command line already (config-meetings.ts), in its own words.
    expect(cli.stderr()).toMatch(/^error: .*mic1.* twice/);
    expect(open.server.sessions).toHaveLength(0);
  });

  it('the default source is the monitor recorded as system audio: a warning that names the device, before any session', async () => {
    open.server = await startFakeServer({});
    const bin = f('pactl-bin');
    await mkdir(bin, { recursive: true });
    await writeFile(path.join(bin, 'pactl'), '#!/bin/sh\n[ "$1" = get-default-source ] && { echo speaker.monitor; exit 0; }\nexit 1\n');
    await chmod(path.join(bin, 'pactl'), 0o755);
    // No sound server here: the run then fails to record (exit 3), after the warning.
    const cli = runCli(
      ['--api-host', open.server.url, '--system-device', 'speaker.monitor'],
      env({ PATH: `${bin}:${process.env.PATH ?? ''}`, PULSE_SERVER: 'unix:/nonexistent' }),
    );
    await cli.exit(20_000);
    expect(cli.stderr()).toContain(
      'warning: You and Others both record speaker.monitor: every word is transcribed, and billed, twice; the default recording source is speaker.monitor: name your microphone with --device',
    );
  });
});

describe('wrapping on words (issue 24.9)', () => {
  it("doctor's rows and fixes break between words at 70 columns, continuing under their column", async () => {
    open.term = await startTmux(`${process.execPath} ${BIN} doctor --api-host ws://127.0.0.1:1`, {
      cols: 70,
      rows: 40,
      env: { ASSEMBLYAI_API_KEY: TEST_KEY, PULSE_SERVER: 'unix:/nonexistent' },
    });
    await open.term.waitForExit(60_000);
    const screen = await open.term.capture();
    // Rows joined by one space read as the sentences: a word cut in two would read with a space inside it.
    const joined = screen
      .split('\n')
      .map((l) => l.trim())
      .join(' ');
    expect(joined).toContain(
      'fix: a firewall or proxy may block outgoing connections on this port; if the network needs an HTTP proxy, set HTTPS_PROXY to it (README: Proxies)',
    );
    const fixRow = screen.split('\n').findIndex((l) => l.includes('fix: a firewall'));
    expect(screen.split('\n')[fixRow + 1]).toMatch(/^ {29}\S/);
  });
});

describe('the live view with stdout captured (issue 24.9)', () => {
  it('answer=$(live-transcribe ...): the partials and the bar show on the terminal (stderr), the capture gets the final text only', async () => {
    open.server = await startFakeServer({ script: ['good morning everyone'] });
    await makeSpeechWav('good morning everyone', f('morning.wav'));
    const out = f('captured.txt');
    open.term = await startTmux(
      `answer=$(${process.execPath} ${BIN} --api-host ${open.server.url} -i ${f('morning.wav')}); printf '%s' "$answer" > ${out}`,
      {
        cols: 100,
        rows: 20,
        env: { ASSEMBLYAI_API_KEY: TEST_KEY },
      },
    );
    // Nothing of stdout reaches the terminal: lowercase words on the screen can only be the live partial.
    const live = await open.term.waitForScreen((s) => /good morning/.test(s) || /%\)/.test(s), 20_000);
    expect(live).toMatch(/good morning|%\)/);
    await open.term.waitForScreen((s) => /good morning/.test(s), 20_000);
    expect(await open.term.waitForExit(30_000)).toBe(0);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(out, 'utf8')).toBe('Good morning everyone.');
    const end = await open.term.capture();
    // The live region is gone at the end: no partial, no bar left behind.
    expect(end).not.toMatch(/good morning|▶|%\)/);
  });
});
