/**
 * A private PulseAudio daemon with a virtual microphone and virtual speakers, both null sinks at 16 kHz mono
 * s16le: `virtmic`, whose monitor `virtmic.monitor` is the default source (and `virtmic` the default sink), and
 * `virtspk`, whose monitor `virtspk.monitor` stands for what the computer plays (issue 13, system audio). Used by
 * the test suite's global setup (./global-setup.ts) and by the benchmark (bench/virtual-mic.ts).
 *
 * Everything lives in a fresh temp dir: the daemon listens on a unix socket there (never /tmp/lt-pulse.sock,
 * so a developer's own virtual mic is left alone), and HOME / XDG_RUNTIME_DIR point into it so that the
 * daemon's cookie, runtime dir and state never touch ~/.config/pulse or /run/user.
 *
 * Facts this relies on (checked on Debian 12, PulseAudio 16.1, running as root):
 * - As root, `pulseaudio` without `--system` only warns ("This program is not intended to be run as root")
 *   and runs.
 * - The daemon is started with `--daemonize=no` under `setpriv --pdeathsig TERM`, so it (and the keep-alive
 *   reader) die with the parent even if the parent is killed before it stops them.
 * - A freshly loaded null sink runs at ~2 s latency; the keep-alive `parec --latency-msec=20` makes it
 *   drain to ~20 ms, but that takes ~2 s. Until then, a recorder gets its first data seconds late. Each sink
 *   has its own keep-alive reader, and we poll both sinks' latency (bounded) instead of sleeping a fixed time.
 * - Defaults are set explicitly after loading (virtmic / virtmic.monitor), so virtspk changes nothing for a
 *   test that records "the default device".
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitUntil } from './wait.js';
import { findOnPath } from './which.js';

const READY_TIMEOUT_MS = 10_000;
const SETTLE_TIMEOUT_MS = 8_000;
const SETTLED_LATENCY_USEC = 100_000;

export interface PulseTools {
  pulseaudio: string;
  pactl: string;
  parec: string;
}

export interface PulseDaemon {
  /** `unix:<dir>/pulse.sock`: put it in every audio child's environment as PULSE_SERVER. */
  pulseServer: string;
  /** Environment for audio children (private HOME/XDG dirs, PULSE_SERVER). */
  env: NodeJS.ProcessEnv;
  /** The private temp dir (removed by stop()). */
  dir: string;
  /** Stops the keep-alive reader and the daemon, then removes `dir`. Idempotent. */
  stop(): Promise<void>;
}

/** The PulseAudio tools, or the list of the missing ones with their Debian packages. */
export function findPulseTools(): PulseTools | { missing: string[] } {
  const pulseaudio = findOnPath('pulseaudio');
  const pactl = findOnPath('pactl');
  const parec = findOnPath('parec');
  if (pulseaudio && pactl && parec) return { pulseaudio, pactl, parec };
  const missing = [
    !pulseaudio && 'pulseaudio (package pulseaudio)',
    !pactl && 'pactl (package pulseaudio-utils)',
    !parec && 'parec (package pulseaudio-utils)',
  ].filter((m): m is string => typeof m === 'string');
  return { missing };
}

