/** The sentences of the spool and of recovery (issue 22). Pure. */
import { formatClock } from './formats.js';

export function formatSpoolFull(limitMs: number): string {
  return `the spool is full (--spool-limit ${formatClock(limitMs)}): the first ${formatClock(limitMs)} of audio the service missed is kept on disk, newer missed audio is not`;
}

export function formatSpoolFailed(dir: string, reason: string): string {
  return `cannot keep the audio the service missed in ${dir} (${reason}): it is lost`;
}

/** A gap kept on disk at the end of the run, and the command that transcribes it later. */
export function formatSpoolKept(path: string, startMs: number, durationMs: number): string {
  const quoted = /^[\w./:@%+=,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
  return `${formatClock(durationMs, '.')} of audio the service missed (from ${formatClock(startMs)} in the run) is kept in ${path}\n  transcribe it later with: live-transcribe -i ${quoted} --batch`;
}

export function formatGapRecovering(startMs: number, durationMs: number): string {
  return `recovering ${formatClock(durationMs, '.')} of audio the service missed (from ${formatClock(startMs)}) through the pre-recorded API...`;
}

export function formatGapRecovered(startMs: number, durationMs: number, turns: number): string {
  return `recovered ${formatClock(startMs)} - ${formatClock(startMs + durationMs)}: ${turns} turn${turns === 1 ? '' : 's'} (the transcript was deleted at the service)`;
}

export function formatGapNotRecovered(startMs: number, durationMs: number, why: string): string {
  return `could not recover ${formatClock(startMs)} - ${formatClock(startMs + durationMs)}: ${why}`;
}

/** The recoverer's code could not be loaded (an install changed under the run): its gaps stay on disk. */
export function formatRecoveryUnavailable(reason: string): string {
  return `gaps cannot be recovered in this run (${reason}): their audio is kept on disk`;
}

export const RECOVERY_NEEDS_KEY =
  'the audio the service missed cannot be recovered with a temporary token (the pre-recorded API needs the API key): it is kept on disk';

export const KEEP_RECORDING_WITH_TOKEN =
  '--keep-recording with a temporary token: audio the service misses is kept on disk, but only the API key can recover it through the pre-recorded API (the run will exit 6 and name the files)';

export const RUN_ENDED_OFFLINE = 'the run ended before the service could transcribe it';

/** The status line's note during an outage: since when (local clock) and how much is kept on disk. */
export function formatOffline(sinceMs: number, nowMs: number, spooledMs: number): string {
  const kept = spooledMs > 0 ? `, ${formatClock(spooledMs)} kept on disk` : '';
  return `offline ${formatClock(nowMs - sinceMs)}${kept}`;
}

/**
 * A file that ended during an outage (issue 22): what the run waits for, and for how long (undefined: without
 * a bound, --keep-recording).
 */
export function formatEndOfInputOffline(waitMs: number | undefined): string {
  return waitMs === undefined
    ? 'the input ended while the service is unreachable: waiting for it to transcribe the rest (--keep-recording: for as long as the spool has room; Ctrl+C keeps the rest on disk)'
    : `the input ended while the service is unreachable: waiting up to ${Math.round(waitMs / 1000)} s for it to transcribe the rest, else it is kept on disk (--keep-recording waits longer; Ctrl+C stops now)`;
}
