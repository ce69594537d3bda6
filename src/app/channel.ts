/**
 * One audio source with everything that is its own: the audio path, the microphone monitor and the
 * connection (its sessions, reconnects and replay). Its turns feed the run's one transcript. A run with
 * several sources (a meeting: the microphone and the system audio) has one channel each.
 */
import type { AudioSource } from '../audio/source.js';
import type { Config } from '../options/resolve.js';
import { DEFAULT_START_ATTEMPTS } from '../core/defaults.js';
import { execCommand } from '../system/exec.js';
import { formatPauseToggled } from '../render/messages.js';
import type { Status } from '../render/status.js';
import { levelDbfs } from '../audio/level.js';
import { createConnection, QUIET_DBFS, type Connection } from '../streaming/connection.js';
import { expectsFormattedTwin } from '../streaming/protocol.js';
import { sessionProxy } from '../streaming/proxy.js';
import { openSession } from '../streaming/session.js';
import { createTokenSource } from '../streaming/tokens.js';
import type { Assembler } from '../transcript/assembler.js';
import type { TranscriptEvent } from '../transcript/records.js';
import type { InputSpec, StreamingParams } from '../core/types.js';
import { createAudioPath, type AudioPath } from './audio-path.js';
import type { RunIO } from './io.js';
import { createMicMonitor, type MicMonitor } from './mic-monitor.js';
import { createSessionEvents, type SessionEventsOptions } from './session-events.js';
import { formatForSource } from '../render/messages.js';
import type { StatusBarView } from './status-bar.js';
import type { StopReason } from './stop.js';
import { createChannelSpool, withGapEnd, type SpoolSettings } from './channel-spool.js';
import type { GapSpool } from '../recovery/gap-spool.js';

/** A --token-command that has not printed a token after this long has failed. */
const TOKEN_COMMAND_TIMEOUT_MS = 30_000;

/** The settings a channel reads: how to reach the service and what to ask of it. */
export type ChannelSettings = Pick<
  Config,
  'auth' | 'connectTimeoutMs' | 'endpoint' | 'params' | 'reconnectAttempts' | 'replayLimitMs' | 'keepRecording'
> &
  SpoolSettings;

export interface ChannelOptions {
  config: ChannelSettings;
  io: RunIO;
  source: AudioSource;
  /** What the source was opened from (its own, not the run's: one of several has its own device). */
  input: InputSpec;
  savedAudio: { write(pcm: Buffer): void } | undefined;
  transcript: Pick<Assembler, 'turn' | 'endSession'> & Partial<Pick<Assembler, 'beginSession' | 'reviseSpeakers'>>;
  /** Where its events other than turns go: the run transcript's `event` (never the outputs directly). */
  emit: (event: TranscriptEvent) => void;
  status: Status;
  stop: (reason: StopReason) => void;
  /** After each frame sent, with the audio sent so far (the run's stop conditions). */
  onSent: (sentMs: number) => void;
  /** One source of several (issue 13); absent for a run with one source, which stays as it always was. */
  meeting?: {
    label: string;
    kind: 'microphone' | 'system';
    /** The device recorded (the system audio found at prepare time), for the monitor's messages. */
    device: string | undefined;
    /** Where this source's audio starts on the run's timeline (ms). */
    offsetMs: () => number;
    onTurn: NonNullable<SessionEventsOptions['onTurn']>;
  };
}

export interface Channel {
  /** The source's label in a run with several (`You`, `Others`); undefined with one. */
  readonly label: string | undefined;
  readonly source: AudioSource;
  readonly path: AudioPath;
  readonly monitor: MicMonitor;
  readonly connection: Connection;
  readonly params: StreamingParams;
  /** The model sends each final twice, unformatted then formatted (docs/service.md#turns). */
  readonly expectTwin: boolean;
  /** The first session began: audio flows to it from now on. */
  begin(): void;
  /** Pauses or resumes; says so unless `quiet` (a run with several sources says it once). Returns whether paused. */
  togglePause(quiet?: boolean): boolean;
  view(): StatusBarView;
  /** Issue 22: the audio this source's connection could not replay, kept on disk. */
  readonly spool: GapSpool;
}

/** The source's monitor (level, no sound, device lost), its messages named after the source in a meeting. */
function channelMonitor(o: ChannelOptions): MicMonitor {
  const m = o.meeting;
  const named = (t: string): string => (m === undefined ? t : formatForSource(m.label, t));
  // System audio is silent whenever nothing plays: no silent-microphone warning for it.
  const quiet = m?.kind === 'system';
  const microphone = o.input.kind === 'microphone';
  return createMicMonitor({
    source: o.source,
    deviceName: o.input.kind === 'microphone' ? o.input.device : undefined,
    lookUpDevice: o.source.live && microphone,
    platform: o.io.platform,
    env: o.io.env,
    exec: execCommand,
    warn: (t) => (quiet ? undefined : o.status.warn(named(t))),
    info: (t) => (quiet ? undefined : o.status.info(named(t))),
  });
}

