/**
 * Every sentence a run shows the user on stderr, as pure functions: the run decides when, these decide what.
 * A new status line or warning goes here, with a test in test/unit/render/messages.test.ts.
 */
import type { StopKind } from '../core/types.js';
import type { SilenceHint } from './silence-hint.js';
import { formatClock } from './status-line.js';

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

export const formatConnecting = (host: string): string => `Connecting to ${host}...`;
export const formatStoppedBeforeStart = (): string => 'Stopped before the session started.';
export const formatSessionStarted = (sessionId: string): string => `Session started: ${sessionId}`;
export const formatRecordingFrom = (inputName: string): string => `Recording from ${inputName}`;

/** How to stop, with the keys when the keyboard is live. */
export function formatHowToStop(keyHelp: string | undefined): string {
  return `press Ctrl+C to stop${keyHelp === undefined ? '' : ` (${keyHelp})`}`;
}

export const formatListening = (howToStop: string): string => `Listening... ${howToStop}`;

export function formatStreamingFile(label: string, durationMs: number | undefined, howToStop: string): string {
  const total = durationMs === undefined ? '' : ` (${formatClock(durationMs)})`;
  return `Streaming ${label}${total} in real time... ${howToStop}`;
}

export const formatPauseToggled = (paused: boolean): string => (paused ? 'Paused: sending silence. Press p to resume.' : 'Resumed.');

export function formatSilenceWarning(hint: SilenceHint): string {
  return `${hint.message}\n${hint.causes.map((c) => `  - ${c}`).join('\n')}`;
}

/** The one-line warning after a long silence from a microphone that was heard before. */
export function formatLongSilence(inputName: string, silentMs: number): string {
  const minutes = Math.floor(silentMs / 60_000);
  const span = minutes >= 1 ? `${minutes} min` : `${Math.round(silentMs / 1000)} s`;
  return `no sound from ${inputName} for ${span}; is it still on? (transcription goes on)`;
}

export const formatSoundBack = (inputName: string): string => `Sound is arriving from ${inputName} again.`;
export const formatServiceWarning = (message: string): string => `the service says: ${message}`;

export function formatReconnecting(reason: string, delayMs: number, attempt: number, maxAttempts: number): string {
  // Issue 22: --keep-recording tries without a limit while the audio is kept.
  if (!Number.isFinite(maxAttempts)) return `${reason}: reconnecting in ${seconds(delayMs)} s... attempt ${attempt}, still recording`;
  return `${reason}: reconnecting in ${seconds(delayMs)} s... attempt ${attempt} of ${maxAttempts}`;
}

/**
 * A retry of the first connection. It has its own, smaller budget (a wrong host or a network that is down
 * should fail fast), so it says "to connect", not the --reconnect-attempts budget of later drops (issue 11.10).
 */
export function formatConnectRetry(reason: string, delayMs: number, attempt: number, maxAttempts: number): string {
  if (!Number.isFinite(maxAttempts))
    return `${reason}: trying again in ${seconds(delayMs)} s... attempt ${attempt} to connect, recording meanwhile (--keep-recording)`;
  return `${reason}: trying again in ${seconds(delayMs)} s... attempt ${attempt} of ${maxAttempts} to connect`;
}

export function formatReconnected(why: 'reconnect' | 'rollover', sessionId: string, replayMs: number): string {
  return why === 'rollover'
    ? `Session renewed before its time limit: ${sessionId}`
    : `Reconnected: session ${sessionId}, replaying ${seconds(replayMs)} s of audio`;
}

export const formatAudioLost = (lostMs: number): string =>
  `${seconds(lostMs)} s of audio was past the replay bound (--replay-limit): it is kept on disk and recovered through the pre-recorded API where possible` /* issue 22 */;

/** Stopped while no session was connected (issue 19.8): what the next session would have transcribed. */
export const formatStoppedInOutage = (untranscribedMs: number): string =>
  `stopped while the connection was down: ${seconds(untranscribedMs)} s of audio were never transcribed and are missing from the transcript`;

export function formatStopping(kind: StopKind): string {
  switch (kind) {
    case 'max-duration':
      return 'Maximum duration reached: stopping... waiting for the last words.';
    case 'until-silence':
      return 'Silence: stopping... waiting for the last words.';
    case 'once':
      return 'First turn received: stopping.';
    case 'pipe-closed':
      return 'Output closed: stopping.';
    case 'stop-phrase':
      return 'Stop phrase heard: stopping...';
    case 'user':
      return 'Stopping... waiting for the last words (Ctrl+C again to quit now).';
    default:
      return 'Stopping... waiting for the last words.';
  }
}

