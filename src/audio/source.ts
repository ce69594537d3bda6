/**
 * Audio sources behind one interface: the microphone (live), a file or standard input (recorded, so the
 * caller paces them). Opening a source checks it fully (exists, not empty, a format we can read, a sample
 * rate the service takes), so a bad input is refused before any connection is made.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, openSync, readSync, closeSync, statSync, type ReadStream } from 'node:fs';
import type { Encoding, InputSpec } from '../core/types.js';
import { AppError, ErrorCode, UsageError } from '../core/errors.js';
import { durationMsOf } from './framer.js';
import { startMicrophone, type Microphone } from './microphone.js';
import { soxSaid, soxStartError } from './sox-command.js';
import { createDownmixer, describeWav, isStreamableWav, looksLikeWav, parseWavHeader, type WavInfo } from './wav.js';
import { deviceLabel } from '../devices/device-label.js';
import { appendTail, isOnPath, lastLines, runCommand } from '../system/exec.js';

export interface AudioFormat {
  sampleRateHz: number;
  encoding: Encoding;
}

export interface SourceHandlers {
  onData(chunk: Buffer): void;
  /** Once: the input ended (error undefined) or failed. Not called after stop(). */
  onEnd(error?: AppError): void;
}

export interface AudioSource {
  readonly format: AudioFormat;
  /** For status lines: "the default microphone", "meeting.wav"... */
  readonly label: string;
  /** Known for files. */
  readonly durationMs: number | undefined;
  /** true: real time already (a microphone); false: recorded, the caller must pace it. */
  readonly live: boolean;
  start(handlers: SourceHandlers): void;
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export interface OpenSourceOptions {
  /** From --sample-rate / --encoding: the microphone's rate, and the format of raw input. */
  sampleRateHz: number;
  encoding: Encoding;
  env: Readonly<Record<string, string | undefined>>;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** The platform SoX runs on (RunIO's `platform`). */
  platform: NodeJS.Platform;
}

type SourceContext = OpenSourceOptions;

const SOX_TARGET_RATE_HZ = 16_000;
const HEAD_BYTES = 1 << 20;

export async function openAudioSource(spec: InputSpec, options: OpenSourceOptions): Promise<AudioSource> {
  const o: SourceContext = options;
  if (spec.kind === 'microphone') {
    // SoX is looked for before connecting: without it, no session is opened (and none billed).
    if (!isOnPath('sox', o.env, o.platform))
      throw soxStartError(Object.assign(new Error('spawn sox ENOENT'), { code: 'ENOENT' }), o.platform, 'record the microphone');
    return microphoneSource(spec.device, o);
  }
  if (spec.kind === 'stdin') return openStdin(o);
  return openFile(spec.path, spec.raw, o);
}

function microphoneSource(device: string | undefined, o: SourceContext): AudioSource {
  let mic: Microphone | undefined;
  return {
    format: { sampleRateHz: o.sampleRateHz, encoding: 'pcm_s16le' },
    label: deviceLabel(device === undefined ? {} : { deviceName: device }),
    durationMs: undefined,
    live: true,
    start(h) {
      mic = startMicrophone({
        sampleRateHz: o.sampleRateHz,
        ...(device === undefined ? {} : { device }),
        env: o.env,
        platform: o.platform,
        onData: h.onData,
        onEnd: (error) => (error === undefined ? h.onEnd() : h.onEnd(error)),
      });
    },
    pause() {},
    resume() {},
    stop: () => mic?.stop() ?? Promise.resolve(),
  };
}

function openFile(path: string, raw: boolean, o: SourceContext): AudioSource | Promise<AudioSource> {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new UsageError(`--input ${path} is a directory`, 'give an audio file');
    // Issue 19.8: `-i <(cmd)` is a pipe, not an empty file (its size is 0 until read).
    if (st.isFIFO() || st.isSocket())
      throw new UsageError(`--input ${path} is a pipe, not a file`, 'send the audio to standard input instead: cmd | live-transcribe -i -');
    size = st.size;
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`the input file ${path} does not exist`);
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`);
  }
  if (size === 0) throw new UsageError(`the input file ${path} is empty`);
  if (raw) {
    const format = { sampleRateHz: o.sampleRateHz, encoding: o.encoding };
    return streamSource(path, format, durationMsOf(size, format.sampleRateHz, format.encoding), () => createReadStream(path), 1);
  }
  const head = readHead(path, Math.min(size, HEAD_BYTES));
  if (!looksLikeWav(head)) return soxSource(path, o);
  const parsed = parseWavHeader(head);
  // Issue 19.8: more metadata before `data` than the head holds (over 1 MiB) is valid WAV: SoX reads it.
  if (!parsed.ok && parsed.needMore === true && size > head.length) return soxSource(path, o);
  if (!parsed.ok) throw new UsageError(`${path} is not a valid WAV file: ${parsed.reason}`);
  const info = parsed.info;
  if (!isStreamableWav(info)) return soxSource(path, o, info);
  const available = size - info.dataOffset;
  if (info.dataBytes !== undefined && info.dataBytes > available) {
    const bytesPerSecond = info.sampleRateHz * info.channels * 2;
    throw new UsageError(
      `${path} is truncated: its header promises ${(info.dataBytes / bytesPerSecond).toFixed(1)} s of audio, but it holds ${(available / bytesPerSecond).toFixed(1)} s`,
      'the file was cut off while it was written; repair it (e.g. sox --ignore-length in.wav out.wav) and try again',
    );
  }
  const dataBytes = info.dataBytes ?? available;
  if (dataBytes < info.blockAlign) throw new UsageError(`${path} holds no audio`);
  const end = info.dataOffset + dataBytes - 1;
  return streamSource(
    path,
    { sampleRateHz: info.sampleRateHz, encoding: 'pcm_s16le' },
    (dataBytes / (info.sampleRateHz * info.channels * 2)) * 1000,
    () => createReadStream(path, { start: info.dataOffset, end }),
    info.channels,
  );
}

function readHead(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** A file read as a stream (16-bit PCM, downmixed to mono, or raw). */
function streamSource(path: string, format: AudioFormat, durationMs: number, open: () => ReadStream, channels: number): AudioSource {
  let stream: ReadStream | undefined;
  let stopped = false;
  const name = path.split(/[\\/]/).pop() ?? path;
  return {
    format,
    label: name,
    durationMs,
    live: false,
    start(h) {
      const downmix = createDownmixer(channels);
      stream = open();
      stream.on('data', (chunk) => h.onData(downmix(chunk as Buffer)));
      stream.on('end', () => {
        if (!stopped) h.onEnd();
      });
      stream.on('error', (err) => {
        if (!stopped) h.onEnd(new AppError(ErrorCode.input, `cannot read ${path}: ${err.message}`, { cause: err }));
      });
    },
    pause: () => stream?.pause(),
    resume: () => stream?.resume(),
    stop() {
      stopped = true;
      stream?.destroy();
      return Promise.resolve();
    },
  };
}

/** Standard input: raw audio at --sample-rate/--encoding, or a WAV stream (16-bit PCM) if it starts like one. */
async function openStdin(o: SourceContext): Promise<AudioSource> {
  if (o.stdin.isTTY === true) {
    throw new UsageError(
      '--input - reads audio from standard input, but it is a terminal',
      'pipe audio into it, e.g.: sox talk.mp3 -t raw -r 16000 -c 1 -b 16 -e signed-integer - | live-transcribe -i -',
    );
  }
  const stdin = o.stdin;
  // One permanent set of listeners from the start: the stream can end while its format is being sniffed.
  let buffered: Buffer[] = [];
  let bufferedBytes = 0;
  let ended = false;
  let failure: AppError | undefined;
  let consumer: SourceHandlers | undefined;
  let wake: (() => void) | undefined;
  stdin.on('data', (chunk: Buffer) => {
    if (consumer !== undefined) consumer.onData(chunk);
    else {
      buffered.push(chunk);
      bufferedBytes += chunk.length;
      wake?.();
    }
  });
  stdin.on('end', () => {
    ended = true;
    if (consumer !== undefined) consumer.onEnd();
    else wake?.();
  });
  stdin.on('error', (err: Error) => {
    failure = new AppError(ErrorCode.input, `cannot read standard input: ${err.message}`, { cause: err });
    if (consumer !== undefined) consumer.onEnd(failure);
    else wake?.();
  });
  /** Waits until `min` bytes are buffered or the input ended, then pauses it again. */
  const fill = async (min: number): Promise<Buffer> => {
    stdin.resume();
    while (bufferedBytes < min && !ended && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    stdin.pause();
    if (failure !== undefined) throw failure;
    return Buffer.concat(buffered);
  };

  const head = await fill(12);
  if (head.length === 0) throw new UsageError('standard input is empty', 'pipe audio into live-transcribe -i -');
  const { format, channels, skip } = await stdinFormat(head, fill, () => ended, o);
  let stopped = false;
  return {
    format,
    label: 'standard input',
    durationMs: undefined,
    live: false,
    start(h) {
      const downmix = createDownmixer(channels);
      const first = Buffer.concat(buffered).subarray(skip);
      buffered = [];
      const guarded: SourceHandlers = {
        onData: (chunk) => {
          if (!stopped) h.onData(downmix(chunk));
        },
        onEnd: (error) => {
          if (!stopped) h.onEnd(error);
        },
      };
      if (first.length > 0) guarded.onData(first);
      consumer = guarded;
      if (ended) queueMicrotask(() => guarded.onEnd(failure));
      else stdin.resume();
    },
    pause: () => stdin.pause(),
    resume: () => stdin.resume(),
    stop() {
      stopped = true;
      stdin.pause();
      (stdin as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      return Promise.resolve();
    },
  };
}

/** The format of standard input: a WAV header's (read on with `fill` past long metadata), or --sample-rate/--encoding. */
async function stdinFormat(
  first: Buffer,
  fill: (min: number) => Promise<Buffer>,
  ended: () => boolean,
  o: SourceContext,
): Promise<{ format: AudioFormat; channels: number; skip: number }> {
  if (!looksLikeWav(first)) return { format: { sampleRateHz: o.sampleRateHz, encoding: o.encoding }, channels: 1, skip: 0 };
  let head = first;
  let parsed = parseWavHeader(head);
  while (!parsed.ok && parsed.needMore === true && !ended() && head.length < HEAD_BYTES) {
    head = await fill(head.length + 1);
    parsed = parseWavHeader(head);
  }
  if (!parsed.ok) throw new UsageError(`standard input is not a valid WAV stream: ${parsed.reason}`);
  const info: WavInfo = parsed.info;
  if (!isStreamableWav(info)) {
    throw new UsageError(
      `the WAV on standard input is ${describeWav(info)}; standard input takes 16-bit PCM at 8000 to 96000 Hz`,
      'give the file with --input <file> (SoX converts it), or convert it: sox in.wav -b 16 -r 16000 -t wav - | live-transcribe -i -',
    );
  }
  return { format: { sampleRateHz: info.sampleRateHz, encoding: 'pcm_s16le' }, channels: info.channels, skip: info.dataOffset };
}

/** Anything else SoX can read (mp3, flac, ogg, 24-bit or float WAV...), converted to 16 kHz 16-bit mono. */
async function soxSource(path: string, o: SourceContext, wav?: WavInfo): Promise<AudioSource> {
  const name = path.split(/[\\/]/).pop() ?? path;
  // `sox --i -D` checks that SoX exists and can read the file, and gives the duration, before connecting.
  const info = await runSox(['--i', '-D', path], o);
  if (info.code !== 0) {
    const said = lastLines(info.stderr, 4);
    throw new AppError(ErrorCode.capture, `SoX cannot read ${name}${wav === undefined ? '' : ` (${describeWav(wav)})`}`, {
      hint: `${soxSaid(said)}${/mp3/i.test(name) || /mp3/i.test(said) ? 'for mp3 support install libsox-fmt-mp3 (Debian/Ubuntu), or ' : ''}convert it to WAV (16-bit PCM) first`,
    });
  }
  const durationS = Number.parseFloat(info.stdout.trim());
  let child: ChildProcess | undefined;
  let stopped = false;
  let stderr = '';
  return {
    format: { sampleRateHz: SOX_TARGET_RATE_HZ, encoding: 'pcm_s16le' },
    label: name,
    durationMs: Number.isFinite(durationS) && durationS > 0 ? durationS * 1000 : undefined,
    live: false,
    start(h) {
      child = spawn(
        'sox',
        ['--no-show-progress', path, '-t', 'raw', '-r', String(SOX_TARGET_RATE_HZ), '-c', '1', '-b', '16', '-e', 'signed-integer', '-L', '-'],
        {
          env: o.env,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child.stdout!.on('data', (chunk: Buffer) => h.onData(chunk));
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr = appendTail(stderr, chunk);
      });
      child.on('error', (err: NodeJS.ErrnoException) => {
        if (!stopped) h.onEnd(soxStartError(err, o.platform, READ_BY_SOX));
        stopped = true;
      });
      child.on('close', (code) => {
        if (stopped) return;
        stopped = true;
        if (code === 0) h.onEnd();
        else h.onEnd(new AppError(ErrorCode.capture, `SoX failed while reading ${name} (code ${code})`, { hint: lastLines(stderr, 4) }));
      });
    },
    pause: () => child?.stdout?.pause(),
    resume: () => child?.stdout?.resume(),
    stop() {
      stopped = true;
      // SoX is most often blocked writing to a full pipe (the file is read in real time, stdout paused in
      // between): a SIGTERM alone waits for a write that never ends, and the child kept the process alive after
      // Ctrl+C. Closing our end makes its write fail at once; the kill ends it if it was doing anything else.
      child?.stdout?.destroy();
      child?.stderr?.destroy();
      child?.kill('SIGTERM');
      return Promise.resolve();
    },
  };
}

const READ_BY_SOX = 'read this kind of file';

/** `sox` run to its end (bounded); rejects only when it could not start. */
async function runSox(args: string[], o: SourceContext): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runCommand('sox', args, { env: o.env, timeoutMs: 10_000, platform: o.platform });
  if (r.spawnError !== undefined) {
    throw soxStartError(r.spawnError, o.platform, READ_BY_SOX);
  }
  return { code: r.code ?? 1, stdout: r.stdout.toString('utf8'), stderr: r.stderr };
}
