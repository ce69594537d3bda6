/**
 * Audio helpers for tests: synthetic speech (espeak-ng + sox), playing into the virtual microphone and the
 * virtual speakers that ./global-setup.ts starts, recording from them, levels and a minimal WAV reader.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIC_SINK, SPEAKER_SINK } from './pulse.js';
import { waitUntil } from './wait.js';

/** test/fixtures/.cache (git-ignored): generated speech WAVs, keyed by text + rate. */
export const FIXTURE_CACHE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', '.cache');

/** Bytes per second of the virtual mic's native format (16 kHz, mono, s16le). */
export const BYTES_PER_SECOND_16K = 32_000;

export interface WavPcm {
  sampleRateHz: number;
  channels: number;
  bitsPerSample: number;
  /** The data chunk: interleaved little-endian samples. */
  pcm: Buffer;
}

function missingToolError(tool: string, pkg: string): Error {
  return new Error(
    `\`${tool}\` is not installed. Install the test dependencies with:\n` + `  sudo apt-get install -y --no-install-recommends ${pkg}`,
  );
}

function exitPromise(child: ChildProcess, name: string, pkg: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? missingToolError(name, pkg) : err));
    child.once('close', (code) => resolve(code));
  });
}

/**
 * Synthesises `text` with espeak-ng (en-us, 150 wpm) and converts it with sox to a mono 16-bit WAV at
 * `opts.rateHz` (default 16000) at `outPath`. The result is cached in FIXTURE_CACHE_DIR; a cache hit is a
 * file copy.
 */
export async function makeSpeechWav(text: string, outPath: string, opts: { rateHz?: number } = {}): Promise<void> {
  const rateHz = opts.rateHz ?? 16_000;
  const key = createHash('sha256')
    .update(JSON.stringify({ v: 2, voice: 'en-us', speed: 150, text, rateHz }))
    .digest('hex')
    .slice(0, 24);
  const cached = path.join(FIXTURE_CACHE_DIR, `speech-${rateHz}-${key}.wav`);
  if (!existsSync(cached)) {
    await mkdir(FIXTURE_CACHE_DIR, { recursive: true });
    const tmp = `${cached}.${process.pid}.${Date.now()}.tmp`;
    try {
      // Text goes in on stdin so that text beginning with "-" is never taken for an option.
      const espeak = spawn('espeak-ng', ['-v', 'en-us', '-s', '150', '--stdout', '--stdin'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const sox = spawn(
        'sox',
        // -D: no dither. SoX dithers with random noise by default, so the same text would give different
        // audio on every machine, and a recognizer's answer could differ with it.
        ['-D', '-t', 'wav', '-', '-r', String(rateHz), '-c', '1', '-b', '16', '-e', 'signed-integer', '-t', 'wav', tmp],
        { stdio: ['pipe', 'ignore', 'pipe'] },
      );
      let errText = '';
      espeak.stderr.on('data', (d: Buffer) => (errText += d.toString()));
      sox.stderr.on('data', (d: Buffer) => (errText += d.toString()));
      espeak.stdout.pipe(sox.stdin);
      sox.stdin.on('error', () => {
        /* reported by exit codes */
      });
      espeak.stdin.on('error', () => {
        /* reported by exit codes */
      });
      espeak.stdin.end(text);
      const timer = setTimeout(() => {
        espeak.kill('SIGKILL');
        sox.kill('SIGKILL');
      }, 60_000);
      const [espeakCode, soxCode] = await Promise.all([exitPromise(espeak, 'espeak-ng', 'espeak-ng'), exitPromise(sox, 'sox', 'sox')]).finally(() =>
        clearTimeout(timer),
      );
      if (espeakCode !== 0 || soxCode !== 0) {
        throw new Error(`makeSpeechWav(${JSON.stringify(text)}) failed: espeak-ng exit ${espeakCode}, sox exit ${soxCode}\n${errText}`);
      }
      await rename(tmp, cached); // atomic: concurrent generators of the same text are harmless
    } finally {
      await rm(tmp, { force: true });
    }
  }
  await mkdir(path.dirname(path.resolve(outPath)), { recursive: true });
  await copyFile(cached, outPath);
}

/** Parses a RIFF/WAVE buffer (PCM or WAVE_FORMAT_EXTENSIBLE). A bogus data length is clamped to the end. */
export function parseWav(buf: Buffer): WavPcm {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let offset = 12;
  let fmt: { format: number; channels: number; sampleRateHz: number; bitsPerSample: number } | undefined;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (body + 16 > buf.length) throw new Error('truncated fmt chunk');
      fmt = {
        format: buf.readUInt16LE(body),
        channels: buf.readUInt16LE(body + 2),
        sampleRateHz: buf.readUInt32LE(body + 4),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!fmt) throw new Error('data chunk before fmt chunk');
      if (fmt.format !== 1 && fmt.format !== 0xfffe) {
        throw new Error(`unsupported WAV format tag ${fmt.format} (only PCM)`);
      }
      const end = Math.min(buf.length, body + size); // streamed WAVs carry 0 / 0xffffffff lengths
      const dataEnd = size === 0 ? buf.length : end;
      return {
        sampleRateHz: fmt.sampleRateHz,
        channels: fmt.channels,
        bitsPerSample: fmt.bitsPerSample,
        pcm: buf.subarray(body, dataEnd),
      };
    }
    offset = body + size + (size % 2); // chunks are word-aligned
  }
  throw new Error('no data chunk in WAV file');
}

/** Reads a WAV file: sample rate, channel count and the raw PCM of its data chunk. */
export function readWavPcm(wavPath: string): WavPcm {
  return parseWav(readFileSync(wavPath));
}

