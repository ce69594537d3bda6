/**
 * Everything a run writes to: the terminal (live partial, status bar), the status lines on stderr, the
 * transcript sinks (stdout and the -o file) and the saved audio. One `emit` fans a transcript event out to
 * every sink; one `closeAll` closes them all, once.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Config } from '../options/resolve.js';
import type { OutputSpec } from '../core/types.js';
import { AppError, ErrorCode, exitCodeFor, ExitCode } from '../core/errors.js';
import type { WavWriteResult, WavWriter } from '../audio/wav-writer.js';
import type { AudioFormat } from '../audio/source.js';
import { formatSaveAudioFailed, formatStdoutFailed } from '../render/messages.js';
import { createStdoutSink, openFileSink, type Sink } from '../render/sinks.js';
import { createStatus, type Status } from '../render/status.js';
import { formatOutputFormatFromFlag } from '../render/usage-messages.js';
import { createTerminal, type Terminal } from '../render/terminal.js';
import type { TranscriptEvent } from '../transcript/records.js';
import type { RunIO } from './io.js';
import { createSecrets, type Secrets, secretOf } from '../core/secrets.js';
import type { StopReason } from './stop.js';
// Issue 20: the captions page, one more output.
import type { CaptionsOutput } from '../captions/output.js';
import type { CaptionsAddress } from '../captions/address.js';

/**
 * The settings the outputs read, and only those (outputSettings cuts them from a run's Config). Colour is not
 * one of them: the run's RunIO carries each stream's level, decided once by options/color.ts.
 */
export interface OutputSettings {
  /** The transcript's format on stdout, and the -o file. */
  output: OutputSpec;
  /** -q: no status lines, no live partials on stderr. */
  quiet: boolean;
  /** --captions: the page's address. */
  captions?: CaptionsAddress | undefined;
  /** --save-audio. */
  saveAudio?: { path: string; overwrite: boolean } | undefined;
  /** The run's own credential (a key or a token), scrubbed from every text; undefined with --token-command. */
  secret: string | undefined;
}

/** The outputs' slice of a run's settings. */
export function outputSettings(config: Config): OutputSettings {
  return { output: config.output, quiet: config.quiet, captions: config.captions, saveAudio: config.saveAudio, secret: secretOf(config.auth) };
}

export interface Outputs {
  readonly terminal: Terminal;
  readonly status: Status;
  /** Colours for stderr (the status bar). */
  readonly errTheme: ChalkInstance;
  /** Writes one transcript event to every sink (the file first); a failing sink stops the run. */
  emit(event: TranscriptEvent): void;
  /** Opens the -o file (before connecting, so a bad path fails early); it goes before stdout. */
  openFile(): void;
  /** Issue 20: binds the --captions page (before any session; a port in use throws AppError); nothing without the flag. */
  openCaptions(): Promise<void>;
  /** Opens --save-audio for audio of this format, one WAV channel per source; undefined without the flag. */
  openSavedAudio(format: AudioFormat, channels?: number): Promise<WavWriter | undefined>;
  /** Closes the saved audio (once written whole); undefined without --save-audio. */
  closeSavedAudio(): Promise<WavWriteResult | undefined>;
  /**
   * Closes the terminal, the sinks and the saved audio, once; returns `code`, or, when a transcript write
   * failed and `code` does not already say why the run failed, that failure's exit code (issue 19.3: a write
   * that fails during the shutdown, once the stop reason is set, still fails the run).
   */
  closeAll(code: number): number;
  /** Issue 23: also hands every transcript event to `listener` (the notes keep the final turns). */
  tap(listener: (event: TranscriptEvent) => void): void;
}

/**
 * stdout closed by its reader (`| head -n 1`) is a normal end of a pipeline, not a crash; it is noticed when
 * the reader goes, not at the next write (the session is billed meanwhile). Other write errors fail the run.
 */
function watchStdout(io: RunIO, stop: (reason: StopReason) => void, onClosed: () => void): { stop(): void } | undefined {
  io.stdout.on('error', (err) => {
    onClosed();
    if (err.code === 'EPIPE') stop({ kind: 'pipe-closed' });
    else stop({ kind: 'output-failed', error: new AppError(ErrorCode.server, formatStdoutFailed(err.message)) });
  });
  if (io.stdoutIsPipe !== true) return undefined;
  return io.watchStdoutReader?.(() => {
    onClosed();
    stop({ kind: 'pipe-closed' });
  });
}

/** An exit code that already says the run failed (0, 5 and 6 are runs that ended). */
const isFailure = (code: number): boolean => code !== ExitCode.ok && code !== ExitCode.nothingSaid && code !== ExitCode.transcriptHole;

