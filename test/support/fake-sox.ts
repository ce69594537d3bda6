/**
 * A fake `sox` for e2e tests: `makeFakeSoxDir(kind, opts)` makes a temp dir holding an executable `sox`
 * (a small Node script) to put first on the PATH of the CLI under test, e.g.
 *
 *   const dir = await makeFakeSoxDir('stream-file', { rawPath, argsLogPath });
 *   spawn('node', ['bin/live-transcribe.cjs'], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
 *
 * Every invocation appends one JSON line (FakeSoxInvocation) to `opts.argsLogPath`, so tests can assert how
 * sox was called (argv, AUDIODEV, AUDIODRIVER, SOX_OPTS, LD_PRELOAD/stdbuf). Signals received and exits are
 * appended to `opts.eventsLogPath` if given. The dir is made under LT_TEST_TMPDIR (see global-setup.ts), so
 * global teardown removes it; callers may remove it earlier.
 */
import { accessSync, constants as fsConstants, readFileSync, existsSync } from 'node:fs';
import { chmod, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type FakeSoxKind = 'fail-no-device' | 'stream-file' | 'exit-on-sigint-after';

export interface FakeSoxOptions {
  /** Where each invocation appends a JSON line with argv and environment (see FakeSoxInvocation). */
  argsLogPath?: string;
  /** Where signals received and the exit are appended as JSON lines (see FakeSoxEvent). */
  eventsLogPath?: string;
  /**
   * Audio to stream ('stream-file'; optional for 'exit-on-sigint-after', which streams silence without it):
   * raw s16le PCM, or a WAV file (its data chunk is streamed). Not resampled: pass 16 kHz mono for the
   * usual 32,000 bytes per second.
   */
  rawPath?: string;
  /** Bytes written per tick (default 3200 = 100 ms at 16 kHz mono s16). Odd values split samples. */
  chunkBytes?: number;
  /** Milliseconds between ticks (default 100). The first chunk comes one interval after start. */
  intervalMs?: number;
  /** What happens after the file: stream digital silence until signalled (default), or exit 0. */
  afterFile?: 'silence' | 'exit';
  /** 'exit-on-sigint-after': after SIGINT, stop writing and exit this many ms later (default 1000). */
  sigintExitDelayMs?: number;
  /** 'exit-on-sigint-after': exit code after SIGINT (default 0, as real sox). */
  sigintExitCode?: number;
  /** Stream modes: die on its own this many ms after start (simulates a device failure mid-recording). */
  dieAfterMs?: number;
  /** Exit code for dieAfterMs (default 2). */
  dieExitCode?: number;
  /** Printed to stderr before dying (default: a sox pulseaudio read error). */
  dieStderr?: string;
}

export interface FakeSoxInvocation {
  kind: FakeSoxKind;
  argv: string[];
  env: {
    AUDIODEV: string | null;
    AUDIODRIVER: string | null;
    SOX_OPTS: string | null;
    PULSE_SERVER: string | null;
    LD_PRELOAD: string | null;
    hasLdPreload: boolean;
    /** coreutils stdbuf's variables (`stdbuf -o0` sets _STDBUF_O=0 and LD_PRELOAD=.../libstdbuf.so). */
    _STDBUF_O: string | null;
  };
  pid: number;
  ppid: number;
  cwd: string;
  stdoutIsTTY: boolean;
  startedAtMs: number;
}

export interface FakeSoxEvent {
  event: 'signal' | 'exit' | 'stdout-error' | 'file-end';
  signal?: string;
  code?: number;
  bytesWritten: number;
  atMs: number;
}

/** What real SoX prints when there is no audio device (ALSA noise first), then it exits 1 at once. */
export const NO_DEVICE_STDERR =
  "ALSA lib confmisc.c:855:(parse_card) cannot find card '0'\n" +
  'ALSA lib conf.c:5178:(_snd_config_evaluate) function snd_func_card_inum returned error: No such file or directory\n' +
  'ALSA lib pcm.c:2664:(snd_pcm_open_noupdate) Unknown PCM default\n' +
  'sox FAIL sox: Sorry, there is no default audio device configured\n';

/** Parent folder for temp dirs: the per-run folder from global-setup (removed at teardown), else os.tmpdir(). */
export function testTmpRoot(): string {
  const root = process.env.LT_TEST_TMPDIR;
  return root && existsSync(root) ? root : tmpdir();
}

const DEFAULT_DIE_STDERR = "sox FAIL sox: `default' lsx_readbuf: Input/output error\n";

function fakeSoxConfig(kind: FakeSoxKind, opts: FakeSoxOptions): Record<string, unknown> {
  return {
    kind,
    argsLogPath: opts.argsLogPath ?? null,
    eventsLogPath: opts.eventsLogPath ?? null,
    rawPath: opts.rawPath ? path.resolve(opts.rawPath) : null,
    chunkBytes: opts.chunkBytes ?? 3200,
    intervalMs: opts.intervalMs ?? 100,
    afterFile: opts.afterFile ?? 'silence',
    sigintExitDelayMs: opts.sigintExitDelayMs ?? 1000,
    sigintExitCode: opts.sigintExitCode ?? 0,
    dieAfterMs: opts.dieAfterMs ?? null,
    dieExitCode: opts.dieExitCode ?? 2,
    dieStderr: opts.dieStderr ?? DEFAULT_DIE_STDERR,
    noDeviceStderr: NO_DEVICE_STDERR,
  };
}

function fakeSoxScript(kind: FakeSoxKind, opts: FakeSoxOptions): string {
  const config = fakeSoxConfig(kind, opts);
  // Plain CommonJS (the temp dir has no package.json), no dependencies.
  return `#!${process.execPath}
'use strict';
const fs = require('fs');
const C = ${JSON.stringify(config)};
const startedAtMs = Date.now();
let bytesWritten = 0;
const env = process.env;
const v = (k) => (env[k] === undefined ? null : env[k]);
function appendJson(file, obj) {
  if (!file) return;
  try { fs.appendFileSync(file, JSON.stringify(obj) + '\\n'); } catch (e) { /* test dir gone */ }
}
function event(ev, extra) {
  appendJson(C.eventsLogPath, Object.assign({ event: ev, bytesWritten, atMs: Date.now() - startedAtMs }, extra || {}));
}
appendJson(C.argsLogPath, {
  kind: C.kind,
  argv: process.argv.slice(2),
  env: {
    AUDIODEV: v('AUDIODEV'), AUDIODRIVER: v('AUDIODRIVER'), SOX_OPTS: v('SOX_OPTS'),
    PULSE_SERVER: v('PULSE_SERVER'), LD_PRELOAD: v('LD_PRELOAD'), hasLdPreload: 'LD_PRELOAD' in env,
    _STDBUF_O: v('_STDBUF_O'),
  },
  pid: process.pid, ppid: process.ppid, cwd: process.cwd(),
  stdoutIsTTY: Boolean(process.stdout.isTTY), startedAtMs,
});
function exit(code) {
  event('exit', { code });
  process.exit(code);
}

if (C.kind === 'fail-no-device') {
  fs.writeSync(2, C.noDeviceStderr);
  exit(1);
} else {
  let pcm = Buffer.alloc(0);
  if (C.rawPath) {
    pcm = fs.readFileSync(C.rawPath);
    if (pcm.length >= 12 && pcm.toString('ascii', 0, 4) === 'RIFF' && pcm.toString('ascii', 8, 12) === 'WAVE') {
      let off = 12;
      let data = null;
      while (off + 8 <= pcm.length) {
        const id = pcm.toString('ascii', off, off + 4);
        const size = pcm.readUInt32LE(off + 4);
        if (id === 'data') { data = pcm.subarray(off + 8, size === 0 ? pcm.length : Math.min(pcm.length, off + 8 + size)); break; }
        off += 8 + size + (size % 2);
      }
      pcm = data || Buffer.alloc(0);
    }
  } else if (C.kind === 'stream-file') {
    fs.writeSync(2, 'fake sox: stream-file needs rawPath\\n');
    exit(64);
  }
  let pos = 0;
  let ticks = 0;
  let stopped = false;
  let timer = null;
  let fileEnded = false;
  process.stdout.on('error', () => { event('stdout-error'); exit(0); });
  function tick() {
    if (stopped) return;
    let out;
    if (pos < pcm.length) {
      out = pcm.subarray(pos, pos + C.chunkBytes);
      pos += out.length;
    } else {
      if (!fileEnded) { fileEnded = true; if (C.rawPath) event('file-end'); }
      if (C.afterFile === 'exit') { stopped = true; process.stdout.end(() => exit(0)); return; }
      out = Buffer.alloc(C.chunkBytes);
    }
    bytesWritten += out.length;
    process.stdout.write(out);
    ticks++;
    // Drift-free schedule: tick n is due at start + (n + 1) * interval.
    timer = setTimeout(tick, Math.max(0, startedAtMs + (ticks + 1) * C.intervalMs - Date.now()));
  }
  timer = setTimeout(tick, C.intervalMs);
  function stop() { stopped = true; if (timer) clearTimeout(timer); }
  process.on('SIGTERM', () => { event('signal', { signal: 'SIGTERM' }); stop(); exit(0); });
  process.on('SIGHUP', () => { event('signal', { signal: 'SIGHUP' }); stop(); exit(129); });
  process.on('SIGINT', () => {
    event('signal', { signal: 'SIGINT' });
    stop();
    if (C.kind === 'exit-on-sigint-after') setTimeout(() => exit(C.sigintExitCode), C.sigintExitDelayMs);
    else exit(0);
  });
  if (C.dieAfterMs !== null) {
    setTimeout(() => { stop(); fs.writeSync(2, C.dieStderr); exit(C.dieExitCode); }, C.dieAfterMs);
  }
}
`;
}

/**
 * Creates a temp dir with an executable fake `sox`:
 * - 'fail-no-device': prints NO_DEVICE_STDERR and exits 1 at once, like real SoX without an audio device.
 * - 'stream-file': writes the PCM of `opts.rawPath` to stdout in real time (3200 bytes every 100 ms by
 *   default), then digital silence until SIGTERM/SIGINT; exits 0 on either (as real sox), 129 on SIGHUP.
 * - 'exit-on-sigint-after': like 'stream-file' (silence if no rawPath), but on SIGINT it stops writing and
 *   exits only `opts.sigintExitDelayMs` later (default 1000) with `opts.sigintExitCode` (default 0): a slow
 *   sox after Ctrl+C. SIGTERM still exits 0 at once.
 * Returns the directory (put it first on PATH).
 */
export async function makeFakeSoxDir(kind: FakeSoxKind, opts: FakeSoxOptions = {}): Promise<string> {
  if (kind === 'stream-file' && !opts.rawPath) throw new Error("makeFakeSoxDir('stream-file') needs opts.rawPath");
  if (opts.rawPath && !existsSync(opts.rawPath)) throw new Error(`fake sox rawPath does not exist: ${opts.rawPath}`);
  const dir = await mkdtemp(path.join(testTmpRoot(), `lt-fake-sox-${kind}-`));
  const file = path.join(dir, 'sox');
  await writeFile(file, fakeSoxScript(kind, opts));
  await chmod(file, 0o755);
  return dir;
}

function readJsonLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** All invocations recorded in an argsLogPath (empty if the fake was never run). */
export function readFakeSoxLog(argsLogPath: string): FakeSoxInvocation[] {
  return readJsonLines<FakeSoxInvocation>(argsLogPath);
}

/** All events recorded in an eventsLogPath. */
export function readFakeSoxEvents(eventsLogPath: string): FakeSoxEvent[] {
  return readJsonLines<FakeSoxEvent>(eventsLogPath);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A PATH value under which `node` resolves (a temp dir holding only a symlink `node` -> process.execPath)
 * but `sox` does not, for the "SoX is not installed" test. `#!/usr/bin/env node` scripts still start.
 */
export async function makeNoSoxPath(): Promise<string> {
  const dir = await mkdtemp(path.join(testTmpRoot(), 'lt-no-sox-'));
  await symlink(process.execPath, path.join(dir, 'node'));
  const value = dir;
  const entries = value.split(path.delimiter);
  for (const entry of entries) {
    if (path.resolve(entry) === '/usr/bin' || path.resolve(entry) === '/bin' || isExecutable(path.join(entry, 'sox'))) {
      throw new Error(`makeNoSoxPath: ${entry} would make sox resolvable`);
    }
  }
  return value;
}
