/** A run's recovery (issue 22): one recoverer for every source, told by each source's spool when a gap ends. */
import type { Channel } from './channel.js';
import type { Config } from '../options/resolve.js';
import type { Status } from '../render/status.js';
import type { TranscriptEvent } from '../transcript/records.js';
import { createRecoverer, type Recoverer, type RecoverySettings } from '../recovery/recoverer.js';

export type { Recoverer } from '../recovery/recoverer.js';

/** How long the end of a run waits for gaps still being recovered (then they are kept on disk). */
export const RECOVERY_SETTLE_MS = 120_000;

export interface RunRecoveryOptions {
  config: RecoverySettings;
  channels: readonly Channel[];
  emit: (event: TranscriptEvent) => void;
  status: Pick<Status, 'info' | 'warn'>;
  reserveIndexes: (n: number) => number;
}

export function startRecovery(o: RunRecoveryOptions): Recoverer {
  const recoverer = createRecoverer({
    config: o.config,
    emit: o.emit,
    info: (t) => o.status.info(t),
    warn: (t) => o.status.warn(t),
    reserveIndexes: o.reserveIndexes,
  });
  for (const ch of o.channels) ch.spool.onGapEnded = (gap) => recoverer.recover(gap, ch.label);
  return recoverer;
}

/** The outputs, with every event also kept in `log` when the -o file may be written again (not in append mode). */
export function logEvents<T extends { emit(event: TranscriptEvent): void }>(outputs: T, config: Pick<Config, 'output'>, log: TranscriptEvent[]): T {
  const file = config.output.file;
  if (file === undefined || file.mode === 'append') return outputs;
  const emit = outputs.emit.bind(outputs);
  return Object.assign(outputs, {
    emit: (event: TranscriptEvent) => {
      if (event.type !== 'partial') log.push(event);
      emit(event);
    },
  });
}
