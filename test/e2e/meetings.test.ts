/**
 * Meetings (issue 13) through the real binary: the microphone (the suite's virtual microphone `virtmic`,
 * recorded from `virtmic.monitor`) and the system audio (the virtual speakers `virtspk`, recorded from
 * `virtspk.monitor`), one session each on the double, whose recognizer answers with what each session
 * really received. One transcript, labelled by source, in the order things were said.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownPulseServer } from '../support/own-pulse.js';
import { openedPerTest } from '../support/e2e-files.js';
import { makeSpeechWav, parseWav, playIntoMic, wavDurationMs } from '../support/audio.js';
import { BIN, cleanEnv, runCli, TEST_KEY } from '../support/cli.js';
import { startFakeServer, type FakeServer, type SessionRecord } from '../support/fake-server.js';
import { createPocketsphinxRecognizer } from '../support/recognizer.js';
import { startTmux, type TmuxSession } from '../support/tmux.js';
import { waitUntil } from '../support/wait.js';

const LONG = 'the quick brown fox jumps over the lazy dog';
const SHORT = 'hello world';
const PHRASES = [LONG, SHORT, 'good morning everyone'];
const SPEAKERS = 'virtspk';
// A microphone of this file's own: it runs beside the other files (test/support/own-pulse.ts).
const pulseServer = await ownPulseServer();
const pulseEnv = { ...process.env, PULSE_SERVER: pulseServer };

let dir: string;
let longWav: string;
/** SHORT, after half a second of silence: played at the same moment as LONG, it starts after it and ends before it. */
let lateShortWav: string;
let shortWav: string;
let keepAlive: ChildProcess | undefined;
const open = openedPerTest<{ server: FakeServer; term: TmuxSession }>();
let loadedModule: string | undefined;

function pactl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('pactl', args, { env: pulseEnv, timeout: 5000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`pactl ${args.join(' ')}: ${stderr}`)) : resolve(stdout),
    );
  });
}

function sinkLatencyUsec(listSinks: string, sink: string): number | undefined {
  const section = listSinks.split(/\n(?=Sink #)/).find((s) => s.match(/^\s*Name: (\S+)\s*$/m)?.[1] === sink);
  const m = section === undefined ? null : /^\s*Latency: (\d+) usec/m.exec(section);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/** The virtual speakers: the suite's own when it has them, else loaded here, with a reader that keeps them at low latency. */
async function ensureSpeakers(): Promise<void> {
  if ((await pactl(['list', 'short', 'sinks'])).split('\n').some((l) => l.split('\t')[1] === SPEAKERS)) return;
  loadedModule = (await pactl(['load-module', 'module-null-sink', `sink_name=${SPEAKERS}`, 'rate=16000', 'channels=1', 'format=s16le'])).trim();
  // Loading a sink must not change what "the default device" is for the other tests.
  await pactl(['set-default-sink', 'virtmic']);
  await pactl(['set-default-source', 'virtmic.monitor']);
  keepAlive = spawn('parec', ['--latency-msec=20', '-d', `${SPEAKERS}.monitor`, '--raw'], { env: pulseEnv, stdio: 'ignore' });
  await waitUntil(async () => (sinkLatencyUsec(await pactl(['list', 'sinks']), SPEAKERS) ?? Infinity) < 100_000, {
    timeoutMs: 8000,
    intervalMs: 50,
    what: 'the virtual speakers to settle',
  });
}

/** Plays a WAV into the virtual speakers, in real time (what the computer plays). */
function playIntoSpeakers(wav: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('paplay', ['-d', SPEAKERS, wav], { env: pulseEnv, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), wavDurationMs(wav) + 10_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`paplay -d ${SPEAKERS} ${wav} failed with ${code}`));
    });
  });
}

function padStart(input: string, output: string, seconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('sox', ['-D', input, output, 'pad', String(seconds)], { timeout: 10_000 }, (err) => (err ? reject(err) : resolve()));
  });
}

