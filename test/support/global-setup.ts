/**
 * vitest globalSetup: a private PulseAudio daemon with a null sink `virtmic` (16 kHz mono s16le) whose
 * monitor `virtmic.monitor` is the default source, i.e. a virtual microphone that tests "speak" into with
 * `paplay -d virtmic` (see `playIntoMic` in ./audio.ts) and that sox / node-record-lpcm16 record from.
 * It also sets TMPDIR (inherited by the workers) to LT_TEST_TMPDIR: every test's temp files live under it.
 *
 * The daemon listens on a unix socket in a fresh temp dir (never /tmp/lt-pulse.sock, so a developer's own
 * virtual mic is left alone). `process.env.LT_TEST_TMPDIR` (inherited by the test workers) is a folder in the
 * same temp dir where ./fake-sox.ts and ./tmux.ts make their temp dirs, so teardown removes them all. Tests get the server string with `inject('pulseServer')` (or
 * `process.env.LT_TEST_PULSE_SERVER`) and must put it in the environment of every audio child process as
 * `PULSE_SERVER`.
 *
 * Facts this relies on (checked on Debian 12, PulseAudio 16.1, running as root):
 * - As root, `pulseaudio` without `--system` only warns ("This program is not intended to be run as root")
 *   and runs. HOME / XDG_RUNTIME_DIR point into the temp dir so that the daemon's cookie, runtime dir and
 *   state never touch the developer's ~/.config/pulse or /run/user.
 * - The daemon is started with `--daemonize=no` under `setpriv --pdeathsig TERM`, so it (and the keep-alive
 *   reader) die with the vitest process even if vitest is killed before teardown runs.
 * - A freshly loaded null sink runs at ~2 s latency; the keep-alive `parec --latency-msec=20` makes it
 *   drain to ~20 ms, but that takes ~2 s. Until then, a recorder gets its first data seconds late. We poll the
 *   sink latency (bounded) instead of sleeping a fixed time.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { findOnPath } from './which.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PulseAudio server string of the private test daemon, e.g. `unix:/tmp/lt-test-pulse-XXXX/pulse.sock`. */
    pulseServer: string;
  }
}

const REQUIRED_APT_PACKAGES = 'sox libsox-fmt-pulse pulseaudio pulseaudio-utils espeak-ng tmux';
const READY_TIMEOUT_MS = 10_000;
const SETTLE_TIMEOUT_MS = 8_000;
const SETTLED_LATENCY_USEC = 100_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 3_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (!(await waitForExit(child, 3_000))) {
    child.kill('SIGKILL');
    await waitForExit(child, 2_000);
  }
}

