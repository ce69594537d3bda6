/** A run's recovery (issue 22): one recoverer for every source, told by each source's spool when a gap ends. */
import type { Channel } from './channel.js';
import type { Config } from '../options/resolve.js';
import type { Status } from '../render/status.js';
import type { TranscriptEvent } from '../transcript/records.js';
import type { Recoverer, RecoverySettings } from '../recovery/recoverer.js';
import { formatRecoveryUnavailable } from '../render/recovery-messages.js';

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

/**
 * The recoverer's code (the pre-recorded API's client) is loaded when a first gap ends: most runs never have
 * one, and a plain run loads one file (scripts/bundle.mjs). A gap told meanwhile waits for it, in order.
 */
export function startRecovery(o: RunRecoveryOptions): Recoverer {
  let loaded: Recoverer | undefined;
  let loading: Promise<Recoverer | undefined> | undefined;
  const load = (): Promise<Recoverer | undefined> =>
    (loading ??= import('../recovery/recoverer.js').then(
      ({ createRecoverer }) =>
        (loaded = createRecoverer({
          config: o.config,
          emit: o.emit,
          info: (t) => o.status.info(t),
          warn: (t) => o.status.warn(t),
          reserveIndexes: o.reserveIndexes,
        })),
      (err: unknown) => void o.status.warn(formatRecoveryUnavailable(err instanceof Error ? err.message : String(err))),
    ));
  const recover: Recoverer['recover'] = (gap, source) => void load().then((r) => r?.recover(gap, source));
  for (const ch of o.channels) ch.spool.onGapEnded = (gap) => recover(gap, ch.label);
  return {
    recover,
    async settle(timeoutMs) {
      await (await loading)?.settle(timeoutMs);
    },
    get recoveredMs() {
      return loaded?.recoveredMs ?? 0;
    },
  };
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
