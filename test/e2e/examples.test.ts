/**
 * Every example of `--help` and of the README does what it says: each command line runs literally through
 * `bash -c`, with a `live-transcribe` first on PATH that is the built bin pointed at the test double
 * (`--api-host`), the key in the environment as the examples' `export` line puts it. Speech is played into
 * the virtual microphone, or comes from a file. An example that needs something that cannot exist here
 * runs as an equivalent, with the reason next to it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ownPulseServer } from '../support/own-pulse.js';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { makeSpeechWav, playIntoMic } from '../support/audio.js';
import { BIN, recordOutput, TEST_KEY } from '../support/cli.js';
import { parseSrtStrict, parseVttStrict } from '../support/captions.js';
import { startTmux } from '../support/tmux.js';

const run = promisify(execFile);
// A microphone of this file's own: it runs beside the other files (test/support/own-pulse.ts).
const pulseServer = await ownPulseServer();
const MORNING = 'Good morning everyone.';
const DEPLOY = 'We deploy on friday.';
let root: string;
let work: string;
let server: FakeServer;
const wav: Record<'morning' | 'deploy', string> = { morning: '', deploy: '' };

/** `live-transcribe` as installed, but talking to the double; it records its pid (exec keeps it). */
const WRAPPER = `#!/bin/sh
echo $$ >> "$LT_PIDS"
if [ "$1" = doctor ]; then shift; exec "$LT_NODE" "$LT_BIN" doctor --api-host "$LT_API_HOST" "$@"; fi
exec "$LT_NODE" "$LT_BIN" --api-host "$LT_API_HOST" "$@"
`;
/**
 * `sleep`, for the README's SIGTERM script only: it returns when the test has seen the transcript (it opens
 * the FIFO), instead of after 60 real seconds.
 */
const SLEEP_SHIM = `#!/bin/sh
read -r _ < "$LT_GO"
`;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lt-examples-'));
  await mkdir(path.join(root, 'bin'));
  await mkdir(path.join(root, 'sleep-shim'));
  await writeFile(path.join(root, 'bin', 'live-transcribe'), WRAPPER);
  await writeFile(path.join(root, 'sleep-shim', 'sleep'), SLEEP_SHIM);
  await chmod(path.join(root, 'bin', 'live-transcribe'), 0o755);
  await chmod(path.join(root, 'sleep-shim', 'sleep'), 0o755);
  wav.morning = path.join(root, 'morning.wav');
  wav.deploy = path.join(root, 'deploy.wav');
  await makeSpeechWav('good morning everyone', wav.morning);
  await makeSpeechWav('we deploy on friday', wav.deploy);
}, 60_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
let count = 0;
/** A new empty working directory and a new double; its turns: what `morning` then `deploy` say. */
async function fresh(): Promise<void> {
  work = path.join(root, `work-${++count}`);
  await mkdir(work);
  server = await startFakeServer({ script: ['good morning everyone', 'we deploy on friday'] });
}
afterEach(async () => {
  await server.close();
});

function exampleEnv(extraPath = ''): Record<string, string> {
  return {
    PATH: `${extraPath}${path.join(root, 'bin')}:${process.env.PATH ?? ''}`,
    HOME: process.env.HOME ?? root,
    LANG: 'C.UTF-8',
    ASSEMBLYAI_API_KEY: TEST_KEY,
    PULSE_SERVER: pulseServer,
    LT_API_HOST: server.url,
    LT_PIDS: path.join(work, '.pids'),
    LT_GO: path.join(work, '.go'),
    LT_NODE: process.execPath,
    LT_BIN: BIN,
  };
}

interface Example {
  stdout: () => string;
  stderr: () => string;
  /** bash's exit code; the run is killed after timeoutMs. */
  exit: (timeoutMs?: number) => Promise<number>;
  /** Ctrl+C for the live-transcribe of the example (the rest of a pipeline ends when its input does). */
  interrupt: (signal?: NodeJS.Signals) => void;
}

