/**
 * Issue 14 through the real binary: the config file and its profiles (precedence, errors naming file, line and
 * key, a readable file holding a key refused), `config`, `config --path`, `config --init`, `completion --list`,
 * the spoken stop phrase (into the virtual microphone, and from a file) and the exit codes 5 (nothing was said).
 * Exit 6 (a hole in the transcript) needs audio lost past the 2-minute replay bound, which no run of bounded
 * length can lose: the decision is unit-tested (test/unit/app/stop.test.ts), the sum of lost audio too
 * (test/unit/streaming/connection.test.ts), and the summary line (test/unit/render/messages.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ownPulseServer } from '../support/own-pulse.js';
import { execFile } from 'node:child_process';
import { chmod, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { createPocketsphinxRecognizer } from '../support/recognizer.js';
import { makeSpeechWav, playIntoMic } from '../support/audio.js';
import { cleanEnv, runCli, TEST_KEY } from '../support/cli.js';
import { makeSilenceWav, openedPerTest, useTempDir } from '../support/e2e-files.js';

const run = promisify(execFile);
const STOP = 'stop recording';
const PHRASES = ['hello world', 'good morning everyone', STOP, `good morning everyone ${STOP}`];
// A microphone of this file's own: it runs beside the other files (test/support/own-pulse.ts).
const pulseServer = await ownPulseServer();

let hello: string;
let silence: string;
/** Config files that hold TEST_KEY: removed after each test, before the secret scan looks at the temp files. */
const keyFiles: string[] = [];
const open = openedPerTest<{ server: FakeServer }>();

const { f } = useTempDir('lt-everyday-', async () => {
  hello = f('hello.wav');
  await makeSpeechWav('hello world', hello);
  silence = f('silence.wav');
  await makeSilenceWav(silence, 2);
  await makeSilenceWav(f('pause.wav'), 1.5);
  await makeSpeechWav(STOP, f('stop.wav'));
  await makeSpeechWav('good morning everyone', f('morning.wav'));
  await makeSpeechWav(`good morning everyone ${STOP}`, f('morning-stop.wav'));
  // Three turns: "hello world", the stop phrase alone, then words that must never be transcribed.
  await run('sox', ['-D', hello, f('pause.wav'), f('stop.wav'), f('pause.wav'), f('morning.wav'), f('pause.wav'), f('three-turns.wav')]);
});
afterEach(async () => {
  await Promise.all(keyFiles.splice(0).map((file) => rm(file, { force: true })));
});

/** A config file of its own for each test, private (0600) unless `mode` says otherwise. */
async function configFile(name: string, lines: string[], mode = 0o600): Promise<string> {
  const file = f(`${name}.toml`);
  await writeFile(file, `${lines.join('\n')}\n`, { mode });
  await chmod(file, mode);
  if (lines.some((line) => line.includes(TEST_KEY))) keyFiles.push(file);
  return file;
}

const envWith = (config: string, extra: Record<string, string | undefined> = {}): Record<string, string> =>
  cleanEnv({ LIVE_TRANSCRIBE_CONFIG: config, XDG_CONFIG_HOME: f('no-such-xdg'), ...extra });

