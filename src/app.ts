/**
 * Wiring: microphone -> 50 ms framer -> session -> transcript state -> views. Owns the order of
 * shutdown (stop capture, send the rest, Terminate, wait for Termination, write every final) and the
 * choice of exit code. Never touches `process`: streams, env and stop requests come in through RunIO.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Config } from './config.js';
import { AppError, ExitCode, exitCodeFor } from './errors.js';
import { createFramer, frameBytesFor } from './audio/framer.js';
import { startMicrophone, type Microphone } from './audio/microphone.js';
import { expectsFormattedTwin } from './streaming/protocol.js';
import { openSession, type Session, type SessionEvent, type TerminationResult } from './streaming/session.js';
import { applyTurn, flushPending, initialTranscript, type FinalTurn, type TranscriptState } from './transcript/turns.js';
import { createLiveView, createPlainView, type TranscriptView } from './render/live-view.js';
import { createStatus, formatSummary, type Status } from './render/status.js';

export interface OutStream {
  write(text: string): boolean;
  isTTY?: boolean;
  columns?: number;
  on(event: 'error', listener: (err: NodeJS.ErrnoException) => void): unknown;
}

export interface RunIO {
  stdout: OutStream;
  stderr: OutStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Colour levels chosen at the edge (0 = none). */
  stdoutColorLevel: 0 | 1 | 2 | 3;
  stderrColorLevel: 0 | 1 | 2 | 3;
  userAgent: string;
}

export interface Run {
  /** Resolves to the exit code once everything is written and the session is closed. */
  done: Promise<number>;
  /** A graceful stop (Ctrl+C, SIGTERM): finish the last turn, terminate, summarize. */
  requestStop(): void;
  /** Stop at once (a second Ctrl+C): write what is final, send Terminate, resolve 130. */
  forceStop(): Promise<number>;
}

/** Waits for the unformatted final's formatted twin this long before committing it as is (§5.3). */
const FORMATTED_TWIN_WAIT_MS = 1500;
const TERMINATION_TIMEOUT_MS = 5000;

type StopReason =
  | { kind: 'user' }
  | { kind: 'capture-ended' }
  | { kind: 'capture-failed'; error: AppError }
  | { kind: 'session-ended'; error: AppError };