/** Duration of a WAV file in milliseconds. */
export function wavDurationMs(wavPath: string): number {
  const w = readWavPcm(wavPath);
  const bytesPerSecond = w.sampleRateHz * w.channels * (w.bitsPerSample / 8);
  return (w.pcm.length / bytesPerSecond) * 1000;
}

/**
 * RMS level of s16le PCM in dBFS (full scale = 32768; a full-scale square wave is 0 dBFS, a full-scale sine
 * about -3 dBFS). Empty or all-zero input gives -Infinity. A trailing odd byte is ignored.
 */
export function pcmLevelDbfs(pcm: Buffer): number {
  const samples = Math.floor(pcm.length / 2);
  if (samples === 0) return -Infinity;
  let sumSquares = 0;
  for (let i = 0; i < samples; i++) {
    const s = pcm.readInt16LE(i * 2);
    sumSquares += s * s;
  }
  const rms = Math.sqrt(sumSquares / samples);
  return rms === 0 ? -Infinity : 20 * Math.log10(rms / 32768);
}

/**
 * Plays a WAV file into the virtual microphone (`paplay -d virtmic`), in real time. Resolves when paplay has
 * drained; rejects if it fails or takes longer than the file's duration + 10 s.
 */
export function playIntoMic(wavPath: string, pulseServer: string): Promise<void> {
  return playIntoSink(wavPath, pulseServer, MIC_SINK);
}

/**
 * Plays a WAV file into a sink of the test daemon, by default the virtual speakers (`paplay -d virtspk`):
 * what the computer plays, recorded from `virtspk.monitor` (system audio). In real time; resolves when paplay
 * has drained; rejects if it fails or takes longer than the file's duration + 10 s.
 */
export function playIntoSink(wavPath: string, pulseServer: string, sink: string = SPEAKER_SINK): Promise<void> {
  let durationMs: number;
  try {
    durationMs = wavDurationMs(wavPath);
  } catch {
    durationMs = 60_000; // not a WAV we can parse: let paplay decide, with a generous bound
  }
  const timeoutMs = Math.ceil(durationMs) + 10_000;
  return new Promise((resolve, reject) => {
    const child = spawn('paplay', ['-d', sink, wavPath], {
      env: { ...process.env, PULSE_SERVER: pulseServer },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`paplay -d ${sink} ${wavPath} did not finish within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' ? missingToolError('paplay', 'pulseaudio-utils') : err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`paplay -d ${sink} ${wavPath} failed (code ${code}, signal ${signal})\n${stderr}`));
    });
  });
}

/**
 * The command line node-record-lpcm16 gives `sox` to record the default device (raw 16-bit mono PCM to stdout):
 * what captureMic runs, and what the tests of the real and the fake sox run.
 */
export function recorderSoxArgs(rateHz = 16_000): string[] {
  return `--default-device --no-show-progress --rate ${rateHz} --channels 1 --encoding signed-integer --bits 16 --type raw -`.split(' ');
}

export interface MicCapture {
  /** Everything captured so far (16 kHz mono s16le unless other options were given). */
  pcm(): Buffer;
  /** Number of bytes captured so far. */
  readonly bytes: number;
  /** Resolves once at least `bytes` have been captured; rejects after `timeoutMs` or if the recorder exits. */
  waitForBytes(bytes: number, timeoutMs?: number): Promise<void>;
  /** Stops the recorder (SIGTERM) and returns everything captured. */
  stop(): Promise<Buffer>;
  readonly stderr: () => string;
}

/**
 * Records the virtual microphone through the real `sox`, the way node-record-lpcm16 does
 * (`sox --default-device ... --type raw -`), with PULSE_SERVER pointing at the test daemon.
 */
export function captureMic(pulseServer: string, opts: { rateHz?: number; extraEnv?: Record<string, string> } = {}): MicCapture {
  const rateHz = opts.rateHz ?? 16_000;
  const child = spawn('sox', recorderSoxArgs(rateHz), {
    env: { ...process.env, PULSE_SERVER: pulseServer, ...opts.extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  let bytes = 0;
  let stderr = '';
  let exited = false;
  let spawnError: Error | undefined;
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const w of [...waiters]) w();
  };
  child.stdout.on('data', (d: Buffer) => {
    chunks.push(d);
    bytes += d.length;
    notify();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.once('error', (err: NodeJS.ErrnoException) => {
    spawnError = err.code === 'ENOENT' ? missingToolError('sox', 'sox libsox-fmt-pulse') : err;
    exited = true;
    notify();
  });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  void closed.then(() => {
    exited = true;
    notify();
  });

  return {
    pcm: () => Buffer.concat(chunks),
    get bytes() {
      return bytes;
    },
    stderr: () => stderr,
    async waitForBytes(want: number, timeoutMs = 10_000): Promise<void> {
      await waitUntil(() => bytes >= want, {
        timeoutMs,
        what: () => `${want} bytes captured (got ${bytes})\n${stderr}`,
        subscribe: (wake) => {
          waiters.add(wake);
          return () => waiters.delete(wake);
        },
        failIf: () => (exited && bytes < want ? `sox exited after ${bytes} of ${want} bytes\n${spawnError?.message ?? stderr}` : undefined),
      });
    },
    async stop(): Promise<Buffer> {
      if (!exited) {
        child.kill('SIGTERM');
        const killTimer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await closed;
        clearTimeout(killTimer);
      }
      if (spawnError) throw spawnError;
      return Buffer.concat(chunks);
    },
  };
}