async function runToEnd(args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = runCli(args, env);
  const code = await cli.exit(timeoutMs);
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

describe('config file and profiles', () => {
  it('a profile chooses the format and the host', async () => {
    open.server = await startFakeServer();
    const config = await configFile('profile', [
      'api-host = "ws://127.0.0.1:9"',
      '',
      '[profiles.work]',
      `api-host = "${open.server.url}"`,
      'format = "json"',
    ]);
    const r = await runToEnd(['--profile', 'work', '-i', hello], envWith(config, { ASSEMBLYAI_API_KEY: TEST_KEY }));
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; text?: string });
    expect(events.filter((e) => e.type === 'turn').map((e) => e.text)).toEqual(['Hello world.']);
    expect(open.server.sessions).toHaveLength(1);
  });

  it('precedence: flag over environment over profile over the top-level keys', async () => {
    open.server = await startFakeServer();
    const config = await configFile('precedence', [
      `api-host = "${open.server.url}"`,
      'format = "srt"',
      'api-key = "wrong-file-key-0001"',
      'default-profile = "p"',
      '[profiles.p]',
      'format = "vtt"',
      'api-key = "wrong-profile-key-0002"',
    ]);
    const env = envWith(config, { ASSEMBLYAI_API_KEY: TEST_KEY });
    // The key from the environment wins over both keys of the file (the double accepts only TEST_KEY).
    const flagWins = await runToEnd(['--format', 'text', '-i', hello], env);
    expect([flagWins.code, flagWins.stdout]).toEqual([0, 'Hello world.\n']);
    const profileWins = await runToEnd(['-i', hello], env);
    expect(profileWins.code).toBe(0);
    expect(profileWins.stdout).toMatch(/^WEBVTT\n/);
    const fileWins = await runToEnd(
      ['-i', hello],
      envWith(await configFile('top-only', [`api-host = "${open.server.url}"`, 'format = "srt"']), { ASSEMBLYAI_API_KEY: TEST_KEY }),
    );
    expect(fileWins.code).toBe(0);
    expect(fileWins.stdout).toMatch(/^1\n00:00:\d\d,\d{3} --> 00:00:\d\d,\d{3}\nHello world\.\n/);
    expect(open.server.sessions.map((s) => s.authorized)).toEqual([true, true, true]);
    // And where each value came from, as `config` shows it.
    const shown = await runToEnd(['config'], env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^format +vtt +profile p line 6$/m);
    expect(shown.stdout).toMatch(/^api-key +\[redacted\] +env ASSEMBLYAI_API_KEY$/m);
  });

  it('a bad value in the file: the file, the line, the key and what is allowed; exit 2, no connection', async () => {
    open.server = await startFakeServer();
    const config = await configFile('bad-value', ['# my settings', `api-host = "${open.server.url}"`, 'format = "srt2"']);
    const r = await runToEnd(['-i', hello], envWith(config, { ASSEMBLYAI_API_KEY: TEST_KEY }));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${config} line 3: format: unknown format "srt2"\n  choose one of: text, json, srt, vtt\n`);
    expect(open.server.sessions).toHaveLength(0);
  });

  it('an unknown key: an error with the nearest known key', async () => {
    const config = await configFile('unknown-key', ['[profiles.work]', 'formt = "srt"']);
    const r = await runToEnd([], envWith(config, { ASSEMBLYAI_API_KEY: TEST_KEY }));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${config} line 2: unknown key "formt" in [profiles.work]\n  did you mean "format"?\n`);
  });

  it('a group-readable file holding an api-key is refused with the chmod 600 that fixes it', async () => {
    const config = await configFile('readable', [`api-key = "${TEST_KEY}"`], 0o640);
    const r = await runToEnd(['-i', hello], envWith(config));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${config} line 1: api-key in a file other users can read (mode 640)\n  make it private: chmod 600 ${config}\n`);
    await chmod(config, 0o600);
    const fixed = await runToEnd(['config'], envWith(config));
    expect(fixed.code).toBe(0);
  });

  it('config: the settings in effect, where each came from, the key masked', async () => {
    const config = await configFile('shown', [
      `api-key = "${TEST_KEY}"`,
      'format = "srt"',
      'keyterms = ["Kubernetes", "AssemblyAI"]',
      '[profiles.talk]',
      'format = "vtt"',
      'stop-phrase = ["stop recording", "over and out"]',
    ]);
    const r = await runToEnd(['config', '--profile', 'talk'], envWith(config));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^config file: ${config} \\(LIVE_TRANSCRIBE_CONFIG\\)$`, 'm'));
    expect(r.stdout).toMatch(/^profile: +talk \(--profile\)$/m);
    expect(r.stdout).toMatch(/^api-key +\[redacted\] +file line 1$/m);
    expect(r.stdout).toMatch(/^format +vtt +profile talk line 5$/m);
    expect(r.stdout).toMatch(/^keyterms +Kubernetes,AssemblyAI +file line 3$/m);
    expect(r.stdout).toMatch(/^stop-phrase +\["stop recording", "over and out"\] +profile talk line 6$/m);
    expect(r.stdout).toMatch(/^speech-model +universal-streaming-english +default$/m);
  });

  it('config --path: the usual place under XDG_CONFIG_HOME, or the file LIVE_TRANSCRIBE_CONFIG names', async () => {
    const xdg = await runToEnd(['config', '--path'], cleanEnv({ XDG_CONFIG_HOME: f('xdg') }));
    expect([xdg.code, xdg.stdout, xdg.stderr]).toEqual([0, `${f('xdg')}/live-transcribe/config.toml\n`, '']);
    const named = await runToEnd(['config', '--path'], cleanEnv({ XDG_CONFIG_HOME: f('xdg'), LIVE_TRANSCRIBE_CONFIG: f('other.toml') }));
    expect(named.stdout).toBe(`${f('other.toml')}\n`);
  });

  it('config --init writes a private starter file that a run then loads, and never replaces it', async () => {
    const xdg = f('init-xdg');
    const env = cleanEnv({ XDG_CONFIG_HOME: xdg, ASSEMBLYAI_API_KEY: TEST_KEY });
    const file = `${xdg}/live-transcribe/config.toml`;
    const init = await runToEnd(['config', '--init'], env);
    expect([init.code, init.stderr]).toEqual([0, '']);
    expect(init.stdout).toMatch(new RegExp(`^wrote ${file} `));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toMatch(/^# format = "text"$/m);
    const again = await runToEnd(['config', '--init'], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; config --init never replaces a file/);
    // The starter file with one line switched on, used by a run.
    open.server = await startFakeServer();
    await writeFile(file, `${(await readFile(file, 'utf8')).replace('# format = "text"', 'format = "json"')}api-host = "${open.server.url}"\n`);
    const r = await runToEnd(['-i', hello], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\{"type":"turn"/m);
    const shown = await runToEnd(['config'], env);
    expect(shown.stdout).toMatch(/^format +json +file line \d+$/m);
  });

  it('completion --list profiles: the profile names of the config file, for the shell scripts', async () => {
    const config = await configFile('lists', ['[profiles.work]', 'format = "srt"', '[profiles."late night"]', 'format = "vtt"']);
    const r = await runToEnd(['completion', '--list', 'profiles'], envWith(config));
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'work\nlate night\n', '']);
  });
});

