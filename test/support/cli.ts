/**
 * Spawns the built bin (dist/, via bin/live-transcribe.js) as a user would, with an explicit environment,
 * and collects stdout, stderr and the exit code. Every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { waitUntil } from './wait.js';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/live-transcribe.cjs', import.meta.url));
export const TEST_KEY = 'test-key-0000';
/** A second key, distinct from TEST_KEY, for tests whose server accepts any key (e.g. e2e/fuzz.test.ts). */
export const SECOND_TEST_KEY = 'second-key-7d41c9e2';
/**
 * Every secret the tests give the client. The client must never print or write one of them: the secret scan
 * (./secret-scan-setup.ts) fails a test whose recorded output or temp files contain any of them.
 * 'secret-value-42' is the key inside the malformed `Bearer secret-value-42` of e2e/cli.test.ts.
 */
export const SECRET_MARKERS: readonly string[] = [TEST_KEY, SECOND_TEST_KEY, 'secret-value-42', 'minted-tok-5f2a91'];
/** What the tests' --token-command prints (with -1, -2... after it): a minted temporary token is a secret too. */
export const MINTED_TOKEN_PREFIX = 'minted-tok-5f2a91';

/** Something a test captured from a process it ran: read when the scan runs, so output still arriving counts. */
export interface RecordedOutput {
  /** Where it came from, e.g. `stderr of live-transcribe --api-host ...` (the scan names it on a hit). */
  label: string;
  text: () => string;
  /** A terminal screen: rows are cut at the terminal width, so the scan also joins them. */
  screen?: boolean;
}

const recorded: RecordedOutput[] = [];

/**
 * Registers output captured from a spawned process (or a terminal screen) for the secret scan. Pass a
 * function to have the text read at scan time (after the test), or a string for a snapshot.
 */
export function recordOutput(label: string, text: string | (() => string), opts: { screen?: boolean } = {}): void {
  recorded.push({ label, text: typeof text === 'string' ? () => text : text, ...(opts.screen === true ? { screen: true } : {}) });
}

/** The outputs recorded since the last call, which forgets them (the scan calls this after every test). */
export function takeRecordedOutputs(): RecordedOutput[] {
  return recorded.splice(0);
}

/** The outputs recorded so far, without forgetting them. */
export function recordedOutputs(): readonly RecordedOutput[] {
  return [...recorded];
}

export interface CliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or 128+signal) within timeoutMs, else kills the process and rejects. */
  exit: (timeoutMs?: number) => Promise<number>;
  waitForStderr: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  waitForStdout: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  signal: (sig: NodeJS.Signals) => void;
}

/** A clean environment: no colour or CI variables unless the test sets them. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'TMPDIR']) {
    const v = process.env[key];
    if (v !== undefined) env[key] = v;
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** A clean environment with the test key in ASSEMBLYAI_API_KEY, and `extra` on top. */
export function keyEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  return cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, ...extra });
}

export function runCli(args: string[], env: Record<string, string>, opts: { cwd?: string } = {}): CliRun {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], ...(opts.cwd ? { cwd: opts.cwd } : {}) });
  let out = '';
  let err = '';
  const what = `live-transcribe ${args.join(' ')}`.slice(0, 200);
  recordOutput(`stdout of ${what}`, () => out);
  recordOutput(`stderr of ${what}`, () => err);
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const l of [...listeners]) l();
  };
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    notify();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    notify();
  });
  const exited = new Promise<number>((resolve) => {
    child.on('close', (code, signal) => {
      notify();
      resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : signal === 'SIGINT' ? 2 : 0));
    });
  });
  let closed = false;
  void exited.then(() => {
    closed = true;
    notify();
  });

  const subscribe = (wake: () => void): (() => void) => {
    listeners.add(wake);
    return () => listeners.delete(wake);
  };
  const outputs = (): string => `\nstdout:\n${out}\nstderr:\n${err}`;
  const waitFor = (read: () => string, name: string, pattern: RegExp, timeoutMs = 15_000): Promise<void> =>
    waitUntil(() => pattern.test(read()), {
      timeoutMs,
      intervalMs: 1000,
      subscribe,
      what: () => `${name} to match ${pattern}${outputs()}`,
      failIf: () => (closed && !pattern.test(read()) ? `process exited before ${name} matched ${pattern}${outputs()}` : undefined),
    }).then(() => undefined);

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit: (timeoutMs = 20_000) =>
      waitUntil(() => (closed ? exited : undefined), { timeoutMs, intervalMs: 1000, subscribe, what: () => `the process to exit${outputs()}` }).catch(
        (e: unknown) => {
          child.kill('SIGKILL');
          throw e;
        },
      ),
    waitForStderr: (pattern, timeoutMs) => waitFor(() => err, 'stderr', pattern, timeoutMs),
    waitForStdout: (pattern, timeoutMs) => waitFor(() => out, 'stdout', pattern, timeoutMs),
    signal: (sig) => {
      child.kill(sig);
    },
  };
}
