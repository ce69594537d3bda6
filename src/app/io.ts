/**
 * What a run gets from the process edge (streams, environment, platform, colour levels) and what it hands
 * back (a handle to stop it). src/main.ts builds RunIO; nothing under src/app touches `process`.
 */
import type { Sink } from '../render/sinks.js';
import type { Secrets } from '../core/secrets.js';
export interface OutStream {
  write(text: string): boolean;
  isTTY?: boolean;
  columns?: number;
  on(event: 'error', listener: (err: NodeJS.ErrnoException) => void): unknown;
}

export interface RunIO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** stdout and stderr are the same terminal. */
  sameTerminal: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Each stream's colour level (0 = none): what the stream supports at the edge (main.ts), and for a run the
   * level options/color.ts decided (cli.ts); the run uses it as it is.
   */
  stdoutColorLevel: 0 | 1 | 2 | 3;
  stderrColorLevel: 0 | 1 | 2 | 3;
  userAgent: string;
  platform: NodeJS.Platform;
  /** stdout is a pipe (`| tee`, `| head`): what is written may come back to the terminal through another program. */
  stdoutIsPipe?: boolean;
  /** Watches the reader of the stdout pipe; `onGone` once it has closed it (src/pipe-watch.ts). */
  watchStdoutReader?: (onGone: () => void) => { stop(): void };
  /**
   * The run's secrets (issue 19.2): every text written to stdout, stderr and the -o file is scrubbed of them.
   * The edge seeds it (key and token flags, $ASSEMBLYAI_API_KEY); the run adds the key it uses and each
   * token it mints.
   */
  secrets?: Secrets;
  /** What a Ctrl+C does (the edge's SIGINT logic); raw-mode keyboards deliver Ctrl+C as a key. */
  onInterrupt?: () => void;
  /** More sinks for the transcript events, after stdout (issue 21: dictate's typing). */
  extraSinks?: readonly Sink[];
  /** Issue 22 (the spool's place and file names): os.homedir(), os.tmpdir(), process.pid. */
  homedir?: string;
  tmpdir?: string;
  pid?: number;
}

export interface Run {
  /** Resolves to the exit code once everything is written and the session is closed. */
  done: Promise<number>;
  /** A graceful stop (Ctrl+C, SIGTERM): finish the last turn, terminate, summarize. */
  requestStop(): void;
  /** Stop at once (a second Ctrl+C): write what is final, send Terminate, resolve 130. */
  forceStop(): Promise<number>;
}