describe('--stop-phrase', () => {
  it('spoken into the virtual microphone: the run stops by itself, the turn written without the phrase', async () => {
    open.server = await startFakeServer({ script: ['not what was said'], recognizer: createPocketsphinxRecognizer(PHRASES) });
    const cli = runCli(
      ['--api-host', open.server.url, '--stop-phrase', 'Stop recording!'],
      cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, PULSE_SERVER: pulseServer }),
    );
    await cli.waitForStderr(/Listening\.\.\./);
    await playIntoMic(f('morning-stop.wav'), pulseServer);
    // No signal: the phrase alone ends the run.
    expect(await cli.exit(30_000)).toBe(0);
    expect(cli.stdout()).toBe('Good morning everyone\n');
    expect(cli.stderr()).toMatch(/Stop phrase heard: stopping\.\.\./);
    const session = await open.server.waitForSessionClosed(0);
    expect(session.terminated).toBe(true);
  });

  it('from a file, in json: a turn that is only the phrase writes nothing, what follows is never sent; reason stop-phrase', async () => {
    open.server = await startFakeServer({ script: ['not what was said'], recognizer: createPocketsphinxRecognizer(PHRASES) });
    const r = await runToEnd(
      ['--api-host', open.server.url, '-i', f('three-turns.wav'), '--format', 'json', '--stop-phrase', STOP],
      cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY }),
    );
    expect(r.code).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; text?: string; reason?: string; turns?: number });
    expect(events.filter((e) => e.type === 'turn').map((e) => e.text)).toEqual(['Hello world.']);
    // The turn that was only the phrase is not written, nor counted.
    expect(events.find((e) => e.type === 'termination')).toMatchObject({ reason: 'stop-phrase', turns: 1 });
    expect(r.stderr).toMatch(/Session ended: .*, 1 turn\./);
    expect(r.stderr).toMatch(/Stop phrase heard: stopping\.\.\./);
    // The file is 8 s long; the run stopped after the phrase, before its last words were streamed.
    const [session] = open.server.sessions;
    expect(session?.terminated).toBe(true);
    expect(session?.audioMs).toBeLessThan(7000);
  });

  it('with --once: the first turn written without the phrase', async () => {
    open.server = await startFakeServer({ script: ['not what was said'], recognizer: createPocketsphinxRecognizer(PHRASES) });
    const r = await runToEnd(
      ['--api-host', open.server.url, '-i', f('morning-stop.wav'), '--once', '--stop-phrase', STOP],
      cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY }),
    );
    expect([r.code, r.stdout]).toEqual([0, 'Good morning everyone\n']);
  });

  it('in the config file, and a phrase with no words refused like the flag (exit 2)', async () => {
    open.server = await startFakeServer({ script: ['not what was said'], recognizer: createPocketsphinxRecognizer(PHRASES) });
    const config = await configFile('stop', [`api-host = "${open.server.url}"`, `stop-phrase = ["${STOP}"]`]);
    const r = await runToEnd(['-i', f('three-turns.wav')], envWith(config, { ASSEMBLYAI_API_KEY: TEST_KEY }));
    expect([r.code, r.stdout]).toEqual([0, 'Hello world.\n']);
    const bad = await runToEnd(['--stop-phrase', '...'], cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY }));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: --stop-phrase "\.\.\." has no words\n/);
  });
});

