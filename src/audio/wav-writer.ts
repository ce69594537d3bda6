/**
 * --save-audio: keeps exactly the audio that was sent, as a WAV file that stays valid even if the
 * process is killed.
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
import { UsageError } from '../errors.js';
import type { Encoding } from '../types.js';

export interface WavWriterOptions {
  sampleRateHz: number;
  /** What the samples are: 16-bit PCM (default) or G.711 mu-law, one channel either way. */
  encoding?: Encoding;
  /** Replace an existing file. Default false: an existing file is refused (UsageError). */
  overwrite?: boolean;
  /** Rewrite the header after this much audio (default 1000 ms): the most a killed file can miss. */
  headerIntervalMs?: number;
  /** Called once, with the first write error (disk full, file removed...); saving stops there. */
  onError?: (error: Error) => void;
}

export interface WavWriteResult {
  path: string;
  /** Bytes of audio in the data chunk (whole samples). */
  dataBytes: number;
  durationMs: number;
  /** The first error, if saving failed at some point (the file holds what was written before it). */
  error: Error | undefined;
}

export interface WavWriter {
  readonly path: string;
  /** Queues a copy of `pcm` (any length; odd lengths are joined with the next chunk). Never throws. */
  write(pcm: Buffer): void;
  /** Bytes accepted so far (queued or written). */
  readonly bytesQueued: number;
  /** Writes what is queued and the final header, and closes the file. Never rejects; idempotent. */
  close(): Promise<WavWriteResult>;
}

/** Largest data chunk a RIFF file can describe (its sizes are 32-bit), rounded down to whole samples. */
export const MAX_WAV_DATA_BYTES = 0xffff_ffff - 64 - ((0xffff_ffff - 64) % 2);

interface Layout {
  formatTag: number;
  bitsPerSample: number;
  /** PCM: 44 bytes. Mu-law: fmt has cbSize, and a fact chunk carries the sample count (RIFF rules). */
  headerBytes: number;
}

function layoutFor(encoding: Encoding): Layout {
  return encoding === 'pcm_mulaw'
    ? { formatTag: 7, bitsPerSample: 8, headerBytes: 12 + 26 + 12 + 8 }
    : { formatTag: 1, bitsPerSample: 16, headerBytes: 44 };
}

/** The WAV header for `dataBytes` of mono audio (pure; `dataBytes` must be whole samples). */
export function formatWavHeader(dataBytes: number, sampleRateHz: number, encoding: Encoding = 'pcm_s16le'): Buffer {
  const l = layoutFor(encoding);
  const blockAlign = l.bitsPerSample / 8;
  const h = Buffer.alloc(l.headerBytes);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(l.headerBytes - 8 + dataBytes, 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  const fmtSize = encoding === 'pcm_mulaw' ? 18 : 16;
  h.writeUInt32LE(fmtSize, 16);
  h.writeUInt16LE(l.formatTag, 20);
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(sampleRateHz, 24);
  h.writeUInt32LE(sampleRateHz * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(l.bitsPerSample, 34);
  let at = 36;
  if (encoding === 'pcm_mulaw') {
    h.writeUInt16LE(0, 36); // cbSize
    h.write('fact', 38, 'latin1');
    h.writeUInt32LE(4, 42);
    h.writeUInt32LE(dataBytes / blockAlign, 46);
    at = 50;
  }
  h.write('data', at, 'latin1');
  h.writeUInt32LE(dataBytes, at + 4);
  return h;
}

/**
 * Creates `path` and writes the header. Rejects with a UsageError (exit 2) the CLI can show as is when
 * the file exists (unless `overwrite`), its folder is missing, or it cannot be written. The caller owns
 * close().
 */
export async function openWavWriter(path: string, o: WavWriterOptions): Promise<WavWriter> {
  const encoding = o.encoding ?? 'pcm_s16le';
  const layout = layoutFor(encoding);
  const blockAlign = layout.bitsPerSample / 8;
  const bytesPerSecond = o.sampleRateHz * blockAlign;
  const intervalBytes = Math.max(blockAlign, Math.round((bytesPerSecond * (o.headerIntervalMs ?? 1000)) / 1000));

  const file = await openWithHeader(path, o, encoding);

  let queue: Buffer[] = [];
  let queued = 0; // bytes accepted
  let onDisk = 0; // bytes of audio written
  let headerCounts = 0; // bytes the header on disk declares
  let error: Error | undefined;
  let closing: Promise<WavWriteResult> | undefined;
  let pump: Promise<void> | undefined;

  const wholeSamples = (bytes: number): number => bytes - (bytes % blockAlign);

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
    const declared = wholeSamples(onDisk);
    if (declared === headerCounts) return;
    await file.write(formatWavHeader(declared, o.sampleRateHz, encoding), 0, layout.headerBytes, 0);
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
          const { bytesWritten } = await file.write(chunk, done, chunk.length - done, layout.headerBytes + onDisk);
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
      if (queued + take > MAX_WAV_DATA_BYTES) take = MAX_WAV_DATA_BYTES - queued;
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
        // A half sample (odd byte) is not audio: cut it so the file ends where the data chunk does.
        const cutTo = wholeSamples(onDisk) === onDisk ? undefined : layout.headerBytes + wholeSamples(onDisk);
        await finish(file, writeHeader, cutTo, fail);
        const dataBytes = Math.min(headerCounts, wholeSamples(onDisk));
        return { path, dataBytes, durationMs: (dataBytes / bytesPerSecond) * 1000, error };
      })();
      return closing;
    },
  };
}

/** Creates the file (refusing an existing one unless `overwrite`) and writes an empty header. */
async function openWithHeader(path: string, o: WavWriterOptions, encoding: Encoding): Promise<FileHandle> {
  let file: FileHandle;
  try {
    // 'wx' = O_CREAT | O_EXCL: atomic, so two runs cannot both take the same file name.
    file = await open(path, o.overwrite === true ? 'w' : 'wx');
  } catch (err) {
    throw openError(path, err);
  }
  try {
    await file.write(formatWavHeader(0, o.sampleRateHz, encoding), 0, layoutFor(encoding).headerBytes, 0);
  } catch (err) {
    await file.close().catch(() => {});
    throw openError(path, err);
  }
  return file;
}

/** The final header, the cut of a half sample, a sync and the close; errors go to `fail`. */
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
