/**
 * --save-audio: keeps exactly the audio that was sent, as a WAV file that stays valid even if the
 * process is killed. One channel, or N interleaved channels (one per source, issue 13: the caller
 * interleaves them, see interleave.ts); the header is formatMultiChannelWavHeader's.
 *
 * Strategy: the header is written first with the sizes of what is on disk (0 bytes of audio), and
 * rewritten with a positional write after every `headerIntervalMs` of audio (default 1 s), always after
 * the audio it counts. So a killed file (kill -9, crash, power kept) has a correct header that is at most
 * that much short of the audio behind it; readers (SoX, Python's `wave`) ignore bytes after the data
 * chunk. Streaming sizes (0xFFFFFFFF) were rejected: SoX then reports a 37-hour duration and warns of a
 * premature EOF, and a 0 RIFF size makes Python's `wave` refuse the file. `close()` writes the final
 * sizes.
 *
 * The audio path never throws and never waits: write() queues a copy; the first I/O error stops the
 * saving, is reported once through `onError`, and again in the result of close(). Transcription goes on.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { UsageError } from '../core/errors.js';
import type { Encoding } from '../core/types.js';
import { bytesPerSample } from './framer.js';
import { formatMultiChannelWavHeader } from './interleave.js';

export interface WavWriterOptions {
  sampleRateHz: number;
  /** What the samples are: 16-bit PCM (default) or G.711 mu-law. */
  encoding?: Encoding;
  /** Interleaved channels (default 1): write() takes whole sample frames, one sample of each channel. */
  channels?: number;
  /** Replace an existing file. Default false: an existing file is refused (UsageError). */
  overwrite?: boolean;
  /** Rewrite the header after this much audio (default 1000 ms): the most a killed file can miss. */
  headerIntervalMs?: number;
  /** Called once, with the first write error (disk full, file removed...); saving stops there. */
  onError?: (error: Error) => void;
}

export interface WavWriteResult {
  path: string;
  /** Bytes of audio in the data chunk (whole sample frames). */
  dataBytes: number;
  durationMs: number;
  /** The first error, if saving failed at some point (the file holds what was written before it). */
  error: Error | undefined;
}

export interface WavWriter {
  readonly path: string;
  /** Queues a copy of `pcm` (any length; a part of a sample frame is joined with the next chunk). Never throws. */
  write(pcm: Buffer): void;
  /** Bytes accepted so far (queued or written). */
  readonly bytesQueued: number;
  /** Writes what is queued and the final header, and closes the file. Never rejects; idempotent. */
  close(): Promise<WavWriteResult>;
}

/** Largest data chunk a RIFF file can describe (its sizes are 32-bit), rounded down to whole samples. */
const MAX_WAV_DATA_BYTES = 0xffff_ffff - 64 - ((0xffff_ffff - 64) % 2);

/**
 * Creates `path` and writes the header. Rejects with a UsageError (exit 2) the CLI can show as is when
 * the file exists (unless `overwrite`), its folder is missing, or it cannot be written. The caller owns
 * close().
 */
