/**
 * Proves the test infrastructure itself works: the private PulseAudio virtual microphone from
 * test/support/global-setup.ts, the audio helpers, the tmux driver and the fake sox.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  BYTES_PER_SECOND_16K,
  FIXTURE_CACHE_DIR,
  captureMic,
  makeSpeechWav,
  parseWav,
  pcmLevelDbfs,
  playIntoMic,
  playIntoSink,
  readWavPcm,
  recorderSoxArgs,
  wavDurationMs,
} from '../support/audio.js';
import { NO_DEVICE_STDERR, makeFakeSoxDir, makeNoSoxPath, readFakeSoxEvents, readFakeSoxLog } from '../support/fake-sox.js';
import { startTmux, type TmuxSession } from '../support/tmux.js';
import { waitUntil } from '../support/wait.js';

const pulseServer = inject('pulseServer');

let work: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'lt-infra-'));
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await rm(work, { recursive: true, force: true });
});

function rmLater(dir: string): string {
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function execText(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: 10_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

function exitOf(child: ChildProcess, timeoutMs = 10_000): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    const timer = setTimeout(() => reject(new Error(`process did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** Collects a child's stdout; `until(n)` resolves once n bytes have arrived (bounded). */
function collect(child: ChildProcess): { data: () => Buffer; until: (n: number, timeoutMs?: number) => Promise<void> } {
  const chunks: Buffer[] = [];
  let total = 0;
  const waiters = new Set<() => void>();
  child.stdout?.on('data', (d: Buffer) => {
    chunks.push(d);
    total += d.length;
    for (const w of [...waiters]) w();
  });
  return {
    data: () => Buffer.concat(chunks),
    until: async (n, timeoutMs = 10_000) => {
      await waitUntil(() => total >= n, {
        timeoutMs,
        what: () => `${n} bytes (got ${total})`,
        subscribe: (wake) => {
          waiters.add(wake);
          return () => waiters.delete(wake);
        },
      });
    },
  };
}

/** Active span (ms) of s16le mono 16 kHz PCM: first to last 20 ms window louder than -45 dBFS. */
function activeSpanMs(pcm: Buffer): number {
  const win = 640; // 20 ms
  let first = -1;
  let last = -1;
  for (let i = 0; i + win <= pcm.length; i += win) {
    if (pcmLevelDbfs(pcm.subarray(i, i + win)) > -45) {
      if (first < 0) first = i;
      last = i + win;
    }
  }
  return first < 0 ? 0 : ((last - first) / BYTES_PER_SECOND_16K) * 1000;
}

