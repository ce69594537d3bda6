/**
 * A live-transcribe run with --captions for the captions e2e tests: standard input is a pipe the test writes
 * audio into (so the test decides when each turn is spoken), and the page's URL is read from stderr.
 */
import { spawn } from 'node:child_process';
import { BIN, recordOutput } from './cli.js';
import { waitUntil } from './wait.js';

export interface CaptionsRun {
  url: string;
  stdout(): string;
  stderr(): string;
  /** Writes audio to the run's standard input. */
  write(data: Buffer): void;
  /** Closes standard input: the end of the audio. */
  end(): void;
  exit(timeoutMs?: number): Promise<number>;
  kill(): void;
  /** A signal, as Ctrl+C (SIGINT) or a service manager (SIGTERM) sends it. */
  signal(sig: NodeJS.Signals): void;
}

/** Starts the CLI and resolves once it printed `captions: URL` (rejects if it exits first). */
export async function startCaptionsRun(args: string[], env: Record<string, string>): Promise<CaptionsRun> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let code: number | undefined;
  const what = `live-transcribe ${args.join(' ')}`;
  recordOutput(`stdout of ${what}`, () => out);
  recordOutput(`stderr of ${what}`, () => err);
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.on('error', () => {});
  const exited = new Promise<number>((resolve) => child.on('close', (c) => resolve((code = c ?? 1))));
  const url = await waitUntil(() => /captions: (http\S+)/.exec(err)?.[1], {
    timeoutMs: 15_000,
    what: () => `the captions URL on stderr\n${err}`,
    failIf: () => (code === undefined ? undefined : `the run exited ${code} first:\n${err}`),
  });
  return {
    url,
    stdout: () => out,
    stderr: () => err,
    write: (data) => child.stdin.write(data),
    end: () => child.stdin.end(),
    exit: (timeoutMs = 30_000) =>
      waitUntil(() => (code === undefined ? undefined : exited), { timeoutMs, what: () => `the run to exit\n${err}` }).catch((e: unknown) => {
        child.kill('SIGKILL');
        throw e;
      }),
    kill: () => child.kill('SIGKILL'),
    signal: (sig) => child.kill(sig),
  };
}
