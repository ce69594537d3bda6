/**
 * A private PulseAudio daemon with a virtual microphone, for the benchmark: the same recipe as
 * test/support/global-setup.ts (null sink `virtmic` at 16 kHz mono s16le, its monitor as the default
 * source, a keep-alive reader, a bounded wait for the sink latency to drain), duplicated in a minimal form
 * so that the test suite's setup stays exactly as it is. Everything lives in a fresh temp dir and dies
 * with the bench (setpriv --pdeathsig) even if the bench is killed.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findOnPath } from '../test/support/which.js';

export { findOnPath };

export interface VirtualMic {
  /** `unix:/tmp/lt-bench-XXXX/pulse.sock`: put it in every audio child's environment as PULSE_SERVER. */
  pulseServer: string;
  /** Environment for audio children (private HOME/XDG dirs, PULSE_SERVER). */
  env: NodeJS.ProcessEnv;
  /** A scratch folder inside the private temp dir (removed by stop()). */
  scratch: string;
  stop(): Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 3_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

function virtmicLatencyUsec(pactlListSinks: string): number | undefined {
  for (const section of pactlListSinks.split(/\n(?=Sink #)/)) {
    if (!/^\s*Name: virtmic\s*$/m.test(section)) continue;
    const m = /^\s*Latency: (\d+) usec/m.exec(section);
    return m?.[1] !== undefined ? Number(m[1]) : undefined;
  }
  return undefined;
}

const REQUIRED = 'sox libsox-fmt-pulse pulseaudio pulseaudio-utils openssl';

export async function startVirtualMic(): Promise<VirtualMic> {
  const pulseaudio = findOnPath('pulseaudio');
  const pactl = findOnPath('pactl');
  const parec = findOnPath('parec');
  if (!pulseaudio || !pactl || !parec || !findOnPath('paplay') || !findOnPath('sox')) {
    throw new Error(`the benchmark needs a virtual microphone: install ${REQUIRED} (Debian package names)`);
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'lt-bench-'));
  const home = path.join(dir, 'home');
  const runtimeDir = path.join(dir, 'runtime');
  const scratch = path.join(dir, 'scratch');
  await mkdir(home);
  await mkdir(runtimeDir);
  await mkdir(scratch);
  await chmod(runtimeDir, 0o700);
  const socket = path.join(dir, 'pulse.sock');
  const pulseServer = `unix:${socket}`;
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
  const setpriv = findOnPath('setpriv');
  const wrap = (bin: string, args: string[]): [string, string[]] => (setpriv ? [setpriv, ['--pdeathsig', 'TERM', '--', bin, ...args]] : [bin, args]);

  let daemon: ChildProcess | undefined;
  let keepAlive: ChildProcess | undefined;
  let log = '';
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await stopChild(keepAlive);
    await stopChild(daemon);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const [cmd, args] = wrap(pulseaudio, daemonArgs);
    daemon = spawn(cmd, args, { env: daemonEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    daemon.stderr?.setEncoding('utf8');
    daemon.stderr?.on('data', (s: string) => {
      if (log.length < 20_000) log += s;
    });
    daemon.on('error', () => undefined);
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (daemon.exitCode !== null || daemon.signalCode !== null) throw new Error(`pulseaudio exited at start:\n${log}`);
      if ((await run(pactl, ['info'], env, 2_000)).code === 0) break;
      if (Date.now() > deadline) throw new Error(`pulseaudio did not answer within 10 s:\n${log}`);
      await sleep(100);
    }
    for (const a of [
      ['set-default-sink', 'virtmic'],
      ['set-default-source', 'virtmic.monitor'],
    ]) {
      const r = await run(pactl, a, env);
      if (r.code !== 0) throw new Error(`pactl ${a.join(' ')} failed: ${r.stderr}`);
    }
    const [kaCmd, kaArgs] = wrap(parec, ['--latency-msec=20', '-d', 'virtmic.monitor', '--raw']);
    keepAlive = spawn(kaCmd, kaArgs, { env, stdio: ['ignore', 'ignore', 'ignore'] });
    keepAlive.on('error', () => undefined);
    const settle = Date.now() + 8_000;
    let latency: number | undefined;
    for (;;) {
      if (keepAlive.exitCode !== null || keepAlive.signalCode !== null) throw new Error('the keep-alive parec exited early');
      const outputs = await run(pactl, ['list', 'short', 'source-outputs'], env);
      if (outputs.code === 0 && outputs.stdout.trim() !== '') {
        latency = virtmicLatencyUsec((await run(pactl, ['list', 'sinks'], env)).stdout);
        if (latency !== undefined && latency < 100_000) break;
      }
      if (Date.now() > settle) throw new Error(`the virtual microphone did not settle (latency ${latency ?? '?'} usec)`);
      await sleep(50);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { pulseServer, env, scratch, stop };
}
