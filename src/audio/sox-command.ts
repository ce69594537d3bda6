/**
 * The SoX command line and environment for microphone capture (pure, so each platform's command is
 * tested here even where that platform is not). See ../shared/ENVIRONMENT.md for why each piece exists.
 */
import { AppError, ErrorCode } from '../core/errors.js';
import { audioDriverFor } from '../devices/audio-driver.js';

export interface SoxCommandOptions {
  sampleRateHz: number;
  device?: string;
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** Path of coreutils' libstdbuf.so if present (Linux): unbuffers sox's stdout. */
  stdbufLibrary?: string;
}

export interface SoxCommand {
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
}

export const STDBUF_LIBRARY_PATHS = [
  '/usr/libexec/coreutils/libstdbuf.so',
  '/usr/lib/coreutils/libstdbuf.so',
  '/usr/local/libexec/coreutils/libstdbuf.so',
  '/usr/lib64/coreutils/libstdbuf.so',
];

export function buildSoxCommand(o: SoxCommandOptions): SoxCommand {
  // ~25 ms of audio per read: SoX's default 8192-byte buffer alone costs 256 ms at 16 kHz.
  const bufferBytes = Math.max(256, Math.round(o.sampleRateHz * 0.025) * 2);
  const input = o.platform === 'win32' ? ['-t', 'waveaudio', o.device ?? 'default'] : ['--default-device'];
  const args = [
    '--no-show-progress',
    '--buffer',
    String(bufferBytes),
    ...input,
    // Output: raw PCM, never the WAV header (its bogus length would be read as audio).
    '--rate',
    String(o.sampleRateHz),
    '--channels',
    '1',
    '--encoding',
    'signed-integer',
    '--bits',
    '16',
    '--endian',
    'little',
    '--type',
    'raw',
    '-',
  ];
  const env: Record<string, string | undefined> = { ...o.env };
  if (o.device !== undefined && o.platform !== 'win32') {
    env.AUDIODEV = o.device;
    // SoX picks a device by name only with the matching driver (ENVIRONMENT.md).
    if (env.AUDIODRIVER === undefined || env.AUDIODRIVER === '') env.AUDIODRIVER = audioDriverFor(o.device, o.platform);
  }
  if (o.stdbufLibrary !== undefined && o.platform === 'linux') {
    // stdio would hold 4096 bytes (128 ms) before each write to the pipe. A buffer of exactly one 50 ms
    // frame makes SoX write each frame the moment it is complete: no added latency, and half the reads
    // (and wake-ups) of an unbuffered stdout.
    env.LD_PRELOAD = env.LD_PRELOAD ? `${o.stdbufLibrary}:${env.LD_PRELOAD}` : o.stdbufLibrary;
    env._STDBUF_O = String(Math.ceil(o.sampleRateHz / 20) * 2);
  }
  return { command: 'sox', args, env };
}

/** How to install SoX, per platform, for the "SoX missing" message. */
export function soxInstallHint(platform: NodeJS.Platform): string {
  const lines = [
    'install SoX, then run live-transcribe again:',
    '  Debian/Ubuntu:  sudo apt-get install sox libsox-fmt-pulse',
    '  Fedora:         sudo dnf install sox',
    '  Arch:           sudo pacman -S sox',
    '  macOS:          brew install sox',
    '  Windows:        winget install ChrisBagwell.SoX   (or: choco install sox.portable), then add it to PATH',
  ];
  const mine = platform === 'darwin' ? 'macOS' : platform === 'win32' ? 'Windows' : 'Debian/Ubuntu';
  return lines.map((l) => (l.trimStart().startsWith(mine) ? `${l}   <- this machine` : l)).join('\n');
}

/** SoX's own words under a message: "SoX said:" and the lines given, indented; '' when it said nothing. */
export function soxSaid(lines: string): string {
  return lines === ''
    ? ''
    : `SoX said:\n${lines
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n')}\n`;
}

/** Why SoX did not start: not installed (with how to install it, exit 3), or another spawn error. */
export function soxStartError(err: NodeJS.ErrnoException, platform: NodeJS.Platform, neededTo: string): AppError {
  if (err.code === 'ENOENT') {
    return new AppError(ErrorCode.soxNotFound, `SoX (the \`sox\` command) was not found; it is needed to ${neededTo}`, {
      hint: soxInstallHint(platform),
    });
  }
  return new AppError(ErrorCode.capture, `could not start SoX: ${err.message}`, { cause: err });
}
