/**
 * Recovery of gaps (issue 22): once a source's connection is back, each gap its spool kept is transcribed in
 * the background through the pre-recorded API (batch/prerecorded.ts), its words placed on the run's timeline at
 * the gap's start, emitted as turns marked `recovered`; then the transcript is deleted at the service and the
 * spool file removed. Live turns never wait for it. A gap that cannot be recovered keeps its file (listed at
 * the end of the run). Needs the API key: with a temporary token gaps are only kept.
 */
import { readFile } from 'node:fs/promises';
import type { Config } from '../options/resolve.js';
import { prerecordedBaseUrl } from '../batch/hosts.js';
import { PrerecordedClient, PrerecordedError } from '../batch/prerecorded.js';
import { transcriptOptionsFor } from '../batch/transcript-request.js';
import { transcriptTurns } from '../batch/turns.js';
import { formatPrerecordedFailure } from '../render/batch-messages.js';
import * as say from '../render/recovery-messages.js';
import type { TranscriptEvent } from '../transcript/records.js';
import type { Gap } from './gap-spool.js';

/** The settings recovery reads: the credential (a key is needed), the host, and what was asked of the model. */
export type RecoverySettings = Pick<Config, 'auth' | 'endpoint' | 'params'>;

export interface RecovererOptions {
  config: RecoverySettings;
  emit: (event: TranscriptEvent) => void;
  info: (line: string) => void;
  warn: (line: string) => void;
  /** Run-wide turn indexes for the recovered turns (the assembler's). */
  reserveIndexes: (n: number) => number;
  /** Tests: a faster poll. */
  client?: PrerecordedClient;
}

export interface Recoverer {
  /** Starts recovering a gap whose outage is over (once per gap). */
  recover(gap: Gap, source?: string): void;
  /** Resolves when every recovery started has ended, or after timeoutMs. */
  settle(timeoutMs: number): Promise<void>;
  readonly recoveredMs: number;
}

/** docs/service.md#polling: give up on a gap's transcript after a minute plus twice its duration. */
const pollBound = (durationMs: number): number => 60_000 + 2 * durationMs;

export function createRecoverer(o: RecovererOptions): Recoverer {
  const key = o.config.auth.kind === 'key' ? o.config.auth.apiKey : undefined;
  const client = o.client ?? (key === undefined ? undefined : new PrerecordedClient({ baseUrl: prerecordedBaseUrl(o.config.endpoint), apiKey: key }));
  const pending = new Set<Promise<void>>();
  const started = new Set<Gap>();
  let recoveredMs = 0;
  let saidNoKey = false;

  const gapEvent = (
    gap: Gap,
    phase: 'recovering' | 'recovered' | 'lost',
    source: string | undefined,
    extra: { turns?: number; reason?: string } = {},
  ): void =>
    o.emit({
      type: 'gap',
      phase,
      startMs: gap.startMs,
      durationMs: gap.file.durationMs,
      file: gap.file.path,
      ...extra,
      ...(source === undefined ? {} : { source }),
      time: new Date(),
    });

  const run = async (c: PrerecordedClient, gap: Gap, source: string | undefined): Promise<void> => {
    const durationMs = gap.file.durationMs;
    o.info(say.formatGapRecovering(gap.startMs, durationMs));
    gapEvent(gap, 'recovering', source);
    let id: string | undefined;
    try {
      const url = await c.upload(await readFile(gap.file.path));
      id = await c.create(url, transcriptOptionsFor(o.config.params));
      const t = await c.waitFor(id, pollBound(durationMs));
      const made = transcriptTurns(t, {
        sessionId: t.id,
        firstIndex: 0,
        offsetMs: gap.startMs,
        time: new Date(),
        ...(source === undefined ? {} : { source }),
      });
      const first = o.reserveIndexes(made.length);
      for (const turn of made) o.emit({ type: 'turn', turn: { ...turn, index: first + turn.index, recovered: true } });
      await c.remove(id);
      id = undefined;
      gap.file.remove();
      gap.recovered = true;
      recoveredMs += durationMs;
      gapEvent(gap, 'recovered', source, { turns: made.length });
      o.info(say.formatGapRecovered(gap.startMs, durationMs, made.length));
    } catch (err) {
      const why = err instanceof PrerecordedError ? formatPrerecordedFailure(err.failure).message : err instanceof Error ? err.message : String(err);
      o.warn(say.formatGapNotRecovered(gap.startMs, durationMs, why));
      gap.lostReported = true;
      gapEvent(gap, 'lost', source, { reason: why });
      if (id !== undefined) await c.remove(id).catch(() => undefined);
    }
  };

  return {
    recover(gap, source) {
      if (started.has(gap)) return;
      started.add(gap);
      if (client === undefined) {
        if (!saidNoKey) o.warn(say.RECOVERY_NEEDS_KEY);
        saidNoKey = true;
        gap.lostReported = true;
        gapEvent(gap, 'lost', source, { reason: say.RECOVERY_NEEDS_KEY });
        return;
      }
      const p = run(client, gap, source).finally(() => pending.delete(p));
      pending.add(p);
    },
    async settle(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.all([...pending]), timeout]);
      clearTimeout(timer);
    },
    get recoveredMs() {
      return recoveredMs;
    },
  };
}