export function startTranscription(config: Config, io: RunIO): Run {
  const outChalk = new Chalk({ level: config.color === false ? 0 : io.stdoutColorLevel });
  const errChalk: ChalkInstance = new Chalk({ level: config.color === false ? 0 : io.stderrColorLevel });
  let stdoutOpen = true;
  const writeOut = (text: string): void => {
    if (stdoutOpen) io.stdout.write(text);
  };
  const view: TranscriptView =
    io.stdout.isTTY === true
      ? createLiveView({ write: writeOut, columns: () => io.stdout.columns ?? 80, dim: (t) => outChalk.dim(t) })
      : createPlainView(writeOut);
  const sameTerminal = io.stdout.isTTY === true && io.stderr.isTTY === true;
  let transcript: TranscriptState = initialTranscript;
  const status: Status = createStatus({
    write: (t) => io.stderr.write(t),
    stream: io.stderr as unknown as NodeJS.WritableStream,
    interactive: io.stderr.isTTY === true,
    quiet: config.quiet,
    chalk: errChalk,
    around: (writeStatus) => {
      if (!sameTerminal) return writeStatus();
      view.clear();
      writeStatus();
      view.partial(transcript.partial);
    },
    secrets: config.auth.kind === 'key' ? [config.auth.apiKey] : [config.auth.token],
  });

  let turns = 0;
  let twinTimer: NodeJS.Timeout | undefined;
  const commit = (finals: FinalTurn[]): void => {
    for (const f of finals) {
      view.commit(f.text);
      turns += 1;
    }
  };
  const flushTranscript = (): void => {
    clearTimeout(twinTimer);
    const update = flushPending(transcript);
    transcript = update.state;
    commit(update.commits);
  };
  const expectTwin = expectsFormattedTwin(config.params);

  let stop!: (reason: StopReason) => void;
  const stopped = new Promise<StopReason>((resolve) => {
    let settled = false;
    stop = (reason) => {
      if (settled) return;
      settled = true;
      resolve(reason);
    };
  });

  // stdout closed by the reader (`| head -n 1`): a normal end of a pipeline, not a crash.
  io.stdout.on('error', (err) => {
    stdoutOpen = false;
    if (err.code !== 'EPIPE') status.error(new AppError('E_SERVER', `cannot write the transcript: ${err.message}`));
    stop({ kind: 'user' });
  });

  const onEvent = (event: SessionEvent): void => {
    if (event.type === 'turn') {
      const update = applyTurn(transcript, event.turn, expectTwin);
      transcript = update.state;
      commit(update.commits);
      clearTimeout(twinTimer);
      if (transcript.pending !== undefined) twinTimer = setTimeout(flushTranscript, FORMATTED_TWIN_WAIT_MS);
      view.partial(transcript.partial);
    } else if (event.type === 'warning') {
      status.warn(`the service says: ${event.message}`);
    } else {
      stop({ kind: 'session-ended', error: event.error });
    }
  };

  const framer = createFramer(frameBytesFor(config.params.sampleRateHz));
  const frameMs = (frameBytesFor(config.params.sampleRateHz) / 2 / config.params.sampleRateHz) * 1000;
  let session: Session | undefined;
  let framesSent = 0;
  const early: Buffer[] = [];
  const send = (frame: Buffer): void => {
    if (session === undefined) {
      early.push(frame);
      return;
    }
    session.sendAudio(frame);
    framesSent += 1;
  };

  let mic: Microphone | undefined;
  try {
    mic = startMicrophone({
      sampleRateHz: config.params.sampleRateHz,
      ...(config.device === undefined ? {} : { device: config.device }),
      env: io.env,
      onData: (chunk) => {
        for (const frame of framer.push(chunk)) send(frame);
      },
      onEnd: (error) => stop(error === undefined ? { kind: 'capture-ended' } : { kind: 'capture-failed', error }),
    });
  } catch (err) {
    stop({ kind: 'capture-failed', error: new AppError('E_CAPTURE', `could not start recording: ${(err as Error).message}`, { cause: err }) });
  }

  const connecting = new AbortController();
  let forced = false;

  const finishWith = (code: number): number => {
    clearTimeout(twinTimer);
    view.close();
    return code;
  };

  async function main(): Promise<number> {
    const host = new URL(config.endpoint).host;
    void status.spin(`Connecting to ${host}...`);
    const opening = openSession({
      endpoint: config.endpoint,
      auth: config.auth,
      params: config.params,
      userAgent: io.userAgent,
      handshakeTimeoutMs: config.connectTimeoutMs,
      beginTimeoutMs: config.connectTimeoutMs,
      onEvent,
      signal: connecting.signal,
    });
    const first = await Promise.race([
      opening.then((s) => ({ session: s }), (error: unknown) => ({ error })),
      stopped.then((reason) => ({ reason })),
    ]);
    if ('reason' in first) {
      connecting.abort();
      await opening.then((s) => s.close(), () => undefined);
      await mic?.stop();
      status.stopSpinner();
      if (forced) return ExitCode.forced;
      if (first.reason.kind === 'capture-failed' || first.reason.kind === 'session-ended') {
        status.error(first.reason.error);
        return finishWith(exitCodeFor(first.reason.error));
      }
      status.info('Stopped before the session started.');
      return finishWith(ExitCode.ok);
    }
    if ('error' in first) {
      await mic?.stop();
      status.error(first.error);
      return finishWith(exitCodeFor(first.error));
    }

    session = first.session;
    status.stopSpinner();
    status.info(`Session started: ${session.id}`);
    status.info(`Listening... press Ctrl+C to stop`);
    for (const frame of early.splice(0)) send(frame);

    const reason = await stopped;
    if (forced) return ExitCode.forced;
    if (reason.kind === 'session-ended') {
      await mic?.stop();
      flushTranscript();
      status.error(reason.error);
      return finishWith(exitCodeFor(reason.error));
    }
    if (reason.kind !== 'capture-failed') status.info('Stopping... waiting for the last words.');
    await mic?.stop();
    const last = framer.flush();
    if (last !== undefined) send(last);
    const result: TerminationResult = await session.terminate(TERMINATION_TIMEOUT_MS);
    if (forced) return ExitCode.forced;
    flushTranscript();
    view.close();
    if (result.error !== undefined && !result.terminated) {
      status.error(result.error);
      return finishWith(exitCodeFor(result.error));
    }
    status.info(
      formatSummary({
        audioSentS: (framesSent * frameMs) / 1000,
        audioProcessedS: result.audioDurationS,
        sessionS: result.sessionDurationS,
        turns,
        terminated: result.terminated,
      }),
    );
    if (reason.kind === 'capture-failed') {
      status.error(reason.error);
      return finishWith(exitCodeFor(reason.error));
    }
    return finishWith(ExitCode.ok);
  }

  const done = main().catch((err: unknown) => {
    status.error(err);
    void session?.close();
    void mic?.stop();
    return finishWith(exitCodeFor(err));
  });

  return {
    done,
    requestStop: () => stop({ kind: 'user' }),
    async forceStop(): Promise<number> {
      forced = true;
      flushTranscript();
      view.close();
      connecting.abort();
      stop({ kind: 'user' });
      await Promise.all([session?.close(), mic?.stop()]);
      return ExitCode.forced;
    },
  };
}