function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 3_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || hasExited(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

/** The virtual microphone: tests "speak" into this sink; its monitor is the default source. */
export const MIC_SINK = 'virtmic';
/** The virtual speakers: what is played into this sink is "what the computer plays"; record `virtspk.monitor`. */
export const SPEAKER_SINK = 'virtspk';
const SINKS = [MIC_SINK, SPEAKER_SINK] as const;

/** Latency of sink `sink` in microseconds, from `pactl list sinks`; undefined if not found. */
export function sinkLatencyUsec(pactlListSinks: string, sink: string): number | undefined {
  for (const section of pactlListSinks.split(/\n(?=Sink #)/)) {
    if (section.match(/^\s*Name: (\S+)\s*$/m)?.[1] !== sink) continue;
    const m = /^\s*Latency: (\d+) usec/m.exec(section);
    return m?.[1] !== undefined ? Number(m[1]) : undefined;
  }
  return undefined;
}

/** Latency of sink `virtmic` in microseconds, from `pactl list sinks`; undefined if not found. */
export function virtmicLatencyUsec(pactlListSinks: string): number | undefined {
  return sinkLatencyUsec(pactlListSinks, MIC_SINK);
}

/** Private HOME/XDG dirs in `dir`, no inherited server, sink or cookie. */
async function privateEnv(dir: string, pulseServer: string): Promise<NodeJS.ProcessEnv> {
  const home = path.join(dir, 'home');
  const runtimeDir = path.join(dir, 'runtime');
  await mkdir(home);
  await mkdir(runtimeDir);
  await chmod(runtimeDir, 0o700);
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
  return env;
}

/** Runs `bin args` under `setpriv --pdeathsig TERM` when available. */
function wrapped(bin: string, args: string[]): [string, string[]] {
  const setpriv = findOnPath('setpriv');
  return setpriv ? [setpriv, ['--pdeathsig', 'TERM', '--', bin, ...args]] : [bin, args];
}

/** Waits (bounded) until every keep-alive reader is connected and every sink's latency has drained. */
async function waitSettled(tools: PulseTools, env: NodeJS.ProcessEnv, keepAlives: readonly ChildProcess[], describe: string): Promise<void> {
  let latencies: (number | undefined)[] = [];
  await waitUntil(
    async () => {
      const outputs = await run(tools.pactl, ['list', 'short', 'source-outputs'], env);
      if (outputs.code !== 0 || outputs.stdout.trim().split('\n').length < keepAlives.length) return false;
      const sinks = (await run(tools.pactl, ['list', 'sinks'], env)).stdout;
      latencies = SINKS.map((sink) => sinkLatencyUsec(sinks, sink));
      return latencies.every((latency) => latency !== undefined && latency < SETTLED_LATENCY_USEC);
    },
    {
      timeoutMs: SETTLE_TIMEOUT_MS,
      intervalMs: 50,
      what: () =>
        `the virtual microphone and speakers to settle (sink latency ${SINKS.map((sink, i) => `${sink} ${latencies[i] ?? 'unknown'}`).join(', ')} usec)`,
      failIf: () => (keepAlives.some(hasExited) ? `A keep-alive reader (${describe}) exited early.` : undefined),
    },
  );
}

/**
 * Starts the daemon in a fresh temp dir named `<tmpdir>/<prefix>XXXX` and waits until the virtual mic is
 * the default source and both sinks have settled. Errors carry the daemon's log.
 */
export async function startPulse(tools: PulseTools, prefix: string): Promise<PulseDaemon> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  const socket = path.join(dir, 'pulse.sock');
  const pulseServer = `unix:${socket}`;
  let daemon: ChildProcess | undefined;
  const keepAlives: ChildProcess[] = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const reader of keepAlives) await stopChild(reader);
    await stopChild(daemon);
    await rm(dir, { recursive: true, force: true });
  };
  const daemonArgs = [
    '--daemonize=no',
    '--exit-idle-time=-1',
    '-n',
    '--use-pid-file=no',
    '--log-target=stderr',
    `--load=module-native-protocol-unix socket=${socket} auth-anonymous=1`,
    `--load=module-null-sink sink_name=${MIC_SINK} rate=16000 channels=1 format=s16le`,
    `--load=module-null-sink sink_name=${SPEAKER_SINK} rate=16000 channels=1 format=s16le sink_properties=device.description=Virtual_speakers`,
  ];
  let log = '';
  let spawnError: Error | undefined;
  const failure = (e: unknown): Error =>
    new Error(
      `${e instanceof Error ? e.message : String(e)}\npulseaudio ${daemonArgs.join(' ')}\n` +
        (spawnError ? `spawn error: ${spawnError.message}\n` : '') +
        (daemon?.exitCode != null ? `pulseaudio exited with code ${daemon.exitCode}\n` : '') +
        `pulseaudio log:\n${log}`,
    );
  try {
    const env = await privateEnv(dir, pulseServer);
    const daemonEnv = { ...env };
    delete daemonEnv.PULSE_SERVER;
    const [cmd, args] = wrapped(tools.pulseaudio, daemonArgs);
    const started = spawn(cmd, args, { env: daemonEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    daemon = started;
    started.stderr?.setEncoding('utf8');
    started.stderr?.on('data', (s: string) => {
      if (log.length < 20_000) log += s;
    });
    started.on('error', (e) => {
      spawnError = e;
    });
    await waitUntil(async () => (await run(tools.pactl, ['info'], env, 2_000)).code === 0, {
      timeoutMs: READY_TIMEOUT_MS,
      intervalMs: 100,
      what: 'the private PulseAudio daemon to answer `pactl info`',
      failIf: () => (spawnError !== undefined || hasExited(started) ? 'The private PulseAudio daemon failed to start.' : undefined),
    });
    // Anything that records from "the default device" gets the virtual mic.
    for (const a of [
      ['set-default-sink', 'virtmic'],
      ['set-default-source', 'virtmic.monitor'],
    ]) {
      const r = await run(tools.pactl, a, env);
      if (r.code !== 0) throw new Error(`pactl ${a.join(' ')} failed: ${r.stderr}`);
    }
    // Keep-alive readers: keep each null sink at low latency (otherwise the first ~1.5 s played is lost).
    const keepAliveArgs = (sink: string): string[] => ['--latency-msec=20', '-d', `${sink}.monitor`, '--raw'];
    for (const sink of SINKS) {
      const [kaCmd, kaArgs] = wrapped(tools.parec, keepAliveArgs(sink));
      const reader = spawn(kaCmd, kaArgs, { env, stdio: ['ignore', 'ignore', 'ignore'] });
      keepAlives.push(reader);
      reader.on('error', () => undefined); // seen as an exit by waitSettled
    }
    await waitSettled(tools, env, keepAlives, SINKS.map((sink) => `parec ${keepAliveArgs(sink).join(' ')}`).join('; '));
    return { pulseServer, env, dir, stop };
  } catch (e) {
    const error = failure(e);
    await stop();
    throw error;
  }
}
