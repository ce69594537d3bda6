/**
 * Files and standard input instead of the microphone, against the test double: every kind of input is
 * paced at real time in frames of 50 ms, its declared format follows the input, and what the double
 * recognizes in the audio it received is what was said. Broken inputs are refused before connecting.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { startFakeServer, type FakeServer, type SessionRecord } from '../support/fake-server.js';
import { createPocketsphinxRecognizer } from '../support/recognizer.js';
import { makeSpeechWav } from '../support/audio.js';
import { BIN, cleanEnv, recordOutput, runCli, TEST_KEY } from '../support/cli.js';
import { spawn } from 'node:child_process';
import { openedPerTest, useTempDir } from '../support/e2e-files.js';

const run = promisify(execFile);
const PHRASES = ['hello world', 'good morning everyone', 'the quick brown fox jumps over the lazy dog'];
let mono: string;

const sox = (...args: string[]): Promise<unknown> => run('sox', ['-D', ...args]); // -D: no random dither, so inputs are the same everywhere

const { f } = useTempDir('lt-inputs-', async () => {
  mono = f('hello.wav');
  await makeSpeechWav('hello world', mono);
  // Speech that runs to the very last sample: nothing said in the last second may be lost.
  await sox(mono, f('hello-cut.wav'), 'reverse', 'silence', '1', '0.01', '1%', 'reverse');
  await sox(mono, '-c', '2', f('stereo.wav'));
  for (const rate of [8000, 22050, 44100, 48000]) await sox(mono, '-r', String(rate), f(`hello-${rate}.wav`));
  await sox(mono, '-t', 'raw', f('hello.raw'));
  await sox(mono, '-r', '8000', '-e', 'mu-law', '-t', 'raw', f('hello.ul'));
  await sox(mono, f('hello.flac'));
  await sox(mono, f('hello.ogg'));
  await sox(mono, '-b', '24', f('hello24.wav'));
});
const open = openedPerTest<{ server: FakeServer }>();

async function transcribe(args: string[], options: { stdinFile?: string } = {}) {
  open.server = await startFakeServer({
    script: ['not what was said'],
    recognizer: createPocketsphinxRecognizer(PHRASES),
    maxLeadSeconds: 1, // strict pacing: a client that sends faster than real time is refused
  });
  const env = cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY });
  const child = spawn(process.execPath, [BIN, '--api-host', open.server.url, ...args], {
    env,
    stdio: [options.stdinFile === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.stdinFile !== undefined) {
    child.stdin!.on('error', () => {});
    child.stdin!.end(await readFile(options.stdinFile));
  }
  let stdout = '';
  let stderr = '';
  recordOutput(`stdout of live-transcribe ${args.join(' ')}`, () => stdout);
  recordOutput(`stderr of live-transcribe ${args.join(' ')}`, () => stderr);
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit within 30 s\nstdout:${stdout}\nstderr:${stderr}`));
    }, 30_000);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c ?? -1);
    });
  });
  return { code, stdout, stderr, sessions: open.server.sessions };
}

function expectPacedFrames(s: SessionRecord, frameBytes: number): void {
  expect(s.error).toBeUndefined();
  expect(new Set(s.frames.map((fr) => fr.bytes))).toEqual(new Set([frameBytes]));
  const t0 = s.frames[0]!.atMs;
  // Never ahead of real time. Slack: three frames, since the first frame's arrival can itself be late by tens
  // of ms on a loaded machine (then the next ones look early: one frame of slack failed at 8 ms with the suite
  // running eight files side by side); a pacer that bursts sends a whole file's frames at once, off by seconds.
  s.frames.forEach((fr, i) => expect(fr.atMs - t0).toBeGreaterThanOrEqual(i * 50 - 150));
  expect(s.frames.length).toBeGreaterThan(10);
}

describe('file inputs', () => {
  it('a 16 kHz mono WAV: paced 50 ms frames, the last turn finished, Terminate, exit 0', async () => {
    const r = await transcribe(['-i', mono]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Hello world.\n');
    const [s] = r.sessions;
    expect(s!.query).toMatchObject({ sample_rate: '16000', encoding: 'pcm_s16le' });
    expectPacedFrames(s!, 1600);
    expect(s!.terminated).toBe(true);
    expect(r.stderr).toMatch(/Streaming hello\.wav \(00:00:0\d\) in real time/);
    expect(r.stderr).toMatch(/Session ended:/);
  });

  it('speech up to the last sample is not lost', async () => {
    const r = await transcribe(['-i', f('hello-cut.wav'), '--no-format-turns']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('hello world\n');
  });

  it('a stereo WAV is down-mixed to mono', async () => {
    const r = await transcribe(['-i', f('stereo.wav')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Hello world.\n');
    expectPacedFrames(r.sessions[0]!, 1600);
  });

  it.each([
    [8000, 800],
    [22050, 2206],
    [44100, 4410],
    [48000, 4800],
  ])('a WAV at %i Hz declares its own rate (frames of %i bytes)', async (rate, bytes) => {
    const r = await transcribe(['-i', f(`hello-${rate}.wav`)]);
    expect(r.code).toBe(0);
    expect(r.sessions[0]!.query.sample_rate).toBe(String(rate));
    expectPacedFrames(r.sessions[0]!, bytes);
    expect(r.stdout).toBe('Hello world.\n');
  });

  it('raw PCM uses --sample-rate', async () => {
    const r = await transcribe(['-i', f('hello.raw'), '--sample-rate', '16000']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Hello world.\n');
    expectPacedFrames(r.sessions[0]!, 1600);
  });

  it('raw mu-law uses --encoding pcm_mulaw', async () => {
    const r = await transcribe(['-i', f('hello.ul'), '--encoding', 'pcm_mulaw', '--sample-rate', '8000']);
    expect(r.code).toBe(0);
    expect(r.sessions[0]!.query).toMatchObject({ sample_rate: '8000', encoding: 'pcm_mulaw' });
    expectPacedFrames(r.sessions[0]!, 400);
    expect(r.stdout.trim()).not.toBe('');
  });

  it.each(['hello.flac', 'hello.ogg', 'hello24.wav'])('%s goes through SoX', async (name) => {
    const r = await transcribe(['-i', f(name)]);
    expect(r.code).toBe(0);
    expect(r.sessions[0]!.query.sample_rate).toBe('16000');
    expectPacedFrames(r.sessions[0]!, 1600);
    expect(r.stdout).toBe('Hello world.\n');
  });

  it('Ctrl+C while a long FLAC streams: SoX, blocked on the paused pipe, is ended too; the run exits and its session is terminated', async () => {
    // A minute of speech: SoX converts it ahead of the real-time pacing and fills the pipe, then waits to write
    // (it does within 2 s of audio sent: the Ctrl+C comes after 3 s).
    const long = f('long-ctrl-c.flac');
    await sox(mono, long, 'repeat', '40');
    open.server = await startFakeServer({ script: ['hello world'] });
    const cli = runCli(['--api-host', open.server.url, '-i', long], cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY }));
    await open.server.waitFor((ss) => (ss[0]?.frames.length ?? 0) >= 60, 15_000);
    cli.signal('SIGINT');
    expect(await cli.exit(15_000), cli.stderr()).toBe(0);
    expect((await open.server.waitForSessionClosed(0)).terminated).toBe(true);
    // No SoX left reading the file (pgrep exits 1 when nothing matches).
    const left = await run('pgrep', ['-f', long]).then(
      (r) => r.stdout,
      () => '',
    );
    expect(left).toBe('');
  });
});

describe('standard input', () => {
  it('raw PCM from a pipe', async () => {
    const r = await transcribe(['-i', '-'], { stdinFile: f('hello.raw') });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Hello world.\n');
    expectPacedFrames(r.sessions[0]!, 1600);
    expect(r.stderr).toMatch(/Streaming standard input in real time/);
  });

  it('a WAV stream is read from its header', async () => {
    const r = await transcribe(['-i', '-'], { stdinFile: f('hello-22050.wav') });
    expect(r.code).toBe(0);
    expect(r.sessions[0]!.query.sample_rate).toBe('22050');
    expect(r.stdout).toBe('Hello world.\n');
  });

  it('empty standard input: exit 2, no connection', async () => {
    await writeFile(f('empty.raw'), '');
    const r = await transcribe(['-i', '-'], { stdinFile: f('empty.raw') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/standard input is empty/);
    expect(r.sessions).toHaveLength(0);
  });
});

describe('broken inputs are refused before connecting', () => {
  it.each([
    ['missing.wav', async () => {}, 2, /the input file .*missing\.wav does not exist/],
    ['empty.wav', async () => writeFile(f('empty.wav'), ''), 2, /is empty/],
    ['a-dir.wav', async () => mkdir(f('a-dir.wav')), 2, /is a directory/],
    [
      'truncated.wav',
      async () => writeFile(f('truncated.wav'), (await readFile(mono)).subarray(0, 20_000)),
      2,
      /is truncated: its header promises \d+\.\d s of audio, but it holds \d+\.\d s/,
    ],
    [
      'zero-channels.wav',
      async () => {
        const b = Buffer.from(await readFile(mono));
        b.writeUInt16LE(0, 22);
        await writeFile(f('zero-channels.wav'), b);
      },
      2,
      /is not a valid WAV file: the header says it has 0 channels/,
    ],
    ['header-only.wav', async () => writeFile(f('header-only.wav'), (await readFile(mono)).subarray(0, 44)), 2, /(holds no audio|is truncated)/],
    [
      'noise.wav',
      async () => writeFile(f('noise.wav'), Buffer.from('this is not audio at all, just text pretending to be a wav file')),
      3,
      /SoX cannot read noise\.wav/,
    ],
    ['song.xyz', async () => writeFile(f('song.xyz'), Buffer.alloc(4000, 7)), 3, /SoX cannot read song\.xyz/],
  ])('%s is refused', async (name, make, code, message) => {
    await make();
    const r = await transcribe(['-i', f(name)]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/unexpected failure|at .*\.js:\d+/);
    expect(r.stdout).toBe('');
    expect(r.sessions).toHaveLength(0);
  });
});
