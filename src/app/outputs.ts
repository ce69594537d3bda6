/**
 * Everything a run writes to: the terminal (live partial, status bar), the status lines on stderr, the
 * transcript sinks (stdout and the -o file) and the saved audio. One `emit` fans a transcript event out to
 * every sink; one `closeAll` closes them all, once.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { formatForPath, type Config } from '../config.js';
import { AppError, ErrorCode, exitCodeFor } from '../errors.js';
import { openWavWriter, type WavWriteResult, type WavWriter } from '../audio/wav-writer.js';
import type { AudioFormat } from '../audio/source.js';
import { formatSaveAudioFailed, formatStdoutFailed } from '../render/messages.js';
import { createStdoutSink, openFileSink, type Sink } from '../render/sinks.js';
import { createStatus, type Status } from '../render/status.js';
import { formatOutputFormatFromFlag } from '../render/usage-messages.js';
import { createTerminal, type Terminal } from '../render/terminal.js';
import type { TranscriptEvent } from '../transcript/records.js';
import type { RunIO } from './io.js';
import type { StopReason } from './stop.js';

export interface Outputs {
  readonly terminal: Terminal;
  readonly status: Status;
  /** Colours for stderr (the status bar). */
  readonly errTheme: ChalkInstance;
  /** Writes one transcript event to every sink (the file first); a failing sink stops the run. */
  emit(event: TranscriptEvent): void;
  /** Opens the -o file (before connecting, so a bad path fails early); it goes before stdout. */
  openFile(): void;
  /** Opens --save-audio for audio of this format, one WAV channel per source; undefined without the flag. */
  openSavedAudio(format: AudioFormat, channels?: number): Promise<WavWriter | undefined>;
  /** Writes the error as a transcript event and on stderr. */
  report(error: AppError): void;
  /** Closes the saved audio (once written whole); undefined without --save-audio. */
  closeSavedAudio(): Promise<WavWriteResult | undefined>;
  /** Closes the terminal, the sinks and the saved audio, once; returns `code`. */
  closeAll(code: number): number;
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

export function createOutputs(config: Config, io: RunIO, stop: (reason: StopReason) => void): Outputs {
  const colorOff = config.color === false;
  const outChalk = new Chalk({ level: colorOff ? 0 : io.stdoutColorLevel });
  const errTheme = new Chalk({ level: colorOff ? 0 : io.stderrColorLevel });
  let stdoutOpen = true;
  const columnsOf = (s: RunIO['stdout']) => (s.isTTY === true ? () => s.columns ?? 80 : undefined);
  // Issue 24.9: stdout in a pipe or a capture, stderr a terminal: the partials and the bar are shown on stderr.
  const liveOnStderr = io.stdout.isTTY !== true && io.stderr.isTTY === true && config.quiet !== true;
  const terminal = createTerminal({
    stdout: {
      write: (t) => {
        if (stdoutOpen) io.stdout.write(t);
      },
      columns: columnsOf(io.stdout),
    },
    stderr: { write: (t) => io.stderr.write(t), columns: columnsOf(io.stderr) },
    sameTerminal: io.sameTerminal,
    dim: (t) => outChalk.dim(t),
    partialsOnStderr: liveOnStderr, // issue 24.9
  });
  const status = createStatus({
    write: (t) => terminal.status(t),
    stream: io.stderr as unknown as NodeJS.WritableStream,
    interactive: io.stderr.isTTY === true,
    quiet: config.quiet,
    chalk: errTheme,
    secrets: config.auth.kind === 'key' ? [config.auth.apiKey] : config.auth.kind === 'token' ? [config.auth.token] : [],
    columns: columnsOf(io.stderr), // issue 24.9: wrap on words
  });

  const readerWatch = watchStdout(io, stop, () => {
    stdoutOpen = false;
  });

  const sinks: Sink[] = [createStdoutSink(config.output, terminal, io.stdout.isTTY === true, outChalk, liveOnStderr)];
  let wav: WavWriter | undefined;
  let closed = false;

  const emit = (event: TranscriptEvent): void => {
    // After closeAll (a second Ctrl+C during the shutdown), nothing more is written anywhere.
    if (closed) return;
    for (const sink of sinks) {
      try {
        sink.write(event);
      } catch (err) {
        stop({ kind: 'output-failed', error: err instanceof AppError ? err : new AppError(ErrorCode.server, String(err)) });
      }
    }
  };
  const closeAll = (code: number): number => {
    if (closed) return code;
    closed = true;
    readerWatch?.stop();
    terminal.close();
    for (const sink of sinks) sink.close(code === 0);
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
      sinks.unshift(openFileSink(file, config.output));
      if (formatForPath(file.path) === undefined) status.info(formatOutputFormatFromFlag(file.path, file.format));
    },
    async openSavedAudio(format, channels = 1) {
      const saveAudio = config.saveAudio;
      if (saveAudio === undefined) return undefined;
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
    report(error) {
      emit({ type: 'error', code: error.code, exitCode: exitCodeFor(error), message: error.message, time: new Date() });
      status.error(error);
    },
    closeSavedAudio: async () => wav?.close(),
    closeAll,
  };
}
