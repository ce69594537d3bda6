/**
 * The process edge: argv, env, stdio, signals, exit code. The only module that touches `process`.
 */
import { fstatSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { runCli } from './cli.js';
import { watchPipeReader } from './system/pipe-watch.js';
import { isSamePress, startedByNpm } from './system/stop-signals.js';
import type { Run } from './app/run.js';
import { createSecrets, type Secrets } from './core/secrets.js';
import { supportsColor, supportsColorStderr } from 'chalk';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const argv = process.argv.slice(2);

/** What each stream supports: chalk's detection (its TTY, TERM, FORCE_COLOR); options/color.ts then decides (NO_COLOR, --no-color). */
function colorLevels(): { out: 0 | 1 | 2 | 3; err: 0 | 1 | 2 | 3 } {
  return { out: supportsColor === false ? 0 : supportsColor.level, err: supportsColorStderr === false ? 0 : supportsColorStderr.level };
}

function stdoutIsPipe(): boolean {
  try {
    return fstatSync(1).isFIFO();
  } catch {
    return false;
  }
}

/** Whether stdout and stderr are the same terminal, so the live region can span both. */
function sameTerminal(): boolean {
  if (process.stdout.isTTY !== true || process.stderr.isTTY !== true) return false;
  try {
    return fstatSync(1).rdev === fstatSync(2).rdev;
  } catch {
    return true;
  }
}

/** The values of the key and token flags (`-k KEY`, `--api-key=KEY`, `--token TOK`). */
function secretFlagValues(args: string[]): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    const m = /^(?:-k|--api-key|--token)(?:=(.*))?$/s.exec(a);
    if (m !== null) out.push(m[1] ?? args[i + 1] ?? '');
  });
  return out;
}

/**
 * The stream with its `write` scrubbed of the secrets (issue 19.2); everything else is the stream's own. A
 * library that hooks `write` (ora clears its spinner before other output) hooks the scrubbed one: it reads it,
 * sets its own, and calls the scrubbed one from there, which calls the stream's real write.
 */
function scrubbedStream<T extends NodeJS.WriteStream>(stream: T, secrets: Secrets): T {
  const real = stream.write.bind(stream) as (...a: unknown[]) => boolean;
  const scrubbed = (chunk: unknown, ...rest: unknown[]): boolean => real(typeof chunk === 'string' ? secrets.scrub(chunk) : chunk, ...rest);
  let current: unknown = scrubbed;
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'write') return current;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
    set(target, prop, value) {
      if (prop === 'write') {
        current = value;
        return true;
      }
      return Reflect.set(target, prop, value, target);
    },
  });
}

const secrets = createSecrets([process.env.ASSEMBLYAI_API_KEY, ...secretFlagValues(argv)]);
let run: Run | undefined;
let firstSignalAt = 0;
const underNpm = startedByNpm(process.env);

function onStopSignal(): void {
  const now = Date.now();
  if (firstSignalAt === 0) {
    firstSignalAt = now;
    run?.requestStop();
    if (run === undefined) process.exit(130);
    return;
  }
  // npx can deliver one Ctrl+C twice at once; any other second press quits now (issue 24.9).
  if (isSamePress(now, firstSignalAt, underNpm)) return;
  void run?.forceStop().then((code) => process.exit(code));
}

process.on('SIGINT', onStopSignal);
process.on('SIGTERM', onStopSignal);
// The terminal was closed: stop as gracefully as SIGTERM (the session is still terminated, files kept).
process.on('SIGHUP', onStopSignal);
// With the terminal gone, writes to stderr fail (EIO): nothing to do about it, and no reason to crash.
process.stderr.on('error', () => {});

/**
 * Not a top-level await: the files of the commands and features that load later import this module's file
 * (dist/main.js holds everything a plain run needs, scripts/bundle.mjs), and an import of a module still
 * awaiting at its top level would wait for the run to end: the run would wait for it forever.
 */
async function main(): Promise<void> {
  const levels = colorLevels();
  try {
    process.exitCode = await runCli(argv, {
      stdout: scrubbedStream(process.stdout, secrets),
      stderr: scrubbedStream(process.stderr, secrets),
      secrets,
      stdin: process.stdin,
      sameTerminal: sameTerminal(),
      stdoutIsPipe: stdoutIsPipe(),
      watchStdoutReader: (onGone) => watchPipeReader(1, process.pid, onGone, process.env),
      env: process.env,
      stdoutColorLevel: levels.out,
      stderrColorLevel: levels.err,
      version,
      nodeVersion: process.version,
      platform: process.platform,
      homedir: homedir(),
      // Issue 22: where the spool goes, and its file names.
      tmpdir: tmpdir(),
      pid: process.pid,
      onInterrupt: onStopSignal,
      // Keys given as flags must not stay readable in `ps` for the whole session (the parse in cli.ts says when).
      onSecretArguments: () => {
        process.title = 'live-transcribe';
      },
      userAgent: `live-transcribe/${version} AssemblyAI/1.0 (sdk=live-transcribe/${version} runtime_env=Node/${process.versions.node})`,
      onRun: (r) => {
        run = r;
      },
    });
  } catch (err) {
    process.stderr.write(secrets.scrub(`error: unexpected failure\n${(err as Error).stack ?? String(err)}\n`));
    process.exitCode = 1;
  }
  process.removeListener('SIGINT', onStopSignal);
  process.removeListener('SIGTERM', onStopSignal);
  process.removeListener('SIGHUP', onStopSignal);
}

void main();
