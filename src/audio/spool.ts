/**
 * The spool (issue 22): audio that an outage kept from the service, on disk, per source, as WAV files that
 * stay valid at every moment. Each append writes the samples and then rewrites the header with the new size,
 * so a process killed at any point (SIGKILL, power loss) leaves a WAV whose header describes at most the
 * samples on disk (readers ignore a trailing partial append). Files are the user's alone (0600, folder 0700),
 * in XDG_CACHE_HOME/live-transcribe/spool (or the OS cache folder, or the temporary folder). The total kept
 * is bounded by a duration (--spool-limit): past it, the first part of the outage is kept and the rest is not.
 */
import { chmodSync, closeSync, fstatSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Encoding } from '../core/types.js';
import { formatMultiChannelWavHeader } from './interleave.js';

/** Default --spool-limit: four hours of audio per source (about 460 MB at 16 kHz, 16-bit). */
export const DEFAULT_SPOOL_LIMIT_MS = 4 * 3_600_000;

export interface SpoolPlaces {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  homedir: string;
  tmpdir: string;
}

/** Where spool files go: $XDG_CACHE_HOME, else the platform's cache folder, else the temporary folder. */
export function spoolDirectory(p: SpoolPlaces): string {
  const xdg = p.env.XDG_CACHE_HOME;
  if (xdg !== undefined && path.isAbsolute(xdg)) return path.join(xdg, 'live-transcribe', 'spool');
  if (p.homedir !== '') {
    if (p.platform === 'darwin') return path.join(p.homedir, 'Library', 'Caches', 'live-transcribe', 'spool');
    if (p.platform === 'win32') return path.join(p.env.LOCALAPPDATA ?? path.join(p.homedir, 'AppData', 'Local'), 'live-transcribe', 'spool');
    return path.join(p.homedir, '.cache', 'live-transcribe', 'spool');
  }
  return path.join(p.tmpdir, 'live-transcribe-spool');
}

/** Creates the folder (0700: the audio is private) and tightens it if it existed. */
function ensureSpoolDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** A file name that says what it is and when: `2026-12-06T10-40-03Z-microphone-4711-1.wav` (gap 1 of run 4711). */
export function spoolFileName(startedAt: Date, label: string, pid: number, gap: number): string {
  const stamp = startedAt
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
  const safe =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'audio';
  return `${stamp}-${safe}-${pid}-${gap}.wav`;
}

export interface SpoolFormat {
  sampleRateHz: number;
  encoding: Encoding;
}

/** One WAV file of the spool, written synchronously (an outage writes ~32 KB/s: small, and crash-ordered). */
export class SpoolFile {
  private fd: number | undefined;
  private dataBytes = 0;
  private readonly headerBytes: number;
  private readonly bytesPerMs: number;

  private constructor(
    readonly path: string,
    private readonly format: SpoolFormat,
  ) {
    const header = formatMultiChannelWavHeader(0, format.sampleRateHz, 1, format.encoding);
    this.headerBytes = header.length;
    this.bytesPerMs = (format.sampleRateHz * (format.encoding === 'pcm_mulaw' ? 1 : 2)) / 1000;
    // 'wx': never replace a file; 0600: readable by the user alone.
    this.fd = openSync(this.path, 'wx', 0o600);
    writeSync(this.fd, header, 0, header.length, 0);
  }

  static create(dir: string, name: string, format: SpoolFormat): SpoolFile {
    ensureSpoolDirectory(dir);
    return new SpoolFile(path.join(dir, name), format);
  }

  get durationMs(): number {
    return this.dataBytes / this.bytesPerMs;
  }

  get bytes(): number {
    return this.dataBytes;
  }

  /** The samples first, then the header that counts them: valid after a kill between any two writes. */
  append(audio: Buffer): void {
    if (this.fd === undefined || audio.length === 0) return;
    writeSync(this.fd, audio, 0, audio.length, this.headerBytes + this.dataBytes);
    this.dataBytes += audio.length;
    const header = formatMultiChannelWavHeader(this.dataBytes, this.format.sampleRateHz, 1, this.format.encoding);
    writeSync(this.fd, header, 0, header.length, 0);
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }

  /** Closes and deletes the file (its audio was transcribed). */
  remove(): void {
    this.close();
    rmSync(this.path, { force: true });
    this.removed = true;
  }

  /** The file was deleted (its audio recovered). */
  removed = false;

  /** The file's size on disk (for tests and the status line). */
  sizeOnDisk(): number {
    return this.fd === undefined ? this.headerBytes + this.dataBytes : fstatSync(this.fd).size;
  }
}

export type SpoolAppend = 'ok' | 'full';

export interface SpoolOptions {
  dir: string;
  format: SpoolFormat;
  /** The source's label, in file names (`microphone`, `You`, `Others`). */
  label: string;
  limitMs: number;
  pid: number;
}

/**
 * A source's spool: one file per gap, a duration limit over all of them. `append` says 'full' once the limit
 * is reached (the first time only; the caller says so once); what was written stays.
 */
export class Spool {
  private current: SpoolFile | undefined;
  private totalMs = 0;
  private full = false;
  readonly files: SpoolFile[] = [];

  constructor(private readonly o: SpoolOptions) {}

  get spooledMs(): number {
    return this.totalMs;
  }

  get isFull(): boolean {
    return this.full;
  }

  /** Adds audio to the open gap's file (opened on first use, named by `startedAt`). */
  append(audio: Buffer, startedAt: Date): SpoolAppend | undefined {
    if (this.full) return undefined;
    const bytesPerMs = (this.o.format.sampleRateHz * (this.o.format.encoding === 'pcm_mulaw' ? 1 : 2)) / 1000;
    const roomBytes = Math.floor(((this.o.limitMs - this.totalMs) * bytesPerMs) / 2) * 2;
    const part = audio.subarray(0, Math.max(0, Math.min(audio.length, roomBytes)));
    if (part.length > 0) {
      if (this.current === undefined) {
        this.current = SpoolFile.create(this.o.dir, spoolFileName(startedAt, this.o.label, this.o.pid, this.files.length + 1), this.o.format);
        this.files.push(this.current);
      }
      this.current.append(part);
      this.totalMs += part.length / bytesPerMs;
    }
    if (part.length < audio.length) {
      this.full = true;
      return 'full';
    }
    return 'ok';
  }

  /** The gap ended: its file is complete (closed, kept until removed). */
  endGap(): SpoolFile | undefined {
    const file = this.current;
    this.current = undefined;
    file?.close();
    return file;
  }

  close(): void {
    this.endGap();
  }
}