describe('virtual microphone (global setup)', () => {
  it('provides the private PulseAudio server to tests', async () => {
    expect(pulseServer).toMatch(/^unix:\/.+\/pulse\.sock$/);
    expect(pulseServer).not.toBe('unix:/tmp/lt-pulse.sock');
    expect(process.env.LT_TEST_PULSE_SERVER).toBe(pulseServer);
    // Helpers' temp dirs live in this test file's folder of the per-run folder next to the socket (removed by
    // global teardown).
    expect(process.env.LT_TEST_RUN_TMPDIR).toBe(path.join(path.dirname(pulseServer.slice('unix:'.length)), 'tmp'));
    expect(path.dirname(process.env.LT_TEST_TMPDIR!)).toBe(process.env.LT_TEST_RUN_TMPDIR);
    const fake = rmLater(await makeFakeSoxDir('fail-no-device'));
    expect(path.dirname(fake)).toBe(process.env.LT_TEST_TMPDIR);

    const info = await execText('pactl', ['info'], { ...process.env, PULSE_SERVER: pulseServer });
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/^Default Sink: virtmic$/m);
    expect(info.stdout).toMatch(/^Default Source: virtmic\.monitor$/m);

    const sinks = await execText('pactl', ['list', 'short', 'sinks'], { ...process.env, PULSE_SERVER: pulseServer });
    expect(sinks.stdout).toMatch(/virtmic\s.*s16le 1ch 16000Hz/);
    expect(sinks.stdout).toMatch(/virtspk\s.*s16le 1ch 16000Hz/);
  });

  it('has virtual speakers: what is played into virtspk is recorded from virtspk.monitor, not from virtmic.monitor', async () => {
    const wav = path.join(work, 'speakers.wav');
    await makeSpeechWav('what the computer plays', wav);
    const original = readWavPcm(wav);
    // Both monitors at once, by name, the way live-transcribe opens a device (AUDIODRIVER + AUDIODEV).
    const speakers = captureMic(pulseServer, { extraEnv: { AUDIODRIVER: 'pulseaudio', AUDIODEV: 'virtspk.monitor' } });
    const mic = captureMic(pulseServer, { extraEnv: { AUDIODRIVER: 'pulseaudio', AUDIODEV: 'virtmic.monitor' } });
    try {
      await Promise.all([speakers.waitForBytes(0.3 * BYTES_PER_SECOND_16K), mic.waitForBytes(0.3 * BYTES_PER_SECOND_16K)]);
      const [speakersFrom, micFrom] = [speakers.bytes - (speakers.bytes % 2), mic.bytes - (mic.bytes % 2)];
      await playIntoSink(wav, pulseServer); // default sink: virtspk
      await Promise.all([
        speakers.waitForBytes(speakers.bytes + 0.7 * BYTES_PER_SECOND_16K),
        mic.waitForBytes(mic.bytes + 0.7 * BYTES_PER_SECOND_16K),
      ]);
      const heard = (await speakers.stop()).subarray(speakersFrom);
      const micHeard = (await mic.stop()).subarray(micFrom);
      expect(pcmLevelDbfs(heard)).toBeGreaterThan(-40);
      const spanIn = activeSpanMs(original.pcm);
      expect(Math.abs(activeSpanMs(heard) - spanIn), `span in ${spanIn} ms`).toBeLessThan(300);
      expect(micHeard.length).toBeGreaterThan(original.pcm.length / 2); // it was recording all along
      expect(pcmLevelDbfs(micHeard)).toBeLessThan(-60);
    } finally {
      await speakers.stop().catch(() => undefined);
      await mic.stop().catch(() => undefined);
    }
  });

  it('records silence, then the speech played into it, through the real sox --default-device', async () => {
    const wav = path.join(work, 'fox.wav');
    await makeSpeechWav('The quick brown fox jumps over the lazy dog', wav);
    const original = readWavPcm(wav);

    const cap = captureMic(pulseServer);
    try {
      // Silence first: ~0.8 s of nothing played (skip the first 100 ms in case of a start-up click).
      await cap.waitForBytes(0.8 * BYTES_PER_SECOND_16K, 10_000);
      const silence = cap.pcm().subarray(3200);
      expect(pcmLevelDbfs(silence)).toBeLessThan(-60);

      const playStart = cap.bytes - (cap.bytes % 2);
      await playIntoMic(wav, pulseServer);
      // paplay returns once drained; give the monitor -> sox path 0.7 s more to deliver the tail.
      await cap.waitForBytes(cap.bytes + 0.7 * BYTES_PER_SECOND_16K, 10_000);
      const pcm = await cap.stop();
      const speech = pcm.subarray(playStart);

      const level = pcmLevelDbfs(speech);
      expect(level).toBeGreaterThan(-40);
      // It came back whole: the active span matches the original's within 300 ms.
      const spanIn = activeSpanMs(original.pcm);
      const spanOut = activeSpanMs(speech);
      expect(Math.abs(spanOut - spanIn), `span in ${spanIn} ms, out ${spanOut} ms`).toBeLessThan(300);
    } finally {
      await cap.stop().catch(() => undefined);
    }
  });

  it('real sox exits 0 on SIGTERM and on SIGINT while recording (what the fake sox imitates)', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const child = spawn('sox', recorderSoxArgs(), { env: { ...process.env, PULSE_SERVER: pulseServer }, stdio: ['ignore', 'pipe', 'pipe'] });
      const out = collect(child);
      await out.until(3200, 10_000);
      child.kill(signal);
      expect(await exitOf(child, 5_000), signal).toEqual({ code: 0, signal: null });
    }
  });

  it('real sox without a reachable audio server fails like fake-sox fail-no-device', async () => {
    const env = { ...process.env, PULSE_SERVER: `unix:${path.join(work, 'no-such.sock')}` };
    const r = await execText('sox', ['--default-device', '--no-show-progress', '--type', 'raw', '-'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('sox FAIL sox: Sorry, there is no default audio device configured');
  });
});

