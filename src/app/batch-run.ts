/**
 * `-i FILE --batch`: the whole file through the pre-recorded API (docs/service.md#pre-recorded-api): read, upload (progress on
 * stderr), create the transcript with the run's options, poll it (status and elapsed time on stderr), write
 * every output through the same sinks as a live run (begin, the turns, termination), then delete the
 * transcript at the service. Ctrl+C cancels (and deletes what was created). Never touches `process`.
 */
import { readFile } from 'node:fs/promises';
import type { Config } from '../options/resolve.js';
import { AppError, ErrorCode, ExitCode, exitCodeFor } from '../core/errors.js';
import { formatMultiChannelWavHeader } from '../audio/interleave.js';
import { parseWavHeader } from '../audio/wav.js';
import { createOutputs, outputSettings, type Outputs } from './outputs.js';
import type { Run, RunIO } from './io.js';
import * as say from '../render/batch-messages.js';
import { prerecordedBaseUrl } from '../batch/hosts.js';
import { PrerecordedClient, PrerecordedError, type Transcript, type TranscriptStatus } from '../batch/prerecorded.js';
import { transcriptOptionsFor } from '../batch/transcript-request.js';
import { transcriptTurns } from '../batch/turns.js';

/** docs/service.md#upload: the largest upload. */
export const MAX_UPLOAD_BYTES = 2_200_000_000;
/** CHOICE (docs/service.md#polling): wait for a transcript at most this, plus twice the audio's duration. */
const POLL_BOUND_BASE_MS = 120_000;
const UNKNOWN_DURATION_BOUND_MS = 3_600_000;
/** A progress line at least this often while the transcript is not ready. */
const PROGRESS_EVERY_MS = 10_000;

class Cancelled extends Error {}

interface AudioFile {
  bytes: Buffer;
  sampleRateHz: number;
  encoding: string;
  durationMs: number | undefined;
}

/** The file's bytes, raw PCM wrapped in a WAV header (the service needs a container, docs/service.md#upload). */
async function readAudio(config: Pick<Config, 'input' | 'params'>, path: string): Promise<AudioFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new AppError(ErrorCode.input, `cannot read ${path}: ${why}`, { hint: 'give an audio file with -i FILE' });
  }
  if (bytes.length > MAX_UPLOAD_BYTES)
    throw new AppError(ErrorCode.input, say.formatBatchInputTooLarge(path, bytes.length, MAX_UPLOAD_BYTES), {
      hint: 'stream it without --batch, or cut it into parts',
    });
  const { sampleRateHz, encoding } = config.params;
  if (config.input.kind === 'file' && config.input.raw) {
    const bytesPerMs = (sampleRateHz * (encoding === 'pcm_mulaw' ? 1 : 2)) / 1000;
    return {
      bytes: Buffer.concat([formatMultiChannelWavHeader(bytes.length, sampleRateHz, 1, encoding), bytes]),
      sampleRateHz,
      encoding,
      durationMs: bytes.length / bytesPerMs,
    };
  }
  const wav = parseWavHeader(bytes.subarray(0, 64 * 1024));
  if (!wav.ok) return { bytes, sampleRateHz, encoding: 'file', durationMs: undefined };
  const dataBytes = Math.min(wav.info.dataBytes ?? bytes.length, bytes.length - wav.info.dataOffset);
  return {
    bytes,
    sampleRateHz: wav.info.sampleRateHz,
    encoding: 'pcm_s16le',
    durationMs: (dataBytes / (wav.info.blockAlign * wav.info.sampleRateHz)) * 1000,
  };
}

function appErrorOf(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof PrerecordedError) {
    const { message, hint } = say.formatPrerecordedFailure(err.failure);
    return new AppError(
      err.failure.kind === 'auth' ? ErrorCode.auth : err.failure.kind === 'unreachable' ? ErrorCode.network : ErrorCode.server,
      message,
      { hint },
    );
  }
  return new AppError(ErrorCode.server, err instanceof Error ? err.message : String(err));
}

class BatchRun {
  readonly outputs: Outputs;
  private cancel: (() => void) | undefined;
  private readonly cancelled: Promise<never>;
  private transcriptId: string | undefined;
  private readonly started = Date.now();
  private readonly client: PrerecordedClient;

  constructor(
    private readonly config: Config,
    io: RunIO,
  ) {
    this.cancelled = new Promise<never>((_, reject) => {
      this.cancel = () => reject(new Cancelled());
    });
    this.cancelled.catch(() => undefined);
    this.outputs = createOutputs(outputSettings(config), io, (reason) => {
      if ('error' in reason) this.report(reason.error);
      this.cancel?.();
    });
    const apiKey = config.auth.kind === 'key' ? config.auth.apiKey : '';
    this.client = new PrerecordedClient({
      baseUrl: prerecordedBaseUrl(config.endpoint),
      apiKey,
      sleep: (ms) => this.step(new Promise((r) => setTimeout(r, ms))),
    });
  }

