/**
 * Wiring: audio source -> 50 ms framer (-> real-time pacer for recorded input) -> session -> transcript
 * state -> sinks (stdout, file). Owns the order of shutdown (stop the input, send the rest, Terminate,
 * wait for Termination, write every final) and the choice of exit code. Never touches `process`:
 * streams, env and stop requests come in through RunIO.
 */
import { Chalk } from 'chalk';
import type { Config } from './config.js';
import { AppError, ErrorCode, ExitCode, exitCodeFor } from './errors.js';
import { createFramer, durationMsOf, frameBytesFor, silenceByte } from './audio/framer.js';
import { createSilenceDetector, decayLevel, levelDbfs } from './audio/level.js';
import { openWavWriter, type WavWriter } from './audio/wav-writer.js';
import { findDevice, listDevices, type AudioDevice } from './devices/list-devices.js';
import { deviceLabel, formatSilenceHint } from './devices/silence-hint.js';
import { execCommand } from './exec.js';
import { KEY_HELP, startKeyboard, type Keyboard } from './input/keys.js';
import { formatClock, formatProgress, formatStatusLine, type SessionState } from './render/status-line.js';
import { createPacer, type Pacer } from './audio/pacer.js';
import { openAudioSource, type AudioSource } from './audio/source.js';
import { expectsFormattedTwin } from './streaming/protocol.js';
import { openSession, type TerminationResult } from './streaming/session.js';
import { createConnection, type Connection, type ConnectionEvent } from './streaming/connection.js';
import { createAssembler } from './transcript/assembler.js';
import type { TranscriptEvent } from './transcript/records.js';
import { createStdoutSink, openFileSink, type Sink } from './render/sinks.js';
import { createStatus, formatSummary, type Status } from './render/status.js';
import { createTerminal } from './render/terminal.js';

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
  /** Colour levels chosen at the edge (0 = none). */
  stdoutColorLevel: 0 | 1 | 2 | 3;
  stderrColorLevel: 0 | 1 | 2 | 3;
  userAgent: string;
  platform: NodeJS.Platform;
  /** What a Ctrl+C does (the edge's SIGINT logic); raw-mode keyboards deliver Ctrl+C as a key. */
  onInterrupt?: () => void;
}

export interface Run {
  /** Resolves to the exit code once everything is written and the session is closed. */
  done: Promise<number>;
  /** A graceful stop (Ctrl+C, SIGTERM): finish the last turn, terminate, summarize. */
  requestStop(): void;
  /** Stop at once (a second Ctrl+C): write what is final, send Terminate, resolve 130. */
  forceStop(): Promise<number>;
}

const TERMINATION_TIMEOUT_MS = 5000;
/** Silence sent after recorded input ends, so the service sees the last turn end (§5.4). */
const TRAILING_SILENCE_MS = 1000;
/** Recorded input is read ahead at most this many frames (2 s), then paused. */
const READ_AHEAD_FRAMES = 40;
/** The status bar (meter, clock, progress) is redrawn this often on an interactive stderr. */
const STATUS_EVERY_MS = 125;
/** How long to wait for the device list before naming the device generically. */
const DEVICE_LOOKUP_MS = 500;

type StopKind = 'user' | 'pipe-closed' | 'end-of-input' | 'max-duration' | 'once' | 'until-silence';
type StopReason =
  | { kind: StopKind }
  | { kind: 'capture-failed'; error: AppError }
  | { kind: 'session-ended'; error: AppError }
  | { kind: 'output-failed'; error: AppError };