describe('audio helpers', () => {
  it('makeSpeechWav makes 16 kHz mono s16 speech, cached, and honours rateHz', async () => {
    const a = path.join(work, 'hello-a.wav');
    const b = path.join(work, 'hello-b.wav');
    const c = path.join(work, 'hello-8k.wav');
    await makeSpeechWav('hello world', a);
    await makeSpeechWav('hello world', b); // cache hit: a copy
    expect((await readdir(FIXTURE_CACHE_DIR)).filter((f) => /^speech-16000-.+\.wav$/.test(f)).length).toBeGreaterThan(0);
    await makeSpeechWav('hello world', c, { rateHz: 8000 });

    const wa = readWavPcm(a);
    expect(wa).toMatchObject({ sampleRateHz: 16000, channels: 1, bitsPerSample: 16 });
    expect(Buffer.compare(wa.pcm, readWavPcm(b).pcm)).toBe(0);
    const dur = wavDurationMs(a);
    expect(dur).toBeGreaterThan(500);
    expect(dur).toBeLessThan(3000);
    expect(pcmLevelDbfs(wa.pcm)).toBeGreaterThan(-30);

    const wc = readWavPcm(c);
    expect(wc.sampleRateHz).toBe(8000);
    expect(Math.abs(wavDurationMs(c) - dur)).toBeLessThan(20);
  });

  it('pcmLevelDbfs and parseWav', () => {
    const square = Buffer.alloc(3200);
    for (let i = 0; i < 1600; i++) square.writeInt16LE(i % 2 ? 32767 : -32768, i * 2);
    expect(pcmLevelDbfs(square)).toBeCloseTo(0, 1);
    const half = Buffer.alloc(3200);
    for (let i = 0; i < 1600; i++) half.writeInt16LE(i % 2 ? 16384 : -16384, i * 2);
    expect(pcmLevelDbfs(half)).toBeCloseTo(-6.02, 1);
    expect(pcmLevelDbfs(Buffer.alloc(3200))).toBe(-Infinity);
    expect(pcmLevelDbfs(Buffer.alloc(0))).toBe(-Infinity);
    const lsb = Buffer.alloc(3201); // +-1 LSB dither, odd trailing byte ignored
    for (let i = 0; i < 1600; i++) lsb.writeInt16LE(i % 2 ? 1 : -1, i * 2);
    expect(pcmLevelDbfs(lsb)).toBeCloseTo(-90.3, 1);

    // A streamed WAV header with a bogus (0xffffffff) data length, plus an extra chunk before data.
    const header = Buffer.alloc(44 + 12);
    header.write('RIFF', 0, 'ascii');
    header.writeUInt32LE(0xffffffff, 4);
    header.write('WAVE', 8, 'ascii');
    header.write('fmt ', 12, 'ascii');
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20);
    header.writeUInt16LE(2, 22);
    header.writeUInt32LE(44100, 24);
    header.writeUInt32LE(44100 * 4, 28);
    header.writeUInt16LE(4, 32);
    header.writeUInt16LE(16, 34);
    header.write('LIST', 36, 'ascii');
    header.writeUInt32LE(4, 40);
    header.write('INFO', 44, 'ascii');
    header.write('data', 48, 'ascii');
    header.writeUInt32LE(0xffffffff, 52);
    const wav = parseWav(Buffer.concat([header, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8])]));
    expect(wav).toMatchObject({ sampleRateHz: 44100, channels: 2, bitsPerSample: 16 });
    expect([...wav.pcm]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(() => parseWav(Buffer.from('not a wav at all'))).toThrow(/RIFF/);
  });
});

