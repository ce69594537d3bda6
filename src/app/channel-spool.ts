/**
 * A channel's spool, from the run's config and io: the folder (XDG cache or temporary), the limit
 * (--spool-limit, default 4 h), the sentences for a full spool or a failed write (once each).
 */
import { DEFAULT_SPOOL_LIMIT_MS, spoolDirectory } from '../audio/spool.js';
import type { AudioSource } from '../audio/source.js';
import type { Config } from '../options/resolve.js';
import type { RunIO } from './io.js';
import { formatSpoolFailed, formatSpoolFull } from '../render/recovery-messages.js';
import type { Status } from '../render/status.js';
import type { ConnectionEvent } from '../streaming/connection.js';
import type { TranscriptEvent } from '../transcript/records.js';
import { createGapSpool, type GapSpool } from '../recovery/gap-spool.js';

/** What the spool reads of the run's settings. */
export type SpoolSettings = Pick<Config, 'input' | 'spoolLimitMs'>;

export interface ChannelSpoolOptions {
  config: SpoolSettings;
  io: RunIO;
  source: AudioSource;
  frameMs: number;
  status: Pick<Status, 'warn'>;
  /** A source of a meeting: its label and where its audio starts on the run's timeline. */
  label?: string;
  offsetMs?: () => number;
  /** The run's transcript events (the `gap` events of NDJSON). */
  emit?: (event: TranscriptEvent) => void;
}

export function createChannelSpool(o: ChannelSpoolOptions): GapSpool {
  const dir = spoolDirectory({ env: o.io.env, platform: o.io.platform, homedir: o.io.homedir ?? '', tmpdir: o.io.tmpdir ?? '/tmp' });
  return createGapSpool({
    dir,
    format: o.source.format,
    label: o.label ?? (o.config.input.kind === 'microphone' ? 'microphone' : o.source.label.replace(/^.*[\\/]/, '')),
    limitMs: o.config.spoolLimitMs ?? DEFAULT_SPOOL_LIMIT_MS,
    pid: o.io.pid ?? 0,
    frameMs: o.frameMs,
    offsetMs: o.offsetMs ?? (() => 0),
    now: Date.now,
    onFull: (limitMs) => o.status.warn(formatSpoolFull(limitMs)),
    onError: (err) => o.status.warn(formatSpoolFailed(dir, err.message)),
    onGapStarted: (gap) =>
      o.emit?.({
        type: 'gap',
        phase: 'spooling',
        startMs: gap.startMs,
        durationMs: 0,
        file: gap.file.path,
        ...(o.label === undefined ? {} : { source: o.label }),
        time: new Date(),
      }),
  });
}

/** The connection's events, with the spool told first when a session begins after an outage or an offline start (the gap is over). */
export function withGapEnd(spool: GapSpool, onEvent: (e: ConnectionEvent) => void): (e: ConnectionEvent) => void {
  return (e) => {
    if (e.type === 'reconnecting') spool.offlineSince ??= Date.now();
    if (e.type === 'session') spool.offlineSince = undefined;
    if (e.type === 'session' && e.why !== 'rollover') spool.endGap();
    onEvent(e);
  };
}