export interface RunSummary {
  /** Audio processed over all sessions, s. */
  audioProcessedS: number;
  /** Time the sessions were open over all, s. */
  sessionOpenS: number;
  sessions: number;
  reconnects: number;
  turns: number;
  /** The last session's end was confirmed by the service. */
  terminated: boolean;
  /** Audio that could not be transcribed (lost past the replay bound), ms: the transcript has a hole. */
  lostMs?: number;
  /** Audio sent, ms, and how much of it was silence added after a file's end (so its last turn ends). */
  sent?: { sentMs: number; paddingMs: number };
}

/** Exit 5, in words (issue 24.9). */
export const formatNothingHeard = (): string => 'No speech was heard: not one final turn came back (exit code 5).';

/** What was sent, when it is more than the input held: a file's trailing silence (issue 24.9). */
function formatSent(sent: RunSummary['sent']): string {
  if (sent === undefined || sent.paddingMs <= 0) return '';
  const inputS = Math.max(0, sent.sentMs - sent.paddingMs) / 1000;
  return ` Sent ${seconds(sent.sentMs)} s: the input's ${inputS.toFixed(1)} s, then ${seconds(sent.paddingMs)} s of silence so the last turn ends (the service counts whole seconds).`;
}

/** The closing line, for the whole run: every session, not only the last (issue 11.7). */
export function formatRunSummary(s: RunSummary): string {
  const turns = `${s.turns} ${s.turns === 1 ? 'turn' : 'turns'}`;
  const processed = `${Math.round(s.audioProcessedS)} s of audio processed`;
  const open = Math.round(s.sessionOpenS);
  const body =
    s.sessions <= 1
      ? `${processed}, session ${open} s, ${turns}`
      : `${processed} in ${s.sessions} sessions (${s.reconnects} ${s.reconnects === 1 ? 'reconnect' : 'reconnects'}), open ${open} s in all, ${turns}`;
  const tail = s.terminated ? '' : ' (the service did not confirm the end of the session)';
  const hole = s.lostMs === undefined || s.lostMs <= 0 ? '' : ` The transcript has a hole: ${seconds(s.lostMs)} s of audio could not be transcribed.`;
  return `Session ended: ${body}.${tail}${hole}${formatSent(s.sent)}`;
}

export const formatAudioSaved = (path: string, durationMs: number): string => `Audio saved: ${path} (${seconds(durationMs)} s)`;

export const formatSaveAudioFailed = (path: string, message: string): string =>
  `could not save the audio to ${path}: ${message}; transcription goes on`;

export const formatStdoutFailed = (message: string): string => `cannot write the transcript to stdout: ${message}`;

/** A second Ctrl+C: what happened, so the exit is not silent (issue 11.12). */
export const formatForcedStop = (): string =>
  'Stopped at once (second Ctrl+C): the session was told to end; words not yet final are not in the transcript.';

// Meetings (issue 13): a run with several sources.

/** The command lines a meeting refuses (config-meetings.ts). */
export const MEETING_REFUSALS = {
  systemAudioWithInput: {
    message: '--system-audio and --system-device record a device, not --input',
    hint: 'transcribe the file alone, or record the microphone and the system audio without --input',
  },
} as const;

/** A status line about one source of several, prefixed with its label. */
export const formatForSource = (label: string, text: string): string => `${label}: ${text}`;

export const formatSessionStartedFor = (label: string, sessionId: string): string => `Session started for ${label}: ${sessionId}`;
export const formatRecordingFromFor = (label: string, inputName: string): string => `Recording ${label} from ${inputName}`;

/** A source of several could not be opened or its session could not begin: the run does not start. */
export const formatSourceFailedToStart = (label: string, message: string): string => `${label}: ${message}`;

/** Issue 24.9: a meeting whose two sources are one device (the echo filter keeps one copy of each turn). */
export function formatSameDeviceTwice(device: string, labels: readonly [string, string], isDefault: boolean): string {
  const fix = isDefault
    ? `the default recording source is ${device}: name your microphone with --device (live-transcribe --list-devices shows the names)`
    : 'give each source its own device (live-transcribe --list-devices shows the names)';
  return `${labels[0]} and ${labels[1]} both record ${device}: every word is transcribed, and billed, twice; ${fix}`;
}

/** The system audio is muted at the sound server: it records silence until unmuted. */
export const formatSystemAudioMuted = (device: string): string => `the system audio ${device} is muted: it records silence until you unmute it`;

/** One source stopped during the run; the others go on, and the exit code will say the transcript is incomplete. */
export function formatSourceStopped(label: string, reason: string): string {
  return `${label} stopped: ${reason}; the other sources go on, and the transcript misses ${label} from here (exit code 6)`;
}

/** The closing line of one source of several (the run's summary line follows). */
export function formatSourceSummary(label: string, s: RunSummary): string {
  return formatForSource(label, formatRunSummary(s));
}