describe('tmux driver', () => {
  let t: TmuxSession | undefined;
  const open = async (...args: Parameters<typeof startTmux>): Promise<TmuxSession> => {
    t = await startTmux(...args);
    return t;
  };
  afterEach(async () => {
    await t?.kill();
    t = undefined;
  });

  it('shows output and the exit code', async () => {
    const s = await open(`printf 'hello from tmux\\n'; exit 3`, { cols: 60, rows: 8 });
    const screen = await s.waitForScreen((x) => x.includes('hello from tmux'));
    expect(screen.split('\n')[0]).toBe('hello from tmux');
    expect(await s.waitForExit(5_000)).toBe(3);
    expect(await s.capture()).toBe('hello from tmux\n[exit:3]');
  });

  it('is a real terminal of the requested size with TERM=xterm-256color, explicit env and cwd', async () => {
    const s = await open(
      `stty size; echo "TERM=$TERM CI=\${CI-unset} FOO=$LT_FOO"; pwd; ` +
        `node -e "console.log('tty', process.stdout.isTTY, process.stdout.columns, process.stdout.rows)"`,
      { cols: 72, rows: 12, env: { LT_FOO: 'bar baz' }, cwd: work },
    );
    expect(await s.waitForExit(10_000)).toBe(0);
    const lines = (await s.capture()).split('\n');
    expect(lines[0]).toBe('12 72');
    expect(lines[1]).toBe('TERM=xterm-256color CI=unset FOO=bar baz');
    expect(lines[2]).toBe(work);
    expect(lines[3]).toBe('tty true 72 12');
  });

  it('keeps colours in captureWithEscapes and UTF-8 in capture', async () => {
    const s = await open(`printf '\\033[31mred\\033[0m \\342\\240\\213 spin\\n'`, { cols: 40, rows: 5 });
    expect(await s.waitForExit()).toBe(0);
    expect(await s.capture()).toContain('red ⠋ spin');
    expect(await s.captureWithEscapes()).toMatch(/\x1b\[31mred/);
  });

  it('delivers Ctrl+C to the program and still reports its exit code', async () => {
    const s = await open(
      `node -e "process.on('SIGINT', () => { console.log('got SIGINT'); process.exit(42); }); ` +
        `console.log('ready'); setInterval(() => {}, 1000)"`,
      { cols: 60, rows: 8 },
    );
    await s.waitForScreen((x) => x.includes('ready'));
    await s.sendKeys('C-c');
    expect(await s.waitForExit(5_000)).toBe(42);
    expect(await s.capture()).toContain('got SIGINT');

    await s.kill();
    const s2 = await open(`node -e "console.log('ready'); setInterval(() => {}, 1000)"`, { cols: 60, rows: 8 });
    await s2.waitForScreen((x) => x.includes('ready'));
    await s2.sendKeys('C-c');
    expect(await s2.waitForExit(5_000)).toBe(130); // killed by SIGINT

    await s2.kill();
    // Compound command: the shell goes on after a child that handled SIGINT itself.
    const s3 = await open(
      `echo first; node -e "process.on('SIGINT', () => process.exit(5)); console.log('ready'); setInterval(() => {}, 1000)"; echo after $?`,
      { cols: 60, rows: 8 },
    );
    await s3.waitForScreen((x) => x.includes('ready'));
    await s3.sendKeys('C-c');
    expect(await s3.waitForExit(5_000)).toBe(0);
    // The terminal echoes ^C (echoctl) where the cursor is, as in a real terminal.
    expect(await s3.capture()).toMatch(/^first\nready\n(\^C)?after 5\n\[exit:0\]$/);
  });

  it('waitForScreen times out with the last screen in the error', async () => {
    const s = await open(`echo 'something else'; sleep 30`, { cols: 40, rows: 5 });
    await s.waitForScreen((x) => x.includes('something else'));
    await expect(s.waitForScreen((x) => x.includes('never'), 300)).rejects.toThrow(
      /timed out after 300 ms waiting for a screen condition[\s\S]*something else/,
    );
    await expect(s.waitForExit(200)).rejects.toThrow(/timed out after 200 ms waiting for the command to exit/);
  });

  it('keeps the screen when PATH has no sleep (stripped PATH)', async () => {
    const noSox = rmLater(await makeNoSoxPath());
    const s = await open(`echo "path=$PATH"; command -v sox || echo 'no sox here'`, {
      cols: 80,
      rows: 6,
      env: { PATH: noSox },
    });
    expect(await s.waitForExit()).toBe(0);
    expect(await s.capture()).toContain('no sox here');
  });
});

describe('fake sox', () => {
  const soxArgs = recorderSoxArgs();

  it("'fail-no-device' prints what sox prints with no device and exits 1 at once", async () => {
    const log = path.join(work, 'fail-args.jsonl');
    const dir = rmLater(await makeFakeSoxDir('fail-no-device', { argsLogPath: log }));
    // Bounded by execText's timeout (a hang would be code -1, not 1).
    const r = await execText('sox', soxArgs, { ...process.env, PATH: `${dir}:${process.env.PATH}`, AUDIODEV: 'hw:7' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(NO_DEVICE_STDERR);
    expect(r.stderr).toMatch(/^ALSA lib /);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('sox FAIL sox: Sorry, there is no default audio device configured');
    const [call, ...more] = readFakeSoxLog(log);
    expect(more).toEqual([]);
    expect(call).toMatchObject({ kind: 'fail-no-device', argv: soxArgs, env: { AUDIODEV: 'hw:7', AUDIODRIVER: null } });
  });

  it("'stream-file' streams the file in real time, then silence; records argv/env; exits 0 on SIGTERM", async () => {
    const raw = path.join(work, 'ramp.raw');
    const pattern = Buffer.alloc(16_000); // 0.5 s of non-zero bytes
    for (let i = 0; i < pattern.length; i++) pattern[i] = (i % 251) + 1;
    await writeFile(raw, pattern);
    const log = path.join(work, 'stream-args.jsonl');
    const events = path.join(work, 'stream-events.jsonl');
    const dir = rmLater(await makeFakeSoxDir('stream-file', { rawPath: raw, argsLogPath: log, eventsLogPath: events }));

    // Through coreutils stdbuf, as a client would run it for unbuffered output: LD_PRELOAD is recorded.
    const t0 = Date.now();
    const child = spawn('stdbuf', ['-o0', 'sox', ...soxArgs], {
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, AUDIODEV: 'virtmic.monitor', AUDIODRIVER: 'pulseaudio', SOX_OPTS: '--buffer 800' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = collect(child);
    await out.until(3200, 3_000);
    const firstAfter = Date.now() - t0;
    await out.until(16_000 + 6400, 5_000);
    const elapsed = Date.now() - t0;
    expect(firstAfter).toBeGreaterThanOrEqual(80);
    // Real time, not faster: 22,400 bytes at 32,000 B/s = 700 ms (first chunk at 100 ms). The wait above is bounded.
    expect(elapsed).toBeGreaterThanOrEqual(600);
    child.kill('SIGTERM');
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });

    const data = out.data();
    expect(Buffer.compare(data.subarray(0, 16_000), pattern)).toBe(0);
    expect(data.subarray(16_000).every((b) => b === 0)).toBe(true);

    const [call] = readFakeSoxLog(log);
    expect(call).toMatchObject({
      kind: 'stream-file',
      argv: soxArgs,
      env: { AUDIODEV: 'virtmic.monitor', AUDIODRIVER: 'pulseaudio', SOX_OPTS: '--buffer 800', hasLdPreload: true, _STDBUF_O: '0' },
    });
    expect(call?.env.LD_PRELOAD).toMatch(/libstdbuf\.so/);
    const ev = readFakeSoxEvents(events).map((e) => e.event);
    expect(ev).toEqual(['file-end', 'signal', 'exit']);
  });

  it("'stream-file' exits 0 on SIGINT, streams WAV data chunks, and can die mid-stream", async () => {
    const wav = path.join(work, 'hello.wav');
    await makeSpeechWav('hello world', wav);
    const wavPcm = readWavPcm(wav).pcm;
    const dir = rmLater(await makeFakeSoxDir('stream-file', { rawPath: wav, chunkBytes: 981, intervalMs: 20 }));
    const env = { ...process.env, PATH: `${dir}:${process.env.PATH}` };
    const child = spawn('sox', soxArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = collect(child);
    await out.until(981 * 5, 3_000);
    child.kill('SIGINT');
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    const data = out.data();
    expect(Buffer.compare(data, wavPcm.subarray(0, data.length))).toBe(0);

    const dying = rmLater(await makeFakeSoxDir('stream-file', { rawPath: wav, dieAfterMs: 300 }));
    const t0 = Date.now();
    const r = await execText('sox', soxArgs, { ...process.env, PATH: `${dying}:${process.env.PATH}` });
    expect(r.code).toBe(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect(r.stderr).toMatch(/^sox FAIL/);
  });

  it("'exit-on-sigint-after' stops writing on SIGINT and exits only after the delay", async () => {
    const events = path.join(work, 'slow-events.jsonl');
    const dir = rmLater(await makeFakeSoxDir('exit-on-sigint-after', { sigintExitDelayMs: 600, sigintExitCode: 0, eventsLogPath: events }));
    const child = spawn('sox', soxArgs, { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = collect(child);
    await out.until(3200 * 2, 3_000);
    const t0 = Date.now();
    child.kill('SIGINT');
    const bytesAtSignal = out.data().length;
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(550);
    expect(out.data().length).toBeLessThanOrEqual(bytesAtSignal + 3200); // at most one chunk in flight
    expect(out.data().every((b) => b === 0)).toBe(true); // no rawPath: silence
    const ev = readFakeSoxEvents(events);
    expect(ev.map((e) => e.event)).toEqual(['signal', 'exit']);
    expect((ev[1]?.atMs ?? 0) - (ev[0]?.atMs ?? 0)).toBeGreaterThanOrEqual(590);
  });

  it('makeNoSoxPath: node runs, sox is not found', async () => {
    const p = rmLater(await makeNoSoxPath());
    expect(p.split(path.delimiter)).not.toContain('/usr/bin');
    const node = await execText('/bin/sh', ['-c', 'command -v node; command -v sox || echo "sox: none"'], { PATH: p });
    expect(node.stdout).toBe(`${p}/node\nsox: none\n`);
    const r = await execText('/usr/bin/env', ['node', '-e', 'console.log(process.version)'], { PATH: p });
    expect(r.stdout.trim()).toBe(process.version);
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
      spawn('sox', ['--version'], { env: { PATH: p } }).once('error', resolve);
    });
    expect(err.code).toBe('ENOENT');
  });

  it('works under node-record-lpcm16 (which spawns `sox` from process.env.PATH)', async () => {
    const raw = path.join(work, 'tone.raw');
    await writeFile(raw, Buffer.alloc(6400, 7));
    const log = path.join(work, 'lpcm-args.jsonl');
    const dir = rmLater(await makeFakeSoxDir('stream-file', { rawPath: raw, argsLogPath: log }));
    const spec: string = 'node-record-lpcm16';
    const mod = (await import(spec)) as {
      default: { record(o: object): { stream(): NodeJS.ReadableStream; stop(): void; process: ChildProcess } };
    };
    const oldPath = process.env.PATH;
    process.env.PATH = `${dir}:${oldPath}`;
    try {
      const rec = mod.default.record({ sampleRate: 16000, channels: 1, audioType: 'raw', device: 'virtmic.monitor' });
      const chunks: Buffer[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no data from fake sox')), 5_000);
        rec.stream().on('data', (d: Buffer) => {
          chunks.push(d);
          if (Buffer.concat(chunks).length >= 6400) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      rec.stop();
      expect(await exitOf(rec.process)).toEqual({ code: 0, signal: null });
    } finally {
      process.env.PATH = oldPath;
    }
    const [call] = readFakeSoxLog(log);
    expect(call?.argv).toEqual(recorderSoxArgs());
    expect(call?.env.AUDIODEV).toBe('virtmic.monitor');
    expect(JSON.parse(await readFile(log, 'utf8'))).toMatchObject({ kind: 'stream-file' }); // one line = valid JSON
  });
});