function runExample(command: string, opts: { sleepShim?: boolean } = {}): Example {
  const child = spawn('bash', ['-c', command], {
    cwd: work,
    env: exampleEnv(opts.sleepShim ? `${path.join(root, 'sleep-shim')}:` : ''),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  recordOutput(`stdout of ${command}`, () => out);
  recordOutput(`stderr of ${command}`, () => err);
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const closed = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal === null ? -1 : 128))));
  return {
    stdout: () => out,
    stderr: () => err,
    exit: (timeoutMs = 20_000) =>
      Promise.race([
        closed,
        new Promise<number>((_, reject) =>
          setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`${command}: no exit within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`));
          }, timeoutMs).unref(),
        ),
      ]),
    interrupt: (signal = 'SIGINT') => {
      for (const pid of readFileSync(path.join(work, '.pids'), 'utf8').split('\n').filter(Boolean)) process.kill(Number(pid), signal);
    },
  };
}

/** Polls (every 50 ms) until `pred` holds; fails after timeoutMs with `what`. */
async function until(pred: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const file = (name: string): string => (existsSync(path.join(work, name)) ? readFileSync(path.join(work, name), 'utf8') : '');

/** Once the microphone is streaming to the double, the phrases are said into it, one after the other. */
async function say(...phrases: ('morning' | 'deploy')[]): Promise<void> {
  await server.waitFor((s) => (s[0]?.frames.length ?? 0) > 0, 20_000);
  for (const phrase of phrases) await playIntoMic(wav[phrase], pulseServer);
}

/** A microphone example: say the phrases, wait for what it claims to appear, then Ctrl+C. */
async function micExample(command: string, done: (ex: Example) => boolean, what: string, ...phrases: ('morning' | 'deploy')[]): Promise<Example> {
  const ex = runExample(command);
  await say(...(phrases.length > 0 ? phrases : (['morning'] as const)));
  await until(() => done(ex), what);
  ex.interrupt();
  expect(await ex.exit()).toBe(0);
  expect((await server.waitForSessionClosed(0)).terminated).toBe(true);
  return ex;
}

/** A file example: the recording is put where the example names it, and the run ends with the file. */
async function fileExample(command: string, input: string, source: 'morning' | 'deploy' = 'morning'): Promise<Example> {
  await writeFile(path.join(work, input), await readFile(wav[source]));
  const ex = runExample(command);
  expect(await ex.exit(30_000)).toBe(0);
  return ex;
}
const srtText = (text: string): string[] => parseSrtStrict(text).map((c) => c.text);
const vttText = (text: string): string[] => parseVttStrict(text).map((c) => c.text);
const TIMED = /^\[\d\d:\d\d:\d\d\.\d{3} -> \d\d:\d\d:\d\d\.\d{3}\] Good morning everyone\.$/;

/** Each example, exactly as written in --help or the README, and the test that shows it does what it says. */
const tested = new Set<string>();
function example(command: string, test: () => Promise<void>, timeoutMs = 30_000): void {
  tested.add(command);
  it(command, test, timeoutMs);
}
/** An example run as an equivalent, because what it needs cannot exist here: `why` says what and why. */
function equivalent(command: string, why: string, test: () => Promise<void>, timeoutMs = 30_000): void {
  tested.add(command);
  it(`${command}  (as: ${why})`, test, timeoutMs);
}

describe('microphone examples', () => {
  beforeEach(() => fresh());

  tested.add('live-transcribe');
  it('live-transcribe: the live view on a terminal until Ctrl+C', async () => {
    const term = await startTmux('live-transcribe', { cols: 80, rows: 12, env: exampleEnv(), cwd: work });
    try {
      await say('morning');
      await term.waitForScreen((s) => s.includes(MORNING), 15_000);
      await term.sendKeys('C-c');
      expect(await term.waitForExit(15_000)).toBe(0);
      expect(await term.capture()).toMatch(/Session ended:/);
    } finally {
      await term.kill();
    }
  });

  for (const name of ['meeting.txt', 'notes.txt']) {
    example(`live-transcribe > ${name}`, async () => {
      const ex = await micExample(`live-transcribe > ${name}`, () => file(name) !== '', name);
      expect(file(name)).toBe(`${MORNING}\n`);
      expect(ex.stdout()).toBe('');
    });
  }

  example('live-transcribe -o meeting.srt', async () => {
    await micExample('live-transcribe -o meeting.srt', () => file('meeting.srt').includes(MORNING), 'meeting.srt');
    expect(srtText(file('meeting.srt'))).toEqual([MORNING]);
  });

  example('live-transcribe --timestamps | tee meeting.txt', async () => {
    const ex = await micExample('live-transcribe --timestamps | tee meeting.txt', (e) => e.stdout().includes(MORNING), 'the turn');
    expect(ex.stdout().split('\n')).toEqual([expect.stringMatching(TIMED), '']);
    expect(file('meeting.txt')).toBe(ex.stdout());
  });

  example(`live-transcribe --format json | jq -r 'select(.type=="turn") | .text'`, async () => {
    // jq writes to a pipe in blocks, so the text shows at the end here (at once on a terminal): Ctrl+C
    // once the double has sent the final turn.
    const final = (): boolean =>
      server.sessions[0]?.sentMessages.some((m) => (m as { turn_is_formatted?: boolean }).turn_is_formatted === true) ?? false;
    const ex = await micExample(`live-transcribe --format json | jq -r 'select(.type=="turn") | .text'`, final, 'the final turn');
    // Only the turn's text: no `null` for the begin and termination lines.
    expect(ex.stdout()).toBe(`${MORNING}\n`);
  });

  for (const command of ['live-transcribe | grep --line-buffered -i "deploy"', 'live-transcribe | grep --line-buffered -i deploy']) {
    example(command, async () => {
      // The line is there while the run goes on: it reacts as the words are said, not at the end.
      const ex = await micExample(command, (e) => e.stdout().includes(DEPLOY), 'the deploy line', 'morning', 'deploy');
      expect(ex.stdout()).toBe(`${DEPLOY}\n`);
    });
  }

  example('live-transcribe --no-format-turns -q', async () => {
    const ex = await micExample('live-transcribe --no-format-turns -q', (e) => e.stdout() !== '', 'the turn');
    expect(ex.stdout()).toBe('good morning everyone\n');
    expect(ex.stderr()).toBe('');
  });

  for (const command of ['live-transcribe --device alsa_input.usb-Blue_Yeti-00.analog-stereo', 'live-transcribe --device "alsa_input.usb-mic"']) {
    equivalent(command, 'the virtual microphone virtmic.monitor, the one capture device here', async () => {
      const ex = await micExample('live-transcribe --device virtmic.monitor', (e) => e.stdout() !== '', 'the turn');
      expect(ex.stdout()).toBe(`${MORNING}\n`);
      expect(ex.stderr()).toMatch(/virtmic\.monitor/);
    });
  }

  example('live-transcribe --keyterms "Kubernetes,AssemblyAI" --max-turn-silence 2000', async () => {
    await micExample('live-transcribe --keyterms "Kubernetes,AssemblyAI" --max-turn-silence 2000', (e) => e.stdout() !== '', 'the turn');
    const { query } = server.sessions[0]!;
    expect(JSON.parse(query.keyterms_prompt ?? '[]')).toEqual(['Kubernetes', 'AssemblyAI']);
    expect(query.max_turn_silence).toBe('2000');
  });

  example('answer=$(live-transcribe --once -q)', async () => {
    const ex = runExample('answer=$(live-transcribe --once -q)\nprintf "answer: %s\\n" "$answer"');
    await say('morning');
    expect(await ex.exit()).toBe(0);
    expect(ex.stdout()).toBe(`answer: ${MORNING}\n`);
  });

  for (const output of ['', ' -o note.txt']) {
    example(`live-transcribe --max-duration 10m --until-silence 5${output}`, async () => {
      const ex = runExample(`live-transcribe --max-duration 10m --until-silence 5${output}`);
      await say('morning');
      // It stops by itself, 5 s after the speech.
      expect(await ex.exit(25_000)).toBe(0);
      expect(output === '' ? ex.stdout() : file('note.txt')).toBe(`${MORNING}\n`);
      expect(ex.stderr()).toMatch(/Session ended:/);
    });
  }

  example('live-transcribe --timestamps -o notes.txt --append', async () => {
    await writeFile(path.join(work, 'notes.txt'), 'from before\n');
    await micExample('live-transcribe --timestamps -o notes.txt --append', () => file('notes.txt').includes(MORNING), 'notes.txt');
    const [before, added, ...rest] = file('notes.txt').split('\n');
    expect([before, rest]).toEqual(['from before', ['']]);
    expect(added).toMatch(TIMED);
  });

  example('live-transcribe | head -n 1', async () => {
    const ex = runExample('live-transcribe | head -n 1\necho "exit: ${PIPESTATUS[*]}"');
    await say('morning', 'deploy');
    // Ends when head has its line (at the latest at the next turn), exit 0, the session ended.
    expect(await ex.exit()).toBe(0);
    expect(ex.stdout()).toBe(`${MORNING}\nexit: 0 0\n`);
    expect((await server.waitForSessionClosed(0)).terminated).toBe(true);
  });

  example(['live-transcribe -q > transcript.txt &', 'pid=$!', 'sleep 60', 'kill -TERM "$pid"; wait "$pid"; echo "exit: $?"'].join('\n'), async () => {
    // `sleep 60` is the shim: it returns when the test has seen the transcript, not after a minute.
    const script = ['live-transcribe -q > transcript.txt &', 'pid=$!', 'sleep 60', 'kill -TERM "$pid"; wait "$pid"; echo "exit: $?"'].join('\n');
    await run('mkfifo', [path.join(work, '.go')]);
    const ex = runExample(script, { sleepShim: true });
    await say('morning');
    await until(() => file('transcript.txt') !== '', 'transcript.txt');
    await writeFile(path.join(work, '.go'), 'go\n');
    expect(await ex.exit()).toBe(0);
    expect(ex.stdout()).toBe('exit: 0\n');
    expect(file('transcript.txt')).toBe(`${MORNING}\n`);
    expect((await server.waitForSessionClosed(0)).terminated).toBe(true);
  });
});

describe('file and standard input examples', () => {
  beforeEach(() => fresh());

  example('live-transcribe -i interview.wav -o interview.vtt', async () => {
    const ex = await fileExample('live-transcribe -i interview.wav -o interview.vtt', 'interview.wav');
    expect(vttText(file('interview.vtt'))).toEqual([MORNING]);
    expect(ex.stderr()).toMatch(/Streaming interview\.wav \(00:00:0\d\) in real time/);
  });

  example('live-transcribe -i interview.wav --format srt', async () => {
    const ex = await fileExample('live-transcribe -i interview.wav --format srt', 'interview.wav');
    expect(srtText(ex.stdout())).toEqual([MORNING]);
  });

  equivalent('live-transcribe -i podcast.mp3', 'podcast.ogg: this SoX has no mp3 handler (libsox-fmt-mp3)', async () => {
    await run('sox', ['-D', wav.morning, path.join(work, 'podcast.ogg')]);
    const ex = runExample('live-transcribe -i podcast.ogg');
    expect(await ex.exit(30_000)).toBe(0);
    expect(ex.stdout()).toBe(`${MORNING}\n`);
  });

  equivalent(
    'arecord -q -f S16_LE -r 16000 -c 1 -t raw | live-transcribe -i -',
    'parec records raw PCM instead: no ALSA capture device here',
    async () => {
      const ex = await micExample(
        'parec --raw --format=s16le --rate=16000 --channels=1 | live-transcribe -i -',
        (e) => e.stdout() !== '',
        'the turn',
      );
      expect(ex.stdout()).toBe(`${MORNING}\n`);
    },
  );

  equivalent(
    'arecord -f S16_LE -r 16000 | live-transcribe -i -',
    'sox records a WAV stream, as arecord does by default: no ALSA capture device here',
    async () => {
      const ex = await micExample('sox -q -d -r 16000 -c 1 -b 16 -t wav - | live-transcribe -i -', (e) => e.stdout() !== '', 'the turn');
      expect(ex.stdout()).toBe(`${MORNING}\n`);
    },
  );

  equivalent(
    'ffmpeg -i talk.mkv -f s16le -ac 1 -ar 16000 - | live-transcribe -i - --format srt > talk.srt',
    'sox decodes talk.wav: no ffmpeg here',
    async () => {
      await fileExample('sox -D talk.wav -t s16 -c 1 -r 16000 - | live-transcribe -i - --format srt > talk.srt', 'talk.wav');
      expect(srtText(file('talk.srt'))).toEqual([MORNING]);
    },
  );
});

describe('other examples', () => {
  beforeEach(() => fresh());

  example('live-transcribe --list-devices', async () => {
    const ex = runExample('live-transcribe --list-devices');
    expect(await ex.exit()).toBe(0);
    expect(ex.stdout()).toMatch(/virtmic\.monitor/);
  });

  example('live-transcribe doctor', async () => {
    const ex = runExample('live-transcribe doctor');
    expect([0, 1]).toContain(await ex.exit(30_000));
    // One row per check, each with its verdict: SoX, the microphone, the key, the network (the double's host).
    expect(ex.stdout()).toMatch(/^ {2}ok +SoX +SoX \d/m);
    for (const check of ['microphone', 'API key', 'DNS', 'connection'])
      expect(ex.stdout()).toMatch(new RegExp(`^ {2}(ok|problem|warning|skipped) +${check} `, 'm'));
    expect(ex.stdout()).toMatch(/^ {2}\S+ +DNS +127\.0\.0\.1 /m);
  });

  equivalent('live-transcribe --api-host streaming.eu.assemblyai.com', 'the URL it resolves to: tests never reach the real service', async () => {
    const { parseApiHost } = await import('../../src/options/resolve.js');
    expect(parseApiHost('streaming.eu.assemblyai.com')).toBe('wss://streaming.eu.assemblyai.com/v3/ws');
  });

  it('every example of --help and of the README is tested above', () => {
    const setup = 'export ASSEMBLYAI_API_KEY=<your key>'; // the environment of every test
    const all = [...helpExamples(), ...readmeExamples()].filter((c) => c !== setup);
    expect(all.length).toBeGreaterThan(25);
    expect(all.filter((c) => !tested.has(c))).toEqual([]);
  });
});

/** The commands of `--help`'s Examples section, as built into dist/help.json. */
function helpExamples(): string[] {
  const help = JSON.parse(readFileSync(new URL('../../dist/help.json', import.meta.url), 'utf8')) as {
    all: { sections: { title?: string; items?: { term: string }[] }[] };
  };
  return help.all.sections.find((s) => s.title === 'Examples:')!.items!.map((i) => i.term);
}

/**
 * The README's "Examples" (one command a line) and "In scripts" (scripts separated by blank lines), without
 * comments.
 */
function readmeExamples(): string[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = (heading: string): string => /```sh\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf(heading)))![1]!;
  const code = (line: string): string => line.replace(/\s+#\s[^'"]*$/, '').trim();
  const lines = (text: string): string[] =>
    text
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .map(code)
      .filter(Boolean);
  return [
    ...lines(block('### Examples')),
    ...block('### In scripts')
      .split('\n\n')
      .map((s) => lines(s).join('\n'))
      .filter(Boolean),
  ];
}
