/**
 * The two clients under test, as child processes the bench can time: live-transcribe (the built bin) and the
 * reference client on the official SDK (bench/sdk-client.mjs). Every stdout line is timestamped on arrival.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { FakeServer, SessionRecord } from '../test/support/fake-server.js';
import { childrenOf, commandName } from './proc.js';

/** live-transcribe, the official SDK, and the floor: the least any client sending 50 ms frames must do. */
export type ClientKind = 'ours' | 'sdk' | 'minimal';
export const API_KEY = 'test-key-0000';

/** Epoch milliseconds with sub-millisecond resolution, on the same clock as Date.now(). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const live = new Set<ChildProcess>();

/** Kills every child still running (bench failure or interruption). */
export function killAll(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

export function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export interface Line {
  text: string;
  atMs: number;
}

export interface RunningClient {
  kind: ClientKind;
  child: ChildProcess;
  pid: number;
  spawnedAtMs: number;
  lines: Line[];
  stderr(): string;
  /** Starts reading stdout (clients start reading at once unless spawned with `pausedStdout`). */
  readStdout(): void;
  /** Resolves when `pred(lines)` holds; rejects after timeoutMs or if the process exits first. */
  waitForLines(pred: (lines: Line[]) => boolean, timeoutMs: number): Promise<void>;
  /** The SoX process the client started (undefined until it runs). */
  soxPid(): number | undefined;
  /** Every SoX process the client runs now (one per audio source). */
  soxPids(): number[];
  /** SIGINT, then waits (bounded) for the exit; SIGKILL if it does not come. Resolves to the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
}

export interface ClientOptions {
  kind: ClientKind;
  /** The script node runs: live-transcribe's bin, bench/sdk-client.mjs or bench/minimal-client.mjs. */
  script: string;
  /** ws:// or wss:// base URL of the double. */
  url: string;
  env: NodeJS.ProcessEnv;
  /** Leave stdout unread (a pipe nobody reads) until readStdout(). */
  pausedStdout?: boolean;
  /** More arguments for live-transcribe (e.g. a second source); the other clients take none. */
  extraArgs?: readonly string[];
}

/** A minimal environment: what the audio stack needs, the key, the CA for the TLS double, no colours. */
export function clientEnv(micEnv: NodeJS.ProcessEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'XDG_RUNTIME_DIR', 'XDG_CONFIG_HOME', 'XDG_STATE_HOME', 'PULSE_SERVER']) {
    const v = micEnv[key];
    if (v !== undefined) env[key] = v;
  }
  return { ...env, ASSEMBLYAI_API_KEY: API_KEY, NO_COLOR: '1', ...extra };
}

export function startClient(o: ClientOptions): RunningClient {
  const args = o.kind === 'ours' ? [o.script, '--api-host', o.url, ...(o.extraArgs ?? [])] : [o.script, o.url];
  const spawnedAtMs = nowMs();
  const child = track(spawn(process.execPath, args, { env: o.env, stdio: ['ignore', 'pipe', 'pipe'] }));
  const lines: Line[] = [];
  let partial = '';
  let err = '';
  let exited = false;
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const w of [...waiters]) w();
  };
  const onData = (d: Buffer): void => {
    const at = nowMs();
    const parts = (partial + d.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const text of parts) lines.push({ text, atMs: at });
    notify();
  };
  child.stdout?.pause();
  let reading = false;
  const readStdout = (): void => {
    if (reading) return;
    reading = true;
    child.stdout?.on('data', onData);
    child.stdout?.resume();
  };
  if (o.pausedStdout !== true) readStdout();
  child.stderr?.on('data', (d: Buffer) => {
    if (err.length < 200_000) err += d.toString('utf8');
  });
  child.on('error', (e) => {
    err += `spawn error: ${e.message}\n`;
  });
  const exitCode = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      exited = true;
      notify();
      resolve(code);
    });
  });
  let sox: number | undefined;
  return {
    kind: o.kind,
    child,
    pid: child.pid ?? -1,
    spawnedAtMs,
    lines,
    stderr: () => err,
    readStdout,
    waitForLines(pred, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (pred(lines)) done();
          else if (exited) done(new Error(`${o.kind} client exited while waiting for output; stderr:\n${err.slice(-2000)}`));
        };
        const timer = setTimeout(
          () => done(new Error(`${o.kind} client: output not seen within ${timeoutMs} ms (${lines.length} lines); stderr:\n${err.slice(-2000)}`)),
          timeoutMs,
        );
        const done = (e?: Error): void => {
          clearTimeout(timer);
          waiters.delete(check);
          if (e) reject(e);
          else resolve();
        };
        waiters.add(check);
        check();
      });
    },
    soxPid() {
      if (sox === undefined && child.pid !== undefined) sox = childrenOf(child.pid).find((p) => commandName(p) === 'sox');
      return sox;
    },
    soxPids: () => (child.pid === undefined ? [] : childrenOf(child.pid).filter((p) => commandName(p) === 'sox')),
    async stop(timeoutMs = 10_000) {
      if (!exited) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exitCode;
      clearTimeout(timer);
      return code;
    },
  };
}

/** The double's record of the client's session once its first audio frame arrived (15 s at most). */
export async function waitForAudio(server: FakeServer, index: number, client: RunningClient): Promise<SessionRecord> {
  await server
    .waitFor((s) => (s[index]?.frames.length ?? 0) > 0, 15_000)
    .catch((e: unknown) => {
      throw new Error(`${client.kind}: no audio reached the double: ${(e as Error).message}\nclient stderr:\n${client.stderr()}`);
    });
  const record = server.sessions[index];
  if (record === undefined) throw new Error('no session');
  return record;
}