  /** The run failed: the error event in the outputs (NDJSON), and the sentence on stderr. */
  private report(error: AppError): void {
    this.outputs.emit({ type: 'error', code: error.code, exitCode: exitCodeFor(error), message: error.message, time: new Date() });
    this.outputs.status.error(error);
  }

  stop(): void {
    this.cancel?.();
  }

  /** A step that a stop request cuts short. */
  private step<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.cancelled]);
  }

  async main(): Promise<number> {
    try {
      this.outputs.openFile();
      return await this.transcribe();
    } catch (err) {
      await this.deleteCreated();
      if (err instanceof Cancelled) return this.outputs.closeAll(ExitCode.forced);
      const error = appErrorOf(err);
      this.report(error);
      return this.outputs.closeAll(exitCodeFor(error));
    }
  }

  private async transcribe(): Promise<number> {
    const { config, outputs } = this;
    const path = config.input.kind === 'file' ? config.input.path : '';
    const audio = await this.step(readAudio(config, path));
    outputs.status.info(say.formatBatchUploading(path, audio.bytes.length));
    let shown = 0;
    const url = await this.step(
      this.client.upload(audio.bytes, (sent, total) => {
        const percent = total === 0 ? 100 : Math.floor(((sent / total) * 100) / 25) * 25;
        if (percent > shown) outputs.status.info(say.formatUploadProgress((shown = percent)));
      }),
    );
    const options = {
      ...transcriptOptionsFor(config.params),
      ...(config.batch?.audioEndAtMs === undefined ? {} : { audioEndAtMs: config.batch.audioEndAtMs }),
    };
    this.transcriptId = await this.step(this.client.create(url, options));
    outputs.emit({
      type: 'begin',
      sessionId: this.transcriptId,
      expiresAt: undefined,
      sampleRateHz: audio.sampleRateHz,
      encoding: audio.encoding,
      speechModel: options.speechModels.join(','),
      input: path,
      time: new Date(),
    });
    const bound = POLL_BOUND_BASE_MS + (audio.durationMs === undefined ? UNKNOWN_DURATION_BOUND_MS : 2 * audio.durationMs);
    const transcript = await this.step(this.client.waitFor(this.transcriptId, bound, this.progress()));
    return this.finish(transcript, audio, options.languageDetection === true);
  }

  /** A line when the status changes, and every PROGRESS_EVERY_MS while it does not. */
  private progress(): (p: { status: TranscriptStatus; elapsedMs: number }) => void {
    let last: TranscriptStatus | undefined;
    let lastAt = 0;
    return ({ status, elapsedMs }) => {
      if (status === 'completed' || status === 'error') return;
      if (status === last && elapsedMs - lastAt < PROGRESS_EVERY_MS) return;
      last = status;
      lastAt = elapsedMs;
      this.outputs.status.info(say.formatBatchStatus(status, elapsedMs));
    };
  }

  private async finish(t: Transcript, audio: AudioFile, languages: boolean): Promise<number> {
    const time = new Date();
    const turns = transcriptTurns(t, { sessionId: t.id, firstIndex: 0, offsetMs: 0, time, languages });
    for (const turn of turns) this.outputs.emit({ type: 'turn', turn });
    const audioMs = t.audioDurationS === null ? (audio.durationMs ?? 0) : t.audioDurationS * 1000;
    this.outputs.emit({
      type: 'termination',
      reason: 'end-of-input',
      audioSentMs: audioMs,
      audioDurationS: t.audioDurationS ?? undefined,
      sessionDurationS: undefined,
      sessions: 1,
      reconnects: 0,
      turns: turns.length,
      time: new Date(),
    });
    const deleted = await this.deleteCreated();
    if (deleted) this.outputs.status.info(say.formatBatchDone(t.audioDurationS, turns.length, Date.now() - this.started));
    if (turns.length === 0) this.outputs.status.info(say.formatBatchNothingSaid());
    return this.outputs.closeAll(turns.length === 0 ? ExitCode.nothingSaid : ExitCode.ok);
  }

  /** Deletes the transcript (and with it the upload, docs/service.md#delete) once; warns with its id when that fails. */
  private async deleteCreated(): Promise<boolean> {
    const id = this.transcriptId;
    if (id === undefined) return true;
    this.transcriptId = undefined;
    try {
      await this.client.remove(id);
      return true;
    } catch {
      this.outputs.status.warn(say.formatBatchDeleteFailed(id));
      return false;
    }
  }
}

export function startBatch(config: Config, io: RunIO): Run {
  const run = new BatchRun(config, io);
  const done = run.main();
  return {
    done,
    requestStop: () => run.stop(),
    async forceStop() {
      run.stop();
      await done;
      return ExitCode.forced;
    },
  };
}
