/**
 * The sentences of `-i FILE --batch` (the pre-recorded API): progress on stderr, the summary, and each
 * failure in plain words with what to do. Pure.
 */
import type { PrerecordedFailure, TranscriptStatus } from '../batch/prerecorded.js';
import { formatClock } from './formats.js';

const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;

export function formatBatchUploading(file: string, bytes: number): string {
  return `uploading ${file} (${(bytes / 1_000_000).toFixed(1)} MB) to the pre-recorded API`;
}

export function formatUploadProgress(percent: number): string {
  return `uploaded ${Math.round(percent)}%`;
}

const STATUS_WORDS: Readonly<Record<TranscriptStatus, string>> = {
  queued: 'queued at the service',
  processing: 'transcribing at the service',
  completed: 'transcribed',
  error: 'failed at the service',
};

export function formatBatchStatus(status: TranscriptStatus, elapsedMs: number): string {
  return `${STATUS_WORDS[status]} (${seconds(elapsedMs)} so far)`;
}

export function formatBatchDone(audioDurationS: number | null, turns: number, elapsedMs: number): string {
  const audio = audioDurationS === null ? '' : `${formatClock(audioDurationS * 1000)} of audio, `;
  return `done: ${audio}${turns} turn${turns === 1 ? '' : 's'}, in ${seconds(elapsedMs)}; the transcript was deleted at the service`;
}

export function formatBatchDeleteFailed(id: string): string {
  return `could not delete transcript ${id} at the service; delete it in the AssemblyAI dashboard or with DELETE /v2/transcript/${id}`;
}

export function formatBatchNothingSaid(): string {
  return 'the service found no speech in the file';
}

const STEP_WORDS = {
  upload: 'the upload',
  create: 'the transcription request',
  poll: 'asking for the transcript',
  delete: 'deleting the transcript',
} as const;

/** What happened and what to do, for each way the pre-recorded API can fail. */
export function formatPrerecordedFailure(f: PrerecordedFailure): { message: string; hint: string } {
  switch (f.kind) {
    case 'auth':
      return {
        message: `the pre-recorded API refused the API key (HTTP ${f.status}${f.detail === '' ? '' : `: ${f.detail}`})`,
        hint: 'check ASSEMBLYAI_API_KEY or --api-key',
      };
    case 'refused':
      return {
        message: `the service refused ${STEP_WORDS[f.step]} (HTTP ${f.status}${f.detail === '' ? '' : `: ${f.detail}`})`,
        hint:
          f.status >= 500 || f.status === 429
            ? 'the service is busy or failing; try again in a few minutes'
            : 'check the file and the options; without --batch the file is streamed instead',
      };
    case 'unreachable':
      return {
        message: `could not reach the pre-recorded API for ${STEP_WORDS[f.step]} (${f.detail})`,
        hint: 'check the network or --api-host, then try again',
      };
    case 'transcript-error':
      return {
        message: `the service could not transcribe the file: ${f.detail === '' ? 'no reason given' : f.detail}`,
        hint: 'check that the file plays and holds speech',
      };
    case 'timeout':
      return {
        message: `the transcript was not ready after ${seconds(f.waitedMs)} (transcript ${f.id})`,
        hint: 'the service is slow; try again later',
      };
  }
}

export function formatBatchInputTooLarge(file: string, bytes: number, limit: number): string {
  return `${file} is ${(bytes / 1e9).toFixed(1)} GB; the pre-recorded API takes at most ${(limit / 1e9).toFixed(1)} GB per upload`;
}

/** Why `--batch` cannot run with this command line, and what to do. */
export const BATCH_REFUSALS = {
  needsFile: { message: '--batch transcribes a file', hint: 'give the file with -i FILE; live audio is transcribed without --batch' },
  needsKey: {
    message: '--batch needs an API key: the pre-recorded API does not take temporary tokens',
    hint: 'set ASSEMBLYAI_API_KEY or pass --api-key, or stream the file without --batch',
  },
  several: { message: '--batch transcribes one file, not a meeting', hint: 'leave out --system-audio and the extra --device' },
} as const;

export function formatBatchFlagRefused(flag: string): { message: string; hint: string } {
  return {
    message: `${flag} has no meaning with --batch (the whole file is transcribed at once)`,
    hint: `leave out ${flag}, or stream the file without --batch`,
  };
}

export function formatBatchFlagIgnored(flags: readonly string[]): string {
  return `${flags.join(', ')} ${flags.length === 1 ? 'is' : 'are'} for live streaming and ignored with --batch`;
}