export async function openWavWriter(path: string, o: WavWriterOptions): Promise<WavWriter> {
  const channels = o.channels ?? 1;
  if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`channels must be a whole number from 1, not ${channels}`);
  const header = (dataBytes: number): Buffer => formatMultiChannelWavHeader(dataBytes, o.sampleRateHz, channels, o.encoding);
  const headerBytes = header(0).length;
  const blockAlign = bytesPerSample(o.encoding ?? 'pcm_s16le') * channels;
  const maxDataBytes = MAX_WAV_DATA_BYTES - (MAX_WAV_DATA_BYTES % blockAlign);
  const bytesPerSecond = o.sampleRateHz * blockAlign;
  const intervalBytes = Math.max(blockAlign, Math.round((bytesPerSecond * (o.headerIntervalMs ?? 1000)) / 1000));

  const file = await openWithHeader(path, o, header(0));

  let queue: Buffer[] = [];
  let queued = 0; // bytes accepted
  let onDisk = 0; // bytes of audio written
  let headerCounts = 0; // bytes the header on disk declares
  let error: Error | undefined;
  let closing: Promise<WavWriteResult> | undefined;
  let pump: Promise<void> | undefined;

  const wholeFrames = (bytes: number): number => bytes - (bytes % blockAlign);

  const fail = (err: unknown): void => {
    if (error !== undefined) return;
    error = err instanceof Error ? err : new Error(String(err));
    queue = [];
    try {
      o.onError?.(error);
    } catch {
      // a throwing callback must not break the audio path
    }
  };

  const writeHeader = async (): Promise<void> => {
    const declared = wholeFrames(onDisk);
    if (declared === headerCounts) return;
    await file.write(header(declared), 0, headerBytes, 0);
    headerCounts = declared;
  };

  // One writer at a time, with explicit positions (pwrite): audio first, then the header that counts it.
  const drain = async (): Promise<void> => {
    while (queue.length > 0 && error === undefined) {
      const chunk = queue.length === 1 ? queue[0]! : Buffer.concat(queue);
      queue = [];
      try {
        let done = 0;
        while (done < chunk.length) {
          const { bytesWritten } = await file.write(chunk, done, chunk.length - done, headerBytes + onDisk);
          done += bytesWritten;
          onDisk += bytesWritten;
        }
        if (onDisk - headerCounts >= intervalBytes) await writeHeader();
      } catch (err) {
        fail(err);
      }
    }
  };
  const kick = (): void => {
    if (pump !== undefined) return;
    pump = drain().finally(() => {
      pump = undefined;
      if (queue.length > 0 && error === undefined) kick();
    });
  };

  return {
    path,
    get bytesQueued() {
      return queued;
    },
    write(pcm: Buffer): void {
      if (closing !== undefined || error !== undefined || pcm.length === 0) return;
      let take = pcm.length;
      if (queued + take > maxDataBytes) take = maxDataBytes - queued;
      if (take > 0) {
        queue.push(Buffer.from(pcm.subarray(0, take))); // a copy: the caller may reuse its buffer
        queued += take;
        kick();
      }
      if (take < pcm.length) {
        fail(new Error(`${path} reached the largest size a WAV file can have (4 GiB); the rest of the audio is not saved`));
      }
    },
    close(): Promise<WavWriteResult> {
      closing ??= (async () => {
        while (pump !== undefined) await pump;
        // A part of a sample frame is not audio: cut it so the file ends where the data chunk does.
        const cutTo = wholeFrames(onDisk) === onDisk ? undefined : headerBytes + wholeFrames(onDisk);
        await finish(file, writeHeader, cutTo, fail);
        const dataBytes = Math.min(headerCounts, wholeFrames(onDisk));
        return { path, dataBytes, durationMs: (dataBytes / bytesPerSecond) * 1000, error };
      })();
      return closing;
    },
  };
}

/** Creates the file (refusing an existing one unless `overwrite`) and writes `emptyHeader`. */
async function openWithHeader(path: string, o: WavWriterOptions, emptyHeader: Buffer): Promise<FileHandle> {
  let file: FileHandle;
  try {
    // 'wx' = O_CREAT | O_EXCL: atomic, so two runs cannot both take the same file name.
    file = await open(path, o.overwrite === true ? 'w' : 'wx');
  } catch (err) {
    throw openError(path, err);
  }
  try {
    await file.write(emptyHeader, 0, emptyHeader.length, 0);
  } catch (err) {
    await file.close().catch(() => {});
    throw openError(path, err);
  }
  return file;
}

/** The final header, the cut of a part frame, a sync and the close; errors go to `fail`. */
async function finish(file: FileHandle, writeHeader: () => Promise<void>, cutTo: number | undefined, fail: (err: unknown) => void): Promise<void> {
  try {
    await writeHeader();
    if (cutTo !== undefined) await file.truncate(cutTo);
    await file.datasync();
  } catch (err) {
    fail(err);
  }
  await file.close().catch((err: unknown) => fail(err));
}

function openError(path: string, err: unknown): UsageError {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EEXIST':
      return new UsageError(`${path} already exists`, 'choose a new file name for the audio, or remove the old file first');
    case 'ENOENT':
      return new UsageError(`cannot create ${path}: its folder does not exist`, 'create the folder first, or choose another path');
    case 'EISDIR':
      return new UsageError(`${path} is a folder`, 'give a file name, e.g. recording.wav');
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new UsageError(`cannot write ${path}: permission denied`, 'choose a path you can write to');
    default:
      return new UsageError(`cannot write ${path}: ${(err as Error).message ?? String(err)}`);
  }
}
