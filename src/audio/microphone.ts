/**
 * Microphone capture through SoX, driven by node-record-lpcm16, with its known defects handled
 * (ENOENT crash, string errors, stderr discarded, a false error on every stop: ENVIRONMENT.md).
 * The caller gets raw PCM chunks, one terminal outcome, and owns stop().
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { AppError, ErrorCode } from '../core/errors.js';
import { appendTail, lastLines } from '../system/exec.js';
import { buildSoxCommand, soxSaid, soxStartError, STDBUF_LIBRARY_PATHS } from './sox-command.js';

const require = createRequire(import.meta.url);
// Next to the code that runs: scripts/bundle.mjs writes it beside dist/'s chunks.
const RECORDER_PATH = fileURLToPath(new URL('./sox-recorder.cjs', import.meta.url));
const STDERR_TAIL_LINES = 8;

export interface MicrophoneOptions {
  sampleRateHz: number;
  device?: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The platform SoX runs on (RunIO's `platform`). */
  platform: NodeJS.Platform;
  onData: (chunk: Buffer) => void;
  /**
   * Called once when capture ends by itself: `error` undefined if SoX exited cleanly (e.g. it got the
   * terminal's Ctrl+C before we did), an AppError (exit 3) otherwise. Not called after stop().
   */
  onEnd: (error: AppError | undefined) => void;
}

export interface Microphone {
  /** Stops SoX; resolves when its output has ended (bounded). Its exit is then never an error. */
  stop(): Promise<void>;
}

interface Recording {
  process: import('node:child_process').ChildProcess;
  stream(): NodeJS.ReadableStream;
  stop(): void;
}

export function startMicrophone(options: MicrophoneOptions): Microphone {
  const stdbufLibrary = options.platform === 'linux' ? STDBUF_LIBRARY_PATHS.find((p) => existsSync(p)) : undefined;
  const sox = buildSoxCommand({
    sampleRateHz: options.sampleRateHz,
    platform: options.platform,
    env: options.env,
    ...(options.device === undefined ? {} : { device: options.device }),
    ...(stdbufLibrary === undefined ? {} : { stdbufLibrary }),
  });
  const { record } = require('node-record-lpcm16') as { record: (o: object) => Recording };
  const recording = record({
    sampleRate: options.sampleRateHz,
    channels: 1,
    audioType: 'raw',
    recorder: RECORDER_PATH,
    soxCommand: sox.command,
    soxArgs: sox.args,
    soxEnv: sox.env,
  });

  let stopping = false;
  let ended = false;
  let stderrTail = '';
  const stream = recording.stream();
  const child = recording.process;

  const end = (error: AppError | undefined): void => {
    if (ended) return;
    ended = true;
    if (!stopping) options.onEnd(error);
  };

  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = appendTail(stderrTail, chunk);
  });
  // node-record-lpcm16 listens to nothing on the child: without this a missing sox crashes the process.
  child.on('error', (err: NodeJS.ErrnoException) => end(soxStartError(err, options.platform, 'record the microphone')));
  // Data keeps flowing after stop() until SoX's output ends: the last words are in it.
  stream.on('data', (chunk: Buffer) => options.onData(chunk));
  // The library reports a non-zero exit as a *string* on the stream; we read the exit ourselves instead.
  stream.on('error', () => {});
  child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
    if (code === 0 || signal === 'SIGINT' || signal === 'SIGTERM') {
      end(undefined);
      return;
    }
    const tail = lastLines(stderrTail, STDERR_TAIL_LINES);
    const missing = options.device === undefined ? undefined : noSuchDevice(options.device, tail);
    if (missing !== undefined) return end(missing);
    end(
      new AppError(ErrorCode.capture, `recording failed: SoX exited with ${code === null ? `signal ${signal ?? '?'}` : `code ${code}`}`, {
        hint: tail === '' ? 'SoX printed nothing; check the microphone and --device' : `${soxSaid(tail)}${deviceHint(tail)}`,
      }),
    );
  });

  return {
    stop(): Promise<void> {
      if (stopping || ended) {
        stopping = true;
        return Promise.resolve();
      }
      stopping = true;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 2000);
        child.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        if (child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(timer);
          resolve();
          return;
        }
        child.kill('SIGTERM');
      });
    },
  };
}

/** Issue 24.8: SoX could not open the --device named: say there is no such device, and where the names are. */
function noSuchDevice(device: string, soxStderr: string): AppError | undefined {
  if (!/can't open input|cannot open|no such/i.test(soxStderr) || /busy/i.test(soxStderr)) return undefined;
  return new AppError(ErrorCode.capture, `no such recording device: ${device}`, {
    hint: `${soxSaid(soxStderr)}see the names --device accepts with: live-transcribe --list-devices`,
  });
}

function deviceHint(stderr: string): string {
  if (/no default audio device|can't open input|cannot open/i.test(stderr)) {
    return 'no usable microphone: check that one is connected and allowed, or choose one with --device';
  }
  return 'check the microphone and --device';
}