/** Latency of sink `virtmic` in microseconds, from `pactl list sinks`; undefined if not found. */
function virtmicLatencyUsec(pactlListSinks: string): number | undefined {
  for (const section of pactlListSinks.split(/\n(?=Sink #)/)) {
    if (!/^\s*Name: virtmic\s*$/m.test(section)) continue;
    const m = /^\s*Latency: (\d+) usec/m.exec(section);
    return m?.[1] !== undefined ? Number(m[1]) : undefined;
  }
  return undefined;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pulseaudio = findOnPath('pulseaudio');
  const pactl = findOnPath('pactl');
  const parec = findOnPath('parec');
  const missing = [
    !pulseaudio && 'pulseaudio (package pulseaudio)',
    !pactl && 'pactl (package pulseaudio-utils)',
    !parec && 'parec (package pulseaudio-utils)',
  ].filter(Boolean);
  if (!pulseaudio || !pactl || !parec) {
    throw new Error(
      `The test suite needs a virtual microphone, but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} ` +
        `not installed.\nInstall the test dependencies with:\n` +
        `  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${REQUIRED_APT_PACKAGES}\n` +
        `(.ci/run does this automatically.)`,
    );
  }

  const dir = await mkdtemp(path.join(tmpdir(), 'lt-test-'));
  const home = path.join(dir, 'home');
  const runtimeDir = path.join(dir, 'runtime');
  // Parent for the helpers' temp dirs (fake sox, tmux, no-sox PATH): removed with everything else at teardown.
  const helpersTmp = path.join(dir, 'tmp');
  await mkdir(home);
  await mkdir(runtimeDir);
  await mkdir(helpersTmp);
  await chmod(runtimeDir, 0o700);
  const socket = path.join(dir, 'pulse.sock');
  const pulseServer = `unix:${socket}`;

  // Environment for the daemon and for our own clients: private HOME and runtime dir, no inherited server.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_RUNTIME_DIR: runtimeDir,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    PULSE_SERVER: pulseServer,
  };
  delete env.PULSE_SINK;
  delete env.PULSE_SOURCE;
  delete env.PULSE_COOKIE;
  const daemonEnv = { ...env };
  delete daemonEnv.PULSE_SERVER;

  const daemonArgs = [
    '--daemonize=no',
    '--exit-idle-time=-1',
    '-n',
    '--use-pid-file=no',
    '--log-target=stderr',
    `--load=module-native-protocol-unix socket=${socket} auth-anonymous=1`,
    '--load=module-null-sink sink_name=virtmic rate=16000 channels=1 format=s16le',
  ];
  // setpriv --pdeathsig: the daemon gets SIGTERM if vitest dies without running teardown.
  const setpriv = findOnPath('setpriv');
  const [cmd, args] = setpriv
    ? [setpriv, ['--pdeathsig', 'TERM', '--', pulseaudio, ...daemonArgs]]
    : [pulseaudio, daemonArgs];

  let daemon: ChildProcess | undefined;
  let keepAlive: ChildProcess | undefined;
  let daemonLog = '';
  let tornDown = false;

  const teardown = async (): Promise<void> => {
    if (tornDown) return;
    tornDown = true;
    await stopChild(keepAlive);
    await stopChild(daemon);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    daemon = spawn(cmd, args, { env: daemonEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    daemon.stderr?.setEncoding('utf8');
    daemon.stderr?.on('data', (s: string) => {
      if (daemonLog.length < 20_000) daemonLog += s;
    });
    let error: Error | undefined;
    daemon.on('error', (e) => {
      error = e;
    });

    const failure = (what: string): Error =>
      new Error(
        `${what}\npulseaudio ${daemonArgs.join(' ')}\n` +
          (error ? `spawn error: ${error.message}\n` : '') +
          (daemon?.exitCode != null ? `pulseaudio exited with code ${daemon.exitCode}\n` : '') +
          `pulseaudio log:\n${daemonLog}`,
      );

    // 1. Wait until the daemon answers.
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (error || daemon.exitCode !== null || daemon.signalCode !== null) {
        await sleep(100); // let stderr drain
        throw failure('The private PulseAudio daemon for the tests failed to start.');
      }
      const info = await run(pactl, ['info'], env, 2_000);
      if (info.code === 0) break;
      if (Date.now() > deadline) {
        throw failure(`The private PulseAudio daemon did not answer \`pactl info\` within ${READY_TIMEOUT_MS} ms.`);
      }
      await sleep(100);
    }

    // 2. Defaults: anything that records from "the default device" gets the virtual mic.
    for (const a of [
      ['set-default-sink', 'virtmic'],
      ['set-default-source', 'virtmic.monitor'],
    ]) {
      const r = await run(pactl, a, env);
      if (r.code !== 0) throw failure(`pactl ${a.join(' ')} failed: ${r.stderr}`);
    }

    // 3. Keep-alive reader: keeps the null sink at low latency (otherwise the first ~1.5 s played is lost).
    const keepAliveArgs = ['--latency-msec=20', '-d', 'virtmic.monitor', '--raw'];
    const [kaCmd, kaArgs] = setpriv
      ? [setpriv, ['--pdeathsig', 'TERM', '--', parec, ...keepAliveArgs]]
      : [parec, keepAliveArgs];
    keepAlive = spawn(kaCmd, kaArgs, { env, stdio: ['ignore', 'ignore', 'ignore'] });
    keepAlive.on('error', () => {
      /* reported through exitCode below */
    });

    // 4. Wait (bounded) until the keep-alive is connected and the sink latency has drained.
    const settleDeadline = Date.now() + SETTLE_TIMEOUT_MS;
    let lastLatency: number | undefined;
    for (;;) {
      if (keepAlive.exitCode !== null || keepAlive.signalCode !== null) {
        throw failure(`The keep-alive reader (parec ${keepAliveArgs.join(' ')}) exited early.`);
      }
      const outputs = await run(pactl, ['list', 'short', 'source-outputs'], env);
      if (outputs.code === 0 && outputs.stdout.trim() !== '') {
        const sinks = await run(pactl, ['list', 'sinks'], env);
        lastLatency = virtmicLatencyUsec(sinks.stdout);
        if (lastLatency !== undefined && lastLatency < SETTLED_LATENCY_USEC) break;
      }
      if (Date.now() > settleDeadline) {
        throw failure(
          `The virtual microphone did not settle within ${SETTLE_TIMEOUT_MS} ms ` +
            `(sink latency ${lastLatency ?? 'unknown'} usec).`,
        );
      }
      await sleep(50);
    }
  } catch (e) {
    await teardown();
    throw e;
  }

  project.provide('pulseServer', pulseServer);
  process.env.LT_TEST_PULSE_SERVER = pulseServer;
  process.env.LT_TEST_TMPDIR = helpersTmp;
  // One temp root for the whole run: the workers inherit TMPDIR, so `os.tmpdir()` in every test (and in every
  // process spawned with TMPDIR from cleanEnv or tmux) points into it. The secret scan
  // (./secret-scan-setup.ts) searches every file under it, and teardown removes it.
  const previousTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = helpersTmp;

  return async () => {
    delete process.env.LT_TEST_PULSE_SERVER;
    delete process.env.LT_TEST_TMPDIR;
    if (previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmpdir;
    await teardown();
  };
}