/** A token per session: a key always, a --token once, --token-command's output each time (docs/service.md#reconnecting-and-rollover). */
function channelTokens(auth: ChannelSettings['auth'], io: RunIO) {
  return createTokenSource(
    auth,
    (command) => {
      const exec = { env: io.env, timeoutMs: TOKEN_COMMAND_TIMEOUT_MS, platform: io.platform };
      return io.platform === 'win32' ? execCommand('cmd.exe', ['/d', '/s', '/c', command], exec) : execCommand('/bin/sh', ['-c', command], exec);
    },
    (token) => io.secrets?.add(token),
  );
}

export function createChannel(o: ChannelOptions): Channel {
  const { config, io, source } = o;
  const params = { ...config.params, sampleRateHz: source.format.sampleRateHz, encoding: source.format.encoding };
  const microphone = o.input.kind === 'microphone';
  const m = o.meeting;
  const monitor = channelMonitor(o);
  const path: AudioPath = createAudioPath({
    source,
    ...(o.savedAudio === undefined ? {} : { savedAudio: o.savedAudio }),
    onFrame: (captured, paused) => {
      if (!paused) monitor.push(captured, path.frameMs);
      o.onSent(path.sentMs);
    },
    // SoX exiting by itself without an error means it got the terminal's Ctrl+C first: a user stop.
    onEnd: (error) => o.stop(error !== undefined ? { kind: 'capture-failed', error } : source.live ? { kind: 'user' } : { kind: 'end-of-input' }),
  });
  /** The status bar's clock counts the run, not the current session (issue 11.7). */
  let startedAt = 0;
  const tokens = channelTokens(config.auth, io);
  // Issue 22: audio older than the replay bound that no session acknowledged goes to the spool.
  const spool = createChannelSpool({
    config,
    io,
    source,
    frameMs: path.frameMs,
    status: o.status,
    emit: o.emit,
    ...(m === undefined ? {} : { label: m.label, offsetMs: m.offsetMs }),
  });
  const connection = createConnection({
    ...(config.replayLimitMs === undefined ? {} : { bufferMs: config.replayLimitMs }),
    onLostAudio: (frames, firstIndex) => spool.lost(frames, firstIndex),
    keepsLostAudio: () => spool.hasRoom,
    open: async ({ onEvent, signal }) =>
      openSession({
        endpoint: config.endpoint,
        auth: await tokens.next(),
        params,
        userAgent: io.userAgent,
        handshakeTimeoutMs: config.connectTimeoutMs,
        beginTimeoutMs: config.connectTimeoutMs,
        onEvent,
        signal,
        ...(await sessionProxy(config.endpoint, io.env)),
      }),
    frameMs: path.frameMs,
    // A rollover hands over only in quiet audio (issue 19.1).
    isQuiet: (frame) => levelDbfs(frame, params.encoding) < QUIET_DBFS,
    renewal: (why) => tokens.renewal(why),
    maxAttempts: config.reconnectAttempts,
    startAttempts: Math.min(DEFAULT_START_ATTEMPTS, config.reconnectAttempts),
    // Issue 22: an outage is retried without a limit while the spool has room (the start too with --keep-recording).
    keepTrying: (why) => spool.hasRoom && (why === 'reconnect' || config.keepRecording === true),
    onEvent: withGapEnd(
      spool,
      createSessionEvents({
        transcript: o.transcript,
        emit: o.emit,
        status: o.status,
        params,
        input: m?.kind === 'system' ? 'system-audio' : microphone ? 'microphone' : source.label,
        onFailed: (error) => o.stop({ kind: 'session-ended', error }),
        ...(m === undefined ? {} : { source: m.label, channelOffsetMs: m.offsetMs, onTurn: m.onTurn }),
        onCannotRenew: (error) => o.stop({ kind: 'cannot-renew', error }),
      }),
    ),
  });

  return {
    label: m?.label,
    source,
    path,
    monitor,
    connection,
    params,
    expectTwin: expectsFormattedTwin(params),
    spool,
    begin() {
      path.attach(connection);
      startedAt = Date.now();
    },
    togglePause(quiet = false) {
      const paused = path.togglePause();
      if (!paused) monitor.reset();
      if (!quiet) o.status.info(formatPauseToggled(paused));
      return paused;
    },
    view: () => ({
      live: source.live,
      label: source.label,
      durationMs: source.durationMs,
      sentMs: path.sentMs,
      paused: path.paused,
      reconnecting: connection.state === 'reconnecting',
      reconnectAttempt: connection.attempt,
      sessionId: connection.sessionId,
      sessionMs: Date.now() - startedAt,
      levelDbfs: monitor.meterDbfs,
      noSound: monitor.noSound,
      ...(spool.offlineSince === undefined ? {} : { offline: { sinceMs: spool.offlineSince, spooledMs: spool.spooledMs, nowMs: Date.now() } }),
    }),
  };
}