const meetingEnv = (): Record<string, string> => cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, PULSE_SERVER: pulseServer });
const MEETING = ['--device', 'virtmic.monitor', '--system-device', `${SPEAKERS}.monitor`];

/** The JSON lines of a run's stdout. */
const events = (stdout: string): Record<string, unknown>[] =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Which source each session served, from the begin events. */
function sessionsBySource(stdout: string, sessions: readonly SessionRecord[]): Map<string, SessionRecord[]> {
  const map = new Map<string, SessionRecord[]>();
  for (const e of events(stdout).filter((x) => x.type === 'begin')) {
    const s = sessions.find((x) => x.id === e.session_id);
    if (s !== undefined) map.set(String(e.source), [...(map.get(String(e.source)) ?? []), s]);
  }
  return map;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-meet-'));
  longWav = path.join(dir, 'long.wav');
  shortWav = path.join(dir, 'short.wav');
  lateShortWav = path.join(dir, 'late-short.wav');
  await makeSpeechWav(LONG, longWav);
  await makeSpeechWav(SHORT, shortWav);
  await padStart(shortWav, lateShortWav, 0.5);
  await ensureSpeakers();
});
afterAll(async () => {
  keepAlive?.kill('SIGTERM');
  if (loadedModule !== undefined) await pactl(['unload-module', loadedModule]).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('a meeting: the microphone and the system audio', () => {
  it('one transcript in the order things were said, each turn once and labelled by its source; two sessions, both terminated', async () => {
    // The script is wrong on purpose: the text can only come from recognizing what each session received.
    open.server = await startFakeServer({ script: ['not what was said'], recognizer: createPocketsphinxRecognizer(PHRASES) });
    const cli = runCli(['--api-host', open.server.url, ...MEETING], meetingEnv());
    await cli.waitForStderr(/Listening\.\.\./);
    // The system audio starts half a second after the microphone and ends first: its final comes first.
    await Promise.all([playIntoMic(longWav, pulseServer), playIntoSpeakers(lateShortWav)]);
    await cli.waitForStdout(/\n.*\n/, 20_000);
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(0);
    expect(cli.stdout()).toBe('You: The quick brown fox jumps over the lazy dog.\nOthers: Hello world.\n');
    expect(open.server.sessions).toHaveLength(2);
    for (const i of [0, 1]) expect((await open.server.waitForSessionClosed(i)).terminated).toBe(true);
    expect(cli.stderr()).toMatch(/Session started for You: /);
    expect(cli.stderr()).toMatch(/Session started for Others: /);
    expect(cli.stderr()).toMatch(/Recording Others from .*virtspk\.monitor/);
  });

  it("JSON: source on every turn and partial, a begin and a termination per source, then the run's termination", async () => {
    open.server = await startFakeServer({ script: ['not what was said'], recognizer: createPocketsphinxRecognizer(PHRASES) });
    const cli = runCli(['--api-host', open.server.url, ...MEETING, '--format', 'json', '--partials'], meetingEnv());
    await cli.waitForStderr(/Listening\.\.\./);
    await Promise.all([playIntoMic(longWav, pulseServer), playIntoSpeakers(lateShortWav)]);
    await cli.waitForStdout(/"type":"turn".*\n(.*\n)*.*"type":"turn"/, 20_000);
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(0);
    const all = events(cli.stdout());
    expect(all.filter((e) => e.type === 'turn').map((e) => [e.source, e.text])).toEqual([
      ['You', 'The quick brown fox jumps over the lazy dog.'],
      ['Others', 'Hello world.'],
    ]);
    expect(all.filter((e) => e.type === 'partial').every((e) => e.source === 'You' || e.source === 'Others')).toBe(true);
    expect(
      all
        .filter((e) => e.type === 'begin')
        .map((e) => e.source)
        .sort(),
    ).toEqual(['Others', 'You']);
    const terminations = all.filter((e) => e.type === 'termination');
    expect(terminations.map((e) => e.source)).toEqual(['You', 'Others', undefined]);
    expect(terminations.map((e) => e.turns)).toEqual([1, 1, 2]);
    expect(all.at(-1)?.type).toBe('termination');
  });

  it('VTT: one cue per turn with its source as the voice', async () => {
    open.server = await startFakeServer({ script: ['not what was said'], recognizer: createPocketsphinxRecognizer(PHRASES) });
    const cli = runCli(['--api-host', open.server.url, ...MEETING, '--format', 'vtt'], meetingEnv());
    await cli.waitForStderr(/Listening\.\.\./);
    await Promise.all([playIntoMic(longWav, pulseServer), playIntoSpeakers(lateShortWav)]);
    await cli.waitForStdout(/<v Others>/, 20_000);
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(0);
    expect(cli.stdout()).toMatch(
      /^WEBVTT\n\n\d\d:\d\d:\d\d\.\d{3} --> .*\n<v You>The quick brown fox jumps over the lazy dog\.\n\n.* --> .*\n<v Others>Hello world\.\n\n$/,
    );
  });

  it("--speaker-labels: speakers within each source too (`Others A: ...`), each source's first session with A", async () => {
    open.server = await startFakeServer({ script: ['not what was said'], recognizer: createPocketsphinxRecognizer(PHRASES), speakers: ['A'] });
    const cli = runCli(['--api-host', open.server.url, ...MEETING, '--speaker-labels'], meetingEnv());
    await cli.waitForStderr(/Listening\.\.\./);
    await Promise.all([playIntoMic(longWav, pulseServer), playIntoSpeakers(lateShortWav)]);
    await cli.waitForStdout(/\n.*\n/, 20_000);
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(0);
    expect(cli.stdout()).toBe('You A: The quick brown fox jumps over the lazy dog.\nOthers A: Hello world.\n');
    expect(open.server.sessions.map((x) => x.query.speaker_labels)).toEqual(['true', 'true']);
  });

  it("the drop of one source's connection loses nothing of either source", async () => {
    // The first session opened drops while the phrases play; its source reconnects and replays.
    open.server = await startFakeServer({
      script: ['not what was said'],
      recognizer: createPocketsphinxRecognizer(PHRASES),
      perSession: (i) => (i === 0 ? { dropAfterMs: 1500 } : {}),
    });
    const cli = runCli(['--api-host', open.server.url, ...MEETING, '--format', 'json'], meetingEnv());
    await cli.waitForStderr(/Listening\.\.\./);
    await Promise.all([playIntoMic(longWav, pulseServer), playIntoSpeakers(lateShortWav)]);
    await cli.waitForStdout(/"type":"turn".*\n(.*\n)*.*"type":"turn"/, 25_000);
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(0);
    const turns = events(cli.stdout()).filter((e) => e.type === 'turn');
    expect(turns.map((e) => [e.source, e.text])).toEqual([
      ['You', 'The quick brown fox jumps over the lazy dog.'],
      ['Others', 'Hello world.'],
    ]);
    expect(events(cli.stdout()).some((e) => e.type === 'reconnected')).toBe(true);
    expect(open.server.sessions).toHaveLength(3);
    expect(open.server.sessions[0]?.closeCode).toBe(1006);
  });

  it("--save-audio: one WAV, one channel per source, each the audio its sessions received, on the run's timeline", async () => {
    // The service's real timings (Begin after 1.2 s): each source's audio held meanwhile reaches the WAV in one burst (issue 18).
    open.server = await startFakeServer({ script: ['not what was said'], recognizer: createPocketsphinxRecognizer(PHRASES) });
    const saved = path.join(dir, 'meeting.wav');
    const cli = runCli(['--api-host', open.server.url, ...MEETING, '--format', 'json', '--save-audio', saved], meetingEnv());
    await cli.waitForStderr(/Listening\.\.\./);
    await Promise.all([playIntoMic(longWav, pulseServer), playIntoSpeakers(lateShortWav)]);
    await cli.waitForStdout(/"type":"turn".*\n(.*\n)*.*"type":"turn"/, 20_000);
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(0);
    for (const i of [0, 1]) await open.server.waitForSessionClosed(i);
    const wav = parseWav(await readFile(saved));
    expect(wav.channels).toBe(2);
    expect(wav.sampleRateHz).toBe(16000);
    const bySource = sessionsBySource(cli.stdout(), open.server.sessions);
    ['You', 'Others'].forEach((label, c) => {
      const channel = Buffer.alloc(wav.pcm.length / 2);
      for (let i = 0; i < channel.length / 2; i += 1) channel.writeInt16LE(wav.pcm.readInt16LE((i * 2 + c) * 2), i * 2);
      const received = Buffer.concat((bySource.get(label) ?? []).flatMap((s) => s.frames.map((f) => f.data)));
      expect(received.length).toBeGreaterThan(32_000);
      // The channel is silence until its source started, then exactly what the session received.
      const at = channel.indexOf(received.subarray(0, 3200));
      expect(at, `${label}'s audio in channel ${c}`).toBeGreaterThanOrEqual(0);
      expect(at % 2).toBe(0);
      expect(channel.subarray(at, at + received.length).equals(received)).toBe(true);
      expect(channel.subarray(0, at).every((b) => b === 0)).toBe(true);
    });
  });

  it('a source that fails (its device does not exist): the other goes on, the user is told, exit code 6', async () => {
    open.server = await startFakeServer({ script: ['not what was said'], recognizer: createPocketsphinxRecognizer(PHRASES) });
    const cli = runCli(['--api-host', open.server.url, '--device', 'no-such-source=Me', '--system-device', `${SPEAKERS}.monitor`], meetingEnv());
    // Issue 24.8: the device is named as missing, not as a SoX exit code.
    await cli.waitForStderr(/Me stopped: no such recording device: no-such-source/);
    await cli.waitForStderr(/Listening\.\.\./);
    await playIntoSpeakers(shortWav);
    await cli.waitForStdout(/Others: Hello world\.\n/, 20_000);
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(6);
    expect(cli.stdout()).toBe('Others: Hello world.\n');
    // Both sessions began, and both were told to end.
    expect(open.server.sessions).toHaveLength(2);
    for (const i of [0, 1]) expect((await open.server.waitForSessionClosed(i)).terminated).toBe(true);
  });

  it('echo: the same phrase in the microphone and in the system audio at the same moment is written once, as Others', async () => {
    open.server = await startFakeServer({ script: ['not what was said'], recognizer: createPocketsphinxRecognizer(PHRASES) });
    // --system-audio alone finds the default output's monitor: here virtmic, which the microphone hears too.
    const cli = runCli(['--api-host', open.server.url, '--system-audio'], meetingEnv());
    await cli.waitForStderr(/Listening\.\.\./);
    await playIntoMic(shortWav, pulseServer);
    await cli.waitForStdout(/Others: Hello world\.\n/, 20_000);
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(0);
    expect(cli.stderr()).toMatch(/Recording Others from .*virtmic\.monitor/);
    expect(cli.stdout()).toBe('Others: Hello world.\n');
    // Both sessions heard it: the microphone's turn was dropped as an echo, not missed.
    await waitUntil(() => open.server!.sessions.length === 2 && open.server!.sessions.every((s) => s.closed), {
      timeoutMs: 10_000,
      what: 'both sessions to close',
    });
    expect(
      open.server.sessions.every((s) =>
        s.sentMessages.some(
          (m) =>
            (m as { end_of_turn?: boolean; transcript?: string }).end_of_turn === true &&
            /hello world/i.test((m as { transcript?: string }).transcript ?? ''),
        ),
      ),
    ).toBe(true);
  });

  it('a second Ctrl+C while the sessions end: exit 130, and every session was told to end', async () => {
    open.server = await startFakeServer({ noTermination: true });
    const cli = runCli(['--api-host', open.server.url, ...MEETING], meetingEnv());
    await cli.waitForStderr(/Listening\.\.\./);
    cli.signal('SIGINT');
    const s = open.server;
    await s.waitFor((ss) => ss.length === 2 && ss.every((x) => x.terminated));
    // A second Ctrl+C within 500 ms counts as the same one (npx can deliver one twice): this pause is the
    // behaviour under test (a window in time), not a wait for something to happen.
    await new Promise((r) => setTimeout(r, 700));
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(130);
    for (const i of [0, 1]) expect((await s.waitForSessionClosed(i)).texts).toContainEqual({ type: 'Terminate' });
  });

  it('a source whose session cannot begin ends the run: the session that began is ended, the error names the source', async () => {
    // Every session after the first is refused: one source begins, the other never does.
    open.server = await startFakeServer({ perSession: (i) => (i === 0 ? {} : { refuseUpgrade: 503 }) });
    const cli = runCli(['--api-host', open.server.url, ...MEETING], meetingEnv());
    expect(await cli.exit(30_000)).toBe(1);
    expect(cli.stderr()).toMatch(/error: (You|Others): /);
    expect(cli.stderr()).not.toMatch(/Listening/);
    const first = await open.server.waitForSessionClosed(0);
    expect(first.texts).toContainEqual({ type: 'Terminate' });
  });

  it("the live view in a terminal: each source's partial on its own line, a level per source in the status line", async () => {
    // Other words for each session: the same words at the same moment would be an echo.
    const scripts = ['alpha bravo charlie delta echo foxtrot golf hotel india', 'one two three four five six seven eight nine'];
    open.server = await startFakeServer({ wordIntervalMs: 100, perSession: (i) => ({ script: [scripts[i % 2]!] }) });
    open.term = await startTmux(`${process.execPath} ${BIN} --api-host ${open.server.url} ${MEETING.join(' ')}`, {
      cols: 100,
      rows: 16,
      env: { ASSEMBLYAI_API_KEY: TEST_KEY, PULSE_SERVER: pulseServer },
    });
    await open.term.waitForScreen((s) => /Listening\.\.\./.test(s), 15_000);
    const playing = Promise.all([playIntoMic(longWav, pulseServer), playIntoSpeakers(lateShortWav)]);
    const partial = /^(You|Others): (alpha|one) [a-z ]+$/;
    const both = await open.term.waitForScreen((s) => s.split('\n').filter((r) => partial.test(r)).length === 2, 15_000);
    const rows = both.split('\n');
    // Two partial lines, one per source, then the status line with both sources' levels.
    expect(
      rows
        .filter((r) => partial.test(r))
        .map((r) => r.split(':')[0])
        .sort(),
    ).toEqual(['Others', 'You']);
    expect(rows.at(-1)).toMatch(/^● \d\d:\d\d:\d\d .*You .*Others /);
    await playing;
    const final = /^(You|Others): (Alpha|One) [a-z ]+\.$/;
    await open.term.waitForScreen((s) => s.split('\n').filter((r) => final.test(r)).length >= 2, 15_000);
    await open.term.sendKeys('C-c');
    expect(await open.term.waitForExit(15_000)).toBe(0);
    const end = await open.term.capture();
    expect(
      end
        .split('\n')
        .filter((r) => final.test(r))
        .map((r) => r.split(':')[0]),
    ).toEqual(['You', 'Others']);
    expect(end.split('\n').filter((r) => partial.test(r))).toEqual([]);
  });

  it('refuses --system-audio with --input, before anything starts', async () => {
    const cli = runCli(['--system-audio', '-i', longWav], meetingEnv());
    expect(await cli.exit()).toBe(2);
    expect(cli.stderr()).toMatch(/--system-audio and --system-device record a device, not --input/);
  });
});