export function startTranscription(config: Config, io: RunIO): Run {
  const colorOff = config.color === false;
  const outChalk = new Chalk({ level: colorOff ? 0 : io.stdoutColorLevel });
  const errChalk = new Chalk({ level: colorOff ? 0 : io.stderrColorLevel });
  let stdoutOpen = true;
  const terminal = createTerminal({
    stdout: {
      write: (t) => {
        if (stdoutOpen) io.stdout.write(t);
      },
      columns: io.stdout.isTTY === true ? () => io.stdout.columns ?? 80 : undefined,
    },
    stderr: { write: (t) => io.stderr.write(t), columns: io.stderr.isTTY === true ? () => io.stderr.columns ?? 80 : undefined },
    sameTerminal: io.sameTerminal,
    dim: (t) => outChalk.dim(t),
  });
  const status: Status = createStatus({
    write: (t) => terminal.status(t),
    stream: io.stderr as unknown as NodeJS.WritableStream,
    interactive: io.stderr.isTTY === true,
    quiet: config.quiet,
    chalk: errChalk,
    secrets: config.auth.kind === 'key' ? [config.auth.apiKey] : [config.auth.token],
  });

  let stop!: (reason: StopReason) => void;
  const stopped = new Promise<StopReason>((resolve) => {
    let settled = false;
    stop = (reason) => {
      if (settled) return;
      settled = true;
      resolve(reason);
    };
  });

  // stdout closed by its reader (`| head -n 1`): a normal end of a pipeline, not a crash.
  io.stdout.on('error', (err) => {
    stdoutOpen = false;
    if (err.code === 'EPIPE') stop({ kind: 'pipe-closed' });
    else stop({ kind: 'output-failed', error: new AppError(ErrorCode.server, `cannot write the transcript to stdout: ${err.message}`) });
  });

  // --- transcript: sinks, turn state, stop conditions that depend on turns -----------------------------
  const sinks: Sink[] = [createStdoutSink(config.output, terminal, io.stdout.isTTY === true)];
  const emit = (event: TranscriptEvent): void => {
    for (const sink of sinks) {
      try {
        sink.write(event);
      } catch (err) {
        stop({ kind: 'output-failed', error: err instanceof AppError ? err : new AppError(ErrorCode.server, String(err)) });
      }
    }
  };

  let expectTwin = false;
  const transcript = createAssembler({
    emit,
    expectTwin: () => expectTwin,
    audioSentMs: () => audioSentMs(),
    ...(config.stop.once ? { onFirstFinal: () => stop({ kind: 'once' }) } : {}),
  });

  // --- audio: source -> framer -> (pacer) -> session ------------------------------------------------
  let source: AudioSource | undefined;
  let connection: Connection | undefined;
  let started = false;
  let pacer: Pacer | undefined;
  let framesSent = 0;
  let frameMs = 50;
  const early: Buffer[] = [];
  const audioSentMs = (): number => framesSent * frameMs;

  // --- the microphone, seen and heard: meter, silence warning, pause, saved audio --------------------
  let wav: WavWriter | undefined;
  let paused = false;
  let silenceFrame = Buffer.alloc(0);
  let meterDbfs = -Infinity;
  let meterAt = 0;
  let noSound = false;
  let device: AudioDevice | undefined;
  const silence = createSilenceDetector();
  const inputName = (): string => deviceLabel({ ...(config.input.kind === 'microphone' && config.input.device !== undefined ? { deviceName: config.input.device } : {}), ...(device === undefined ? {} : { device }) });
  const onSilenceChange = (transition: 'silent' | 'sound'): void => {
    if (transition === 'silent') {
      noSound = true;
      const hint = formatSilenceHint({
        platform: io.platform,
        ...(config.input.kind === 'microphone' && config.input.device !== undefined ? { deviceName: config.input.device } : {}),
        ...(device === undefined ? {} : { device }),
        ...(io.env.TERM_PROGRAM === undefined ? {} : { termProgram: io.env.TERM_PROGRAM }),
        silentForMs: silence.silentMs,
      });
      status.warn(`${hint.message}\n${hint.causes.map((c) => `  - ${c}`).join('\n')}`);
    } else {
      noSound = false;
      status.info(`Sound is arriving from ${inputName()} again.`);
    }
  };

  const sendFrame = (frame: Buffer): void => {
    if (!started || connection === undefined) {
      early.push(frame);
      return;
    }
    // Paused: the session stays alive and the timeline true, with silence in place of the input (§5.4).
    const out = paused ? silenceFrame : frame;
    connection.push(out);
    wav?.write(out);
    framesSent += 1;
    if (!paused) {
      const level = levelDbfs(frame, source?.format.encoding ?? 'pcm_s16le');
      const now = performance.now();
      meterDbfs = decayLevel(meterDbfs, level, now - meterAt);
      meterAt = now;
      if (source?.live === true) {
        const transition = silence.push(level, frameMs);
        if (transition !== undefined) onSilenceChange(transition);
      }
    }
    const sentMs = audioSentMs();
    if (config.stop.maxDurationMs !== undefined && sentMs >= config.stop.maxDurationMs) stop({ kind: 'max-duration' });
    const speechEndMs = transcript.speechEndMs;
    if (config.stop.untilSilenceMs !== undefined && speechEndMs !== undefined && sentMs - speechEndMs >= config.stop.untilSilenceMs) {
      stop({ kind: 'until-silence' });
    }
  };

  let forced = false;
  let statusTimer: NodeJS.Timeout | undefined;
  let keyboard: Keyboard | undefined;
  let sessionOpenedAt = 0;
  let pauseTimer: NodeJS.Timeout | undefined;

  const togglePause = (): void => {
    if (!started) return;
    paused = !paused;
    if (source?.live === false) {
      // Recorded input holds its place; silence goes out at the same pace meanwhile.
      if (paused) {
        pacer?.hold();
        pauseTimer = setInterval(() => sendFrame(silenceFrame), frameMs);
      } else {
        clearInterval(pauseTimer);
        pacer?.release();
      }
    }
    if (!paused) silence.reset();
    status.info(paused ? 'Paused: sending silence. Press p to resume.' : 'Resumed.');
  };

  const showStatus = (): void => {
    const src = source;
    if (src === undefined || connection === undefined || !started) return;
    if (!src.live && !paused) {
      // Recorded input: where we are in it matters more than its level.
      terminal.bar(formatProgress(src.label, audioSentMs(), src.durationMs));
      return;
    }
    const reconnecting = connection.state === 'reconnecting';
    const state: SessionState = reconnecting ? 'reconnecting' : paused ? 'paused' : 'listening';
    const note = paused ? 'p: resume' : noSound ? 'no sound' : undefined;
    const input = {
      levelDbfs: meterDbfs,
      sessionMs: Date.now() - sessionOpenedAt,
      sessionId: connection.sessionId,
      state,
      ...(reconnecting ? { reconnectAttempt: connection.attempt } : {}),
      columns: io.stderr.columns ?? 80,
      ...(note === undefined ? {} : { note }),
    };
    terminal.bar(formatStatusLine(input), formatStatusLine({ ...input, theme: errChalk }));
  };

  const finish = (code: number): number => {
    transcript.close();
    clearInterval(statusTimer);
    clearInterval(pauseTimer);
    keyboard?.stop();
    terminal.close();
    for (const sink of sinks) sink.close();
    void wav?.close();
    return code;
  };
  const fail = (error: AppError): number => {
    emit({ type: 'error', code: error.code, exitCode: exitCodeFor(error), message: error.message, time: new Date() });
    status.error(error);
    return finish(exitCodeFor(error));
  };

  /** What the connection reports: new sessions, turns, outages. */
  const onConnectionEvent = (e: ConnectionEvent, params: Config['params'], src: AudioSource): void => {
    switch (e.type) {
      case 'turn':
        transcript.turn(e.sessionId, e.offsetMs, e.turn);
        return;
      case 'session-ended':
        transcript.endSession(e.sessionId);
        return;
      case 'warning':
        status.warn(`the service says: ${e.message}`);
        return;
      case 'failed':
        stop({ kind: 'session-ended', error: e.error });
        return;
      case 'reconnecting':
        emit({ type: 'reconnecting', attempt: e.attempt, maxAttempts: e.maxAttempts, delayMs: e.delayMs, reason: e.error.message, time: new Date() });
        status.warn(`${e.error.message}: reconnecting in ${(e.delayMs / 1000).toFixed(1)} s... attempt ${e.attempt} of ${e.maxAttempts}`);
        return;
      case 'session':
        emit({
          type: 'begin',
          sessionId: e.sessionId,
          expiresAt: e.expiresAt,
          sampleRateHz: params.sampleRateHz,
          encoding: params.encoding,
          speechModel: params.speechModel,
          input: config.input.kind === 'microphone' ? 'microphone' : src.label,
          time: new Date(),
        });
        if (e.why === 'start') return;
        sessionOpenedAt = Date.now();
        emit({ type: 'reconnected', sessionId: e.sessionId, why: e.why, offsetMs: e.offsetMs, replayedMs: e.replayMs, lostMs: e.lostMs, time: new Date() });
        status.info(
          e.why === 'rollover'
            ? `Session renewed before its time limit: ${e.sessionId}`
            : `Reconnected: session ${e.sessionId}, replaying ${(e.replayMs / 1000).toFixed(1)} s of audio`,
        );
        if (e.lostMs > 0) status.warn(`${(e.lostMs / 1000).toFixed(1)} s of audio could not be kept during the outage and is missing from the transcript`);
        return;
    }
  };

  async function main(): Promise<number> {
    // Everything about the input and the output file is checked before connecting.
    try {
      source = await openAudioSource(config.input, { sampleRateHz: config.params.sampleRateHz, encoding: config.params.encoding, env: io.env, stdin: io.stdin });
      // The file first: once a turn shows on stdout, it is already saved.
      if (config.output.file !== undefined) sinks.unshift(openFileSink(config.output.file, config.output));
      if (config.saveAudio !== undefined) {
        wav = await openWavWriter(config.saveAudio.path, {
          sampleRateHz: source.format.sampleRateHz,
          encoding: source.format.encoding,
          overwrite: config.saveAudio.overwrite,
          onError: (err) => status.warn(`could not save the audio to ${config.saveAudio?.path ?? ''}: ${err.message}; transcription goes on`),
        });
      }
    } catch (err) {
      if (err instanceof AppError) return fail(err);
      throw err;
    }
    const src = source;
    const params = { ...config.params, sampleRateHz: src.format.sampleRateHz, encoding: src.format.encoding };
    expectTwin = expectsFormattedTwin(params);
    const frameBytes = frameBytesFor(params.sampleRateHz, params.encoding);
    frameMs = durationMsOf(frameBytes, params.sampleRateHz, params.encoding);
    const framer = createFramer(frameBytes, silenceByte(params.encoding));
    silenceFrame = Buffer.alloc(frameBytes, silenceByte(params.encoding));
    // Name the device in use (from the system's device list), without holding up the connection.
    const deviceLookup =
      src.live && config.input.kind === 'microphone'
        ? listDevices({ platform: io.platform, env: io.env, exec: execCommand }).then((l) => {
            device = findDevice(l.devices, config.input.kind === 'microphone' ? config.input.device : undefined);
          })
        : Promise.resolve();

    const startInput = (): void => {
      src.start({
        onData: (chunk) => {
          for (const frame of framer.push(chunk)) {
            if (pacer === undefined) sendFrame(frame);
            else pacer.push(frame);
          }
          if (pacer !== undefined && pacer.queued > READ_AHEAD_FRAMES) src.pause();
        },
        // SoX exiting by itself without an error means it got the terminal's Ctrl+C first: a user stop.
        onEnd: (error) => stop(error !== undefined ? { kind: 'capture-failed', error } : src.live ? { kind: 'user' } : { kind: 'end-of-input' }),
      });
    };
    // A microphone starts at once (it warms up while we connect; its audio waits for Begin).
    if (src.live) startInput();

    const host = new URL(config.endpoint).host;
    void status.spin(`Connecting to ${host}...`);
    const conn = createConnection({
      open: ({ onEvent, signal }) =>
        openSession({
          endpoint: config.endpoint,
          auth: config.auth,
          params,
          userAgent: io.userAgent,
          handshakeTimeoutMs: config.connectTimeoutMs,
          beginTimeoutMs: config.connectTimeoutMs,
          onEvent,
          signal,
        }),
      frameMs,
      maxAttempts: config.reconnectAttempts,
      startAttempts: Math.min(2, config.reconnectAttempts),
      onEvent: (e) => onConnectionEvent(e, params, src),
    });
    connection = conn;
    const opening = conn.start();
    const first = await Promise.race([
      opening.then(() => ({ ok: true as const }), (error: unknown) => ({ error })),
      stopped.then((reason) => ({ reason })),
    ]);
    if ('reason' in first) {
      await conn.close();
      await src.stop();
      status.stopSpinner();
      if (forced) return ExitCode.forced;
      if ('error' in first.reason) return fail(first.reason.error);
      status.info('Stopped before the session started.');
      return finish(ExitCode.ok);
    }
    if ('error' in first) {
      await src.stop();
      status.stopSpinner();
      return fail(first.error instanceof AppError ? first.error : new AppError(ErrorCode.network, String(first.error)));
    }

    started = true;
    // The audio recorded while connecting goes first, before anything awaited below lets new frames in.
    for (const frame of early.splice(0)) sendFrame(frame);
    sessionOpenedAt = Date.now();
    status.stopSpinner();
    status.info(`Session started: ${conn.sessionId}`);
    // Keys on an interactive terminal, unless standard input carries the audio.
    const keys = io.stdin.isTTY === true && config.input.kind !== 'stdin';
    const howToStop = `press Ctrl+C to stop${keys ? ` (${KEY_HELP})` : ''}`;
    if (src.live) {
      await Promise.race([deviceLookup, new Promise((r) => setTimeout(r, DEVICE_LOOKUP_MS))]);
      status.info(`Recording from ${inputName()}`);
      status.info(`Listening... ${howToStop}`);
    } else {
      const total = src.durationMs === undefined ? '' : ` (${formatClock(src.durationMs)})`;
      status.info(`Streaming ${src.label}${total} in real time... ${howToStop}`);
      pacer = createPacer({ frameMs, send: sendFrame, lowWater: READ_AHEAD_FRAMES / 2, onLow: () => src.resume() });
      startInput();
    }
    if (keys) {
      keyboard = startKeyboard(io.stdin as Parameters<typeof startKeyboard>[0], {
        onEnter: () => conn.forceEndpoint(),
        onPause: togglePause,
        onQuit: () => stop({ kind: 'user' }),
        onInterrupt: () => (io.onInterrupt === undefined ? stop({ kind: 'user' }) : io.onInterrupt()),
      });
    }
    if (io.stderr.isTTY === true && !config.quiet) {
      showStatus();
      statusTimer = setInterval(showStatus, STATUS_EVERY_MS);
    }

    const reason = await stopped;
    if (forced) return ExitCode.forced;
    clearInterval(statusTimer);
    clearInterval(pauseTimer);
    keyboard?.stop();
    paused = false;
    pacer?.release();
    terminal.bar('');
    if (reason.kind === 'session-ended') {
      await src.stop();
      pacer?.stop();
      transcript.flush();
      return fail(reason.error);
    }

    if (reason.kind === 'end-of-input') {
      // Recorded input ended: send the rest, then silence so the last turn ends as speech does (§5.4).
      const last = framer.flush();
      const silence = Buffer.alloc(frameBytes, silenceByte(params.encoding));
      const put = pacer === undefined ? sendFrame : (f: Buffer) => pacer!.push(f);
      if (last !== undefined) put(last);
      for (let ms = 0; ms < TRAILING_SILENCE_MS; ms += frameMs) put(silence);
      await pacer?.drained();
    } else {
      if (reason.kind !== 'capture-failed' && reason.kind !== 'output-failed') status.info(stoppingMessage(reason.kind));
      await src.stop();
      if (src.live) {
        // The microphone's last words are in the frames still being filled.
        const last = framer.flush();
        if (last !== undefined) sendFrame(last);
      }
      pacer?.stop();
    }
    const result: TerminationResult = await conn.terminate(TERMINATION_TIMEOUT_MS);
    if (forced) return ExitCode.forced;
    const saved = await wav?.close();
    if (saved !== undefined && saved.error === undefined) status.info(`Audio saved: ${saved.path} (${(saved.durationMs / 1000).toFixed(1)} s)`);
    transcript.flush();
    terminal.partial('');
    if (result.error !== undefined && !result.terminated) return fail(result.error);
    emit({
      type: 'termination',
      reason: reason.kind,
      audioSentMs: audioSentMs(),
      audioDurationS: result.audioDurationS,
      sessionDurationS: result.sessionDurationS,
      turns: transcript.finals,
      time: new Date(),
    });
    status.info(
      formatSummary({
        audioSentS: audioSentMs() / 1000,
        audioProcessedS: result.audioDurationS,
        sessionS: result.sessionDurationS,
        turns: transcript.finals,
        terminated: result.terminated,
      }),
    );
    if (reason.kind === 'capture-failed' || reason.kind === 'output-failed') return fail(reason.error);
    return finish(ExitCode.ok);
  }

  const done = main().catch((err: unknown) => {
    status.error(err);
    void connection?.close();
    void source?.stop();
    return finish(exitCodeFor(err));
  });

  return {
    done,
    requestStop: () => stop({ kind: 'user' }),
    async forceStop(): Promise<number> {
      forced = true;
      transcript.flush();
      finish(ExitCode.forced);
      pacer?.stop();
      stop({ kind: 'user' });
      await Promise.all([connection?.close(), source?.stop()]);
      return ExitCode.forced;
    },
  };
}

function stoppingMessage(kind: StopKind): string {
  switch (kind) {
    case 'max-duration':
      return 'Maximum duration reached: stopping... waiting for the last words.';
    case 'until-silence':
      return 'Silence: stopping... waiting for the last words.';
    case 'once':
      return 'First turn received: stopping.';
    case 'pipe-closed':
      return 'Output closed: stopping.';
    default:
      return 'Stopping... waiting for the last words.';
  }
}