/** The run's terminal (stdout and stderr) and status lines, every text through the secret guard. */
function createScreen(io: RunIO, secrets: Secrets, quiet: boolean, stdoutOpen: () => boolean) {
  // The levels cli.ts decided for the run (options/color.ts), used as they are.
  const outChalk = new Chalk({ level: io.stdoutColorLevel });
  const errTheme = new Chalk({ level: io.stderrColorLevel });
  const columnsOf = (s: RunIO['stdout']) => (s.isTTY === true ? () => s.columns ?? 80 : undefined);
  // Issue 24.9: stdout in a pipe or a capture, stderr a terminal: the partials and the bar are shown on stderr.
  const liveOnStderr = io.stdout.isTTY !== true && io.stderr.isTTY === true && !quiet;
  const terminal = createTerminal({
    stdout: {
      write: secrets.guard((t) => {
        if (stdoutOpen()) io.stdout.write(t);
      }),
      columns: columnsOf(io.stdout),
    },
    stderr: { write: secrets.guard((t) => void io.stderr.write(t)), columns: columnsOf(io.stderr) },
    sameTerminal: io.sameTerminal,
    dim: (t) => outChalk.dim(t),
    partialsOnStderr: liveOnStderr, // issue 24.9
  });
  const status = createStatus({
    write: (t) => terminal.status(t),
    stream: io.stderr as unknown as NodeJS.WritableStream,
    interactive: io.stderr.isTTY === true,
    quiet,
    chalk: errTheme,
    scrub: secrets.scrub,
    columns: columnsOf(io.stderr), // issue 24.9: wrap on words
  });
  return { terminal, status, outChalk, errTheme, liveOnStderr };
}

export function createOutputs(config: OutputSettings, io: RunIO, stop: (reason: StopReason) => void): Outputs {
  let stdoutOpen = true;
  // Issue 19.2: every text of the run leaves through secrets.guard (stdout, stderr, the -o file).
  const secrets = io.secrets ?? createSecrets();
  secrets.add(config.secret);
  const { terminal, status, outChalk, errTheme, liveOnStderr } = createScreen(io, secrets, config.quiet, () => stdoutOpen);

  const readerWatch = watchStdout(io, stop, () => {
    stdoutOpen = false;
  });

  const sinks: Sink[] = [createStdoutSink(config.output, terminal, io.stdout.isTTY === true, outChalk, liveOnStderr), ...(io.extraSinks ?? [])];
  let wav: WavWriter | undefined;
  let closed = false;
  const taps: Array<(event: TranscriptEvent) => void> = [];
  // Issue 20: fed every event after the other sinks; it never throws and never waits for a viewer.
  let captions: CaptionsOutput | undefined;
  /** The first failed transcript write, and whether it was the run's stop reason (then it is reported there). */
  let writeFailure: AppError | undefined;

  const emit = (event: TranscriptEvent): void => {
    // After closeAll (a second Ctrl+C during the shutdown), nothing more is written anywhere.
    if (closed) return;
    for (const sink of sinks) {
      try {
        sink.write(event);
      } catch (err) {
        const error = err instanceof AppError ? err : new AppError(ErrorCode.server, String(err));
        writeFailure ??= error;
        stop({ kind: 'output-failed', error });
      }
    }
    // The notes and the captions page read events, not written text: they get them scrubbed of every secret too.
    const clean = secrets.size === 0 || (taps.length === 0 && captions === undefined) ? event : scrubEvent(event, secrets.scrub);
    for (const tap of taps) tap(clean);
    captions?.write(clean);
  };
  const closeAll = (code: number): number => {
    if (closed) return code;
    if (writeFailure !== undefined && !isFailure(code)) {
      status.error(writeFailure);
      code = exitCodeFor(writeFailure);
    }
    closed = true;
    readerWatch?.stop();
    terminal.close();
    for (const sink of sinks) sink.close(code === 0);
    captions?.close();
    void wav?.close();
    return code;
  };

  return {
    terminal,
    status,
    errTheme,
    emit,
    openFile() {
      // The file first: once a turn shows on stdout, it is already saved.
      const file = config.output.file;
      if (file === undefined) return;
      sinks.unshift(openFileSink(file, config.output, secrets.scrub, io.pid));
      if (file.formatFromFlag === true) status.info(formatOutputFormatFromFlag(file.path, file.format));
    },
    async openCaptions() {
      if (config.captions === undefined) return;
      const { openCaptionsOutput } = await import('../captions/output.js');
      captions = await openCaptionsOutput(config.captions, {
        env: io.env,
        platform: io.platform,
        print: (t) => terminal.status(t),
        warn: (t) => status.warn(t),
      });
    },
    async openSavedAudio(format, channels = 1) {
      const saveAudio = config.saveAudio;
      if (saveAudio === undefined) return undefined;
      const { openWavWriter } = await import('../audio/wav-writer.js'); // only --save-audio writes a WAV
      wav = await openWavWriter(saveAudio.path, {
        sampleRateHz: format.sampleRateHz,
        encoding: format.encoding,
        // Several sources: interleaved, one channel each (the writer's `channels`, branch meetio).
        ...(channels > 1 ? { channels } : {}),
        overwrite: saveAudio.overwrite,
        onError: (err) => status.warn(formatSaveAudioFailed(saveAudio.path, err.message)),
      });
      return wav;
    },
    closeSavedAudio: async () => wav?.close(),
    closeAll,
    tap: (listener) => void taps.push(listener),
  };
}

/** `event` with every string in it scrubbed (the captions page reads the events, not a written text). */
function scrubEvent(event: TranscriptEvent, scrub: (text: string) => string): TranscriptEvent {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return scrub(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object' && !(value instanceof Date))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(event) as TranscriptEvent;
}