describe('exit code 5: nothing was said', () => {
  it('a silent file: the run ends normally without a single final turn', async () => {
    open.server = await startFakeServer();
    const r = await runToEnd(['--api-host', open.server.url, '-i', silence], cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY }));
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Session ended: .*0 turns\./);
    expect(open.server.sessions[0]?.terminated).toBe(true);
  });

  it('--once that hears nothing before --max-duration', async () => {
    open.server = await startFakeServer();
    await run('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', f('long-silence.wav'), 'trim', '0', '20']);
    const r = await runToEnd(
      ['--api-host', open.server.url, '-i', f('long-silence.wav'), '--once', '--max-duration', '2s', '-q'],
      cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY }),
    );
    expect([r.code, r.stdout, r.stderr]).toEqual([5, '', '']);
  });

  it('a run that wrote a turn is a success (0), for contrast', async () => {
    open.server = await startFakeServer();
    const r = await runToEnd(['--api-host', open.server.url, '-i', hello, '--once', '-q'], cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY }));
    expect([r.code, r.stdout]).toEqual([0, 'Hello world.\n']);
  });
});

describe('help', () => {
  it('`live-transcribe help all` prints the help, and --help all names the config and completion commands', async () => {
    const r = await runToEnd(['help', 'all'], cleanEnv());
    expect(r.code).toBe(0);
    for (const text of [
      /^Usage: live-transcribe \[options\]$/m,
      /live-transcribe config/,
      /live-transcribe completion bash\|zsh\|fish/,
      /--stop-phrase/,
      /--profile <name>/,
    ]) {
      expect(r.stdout).toMatch(text);
    }
    const fast = await runToEnd(['--help', 'all'], cleanEnv());
    expect(fast.stdout).toMatch(/live-transcribe config +the settings in effect/);
    expect(fast.stdout).toMatch(/live-transcribe completion bash\|zsh\|fish/);
    expect(fast.stdout).toMatch(/^ {2}5 +nothing was said/m);
    expect(fast.stdout).toMatch(/^ {2}6 +the transcript has a hole/m);
  });
});
