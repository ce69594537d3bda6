/**
 * At the end of a run: close every source's spool, write a `lost` event for each gap not recovered (the run
 * ended before the service came back), and say where its audio is kept and how to transcribe it.
 */
import { formatSpoolKept, RUN_ENDED_OFFLINE } from '../render/recovery-messages.js';
import type { TranscriptEvent } from '../transcript/records.js';
import type { GapSpool } from './gap-spool.js';

export function reportKeptSpool(
  spools: ReadonlyArray<{ spool: GapSpool; label: string | undefined }>,
  warn: (line: string) => void,
  emit: (event: TranscriptEvent) => void,
): void {
  for (const { spool, label } of spools) {
    spool.close();
    for (const gap of spool.gaps) {
      if (gap.file.removed) continue;
      if (gap.lostReported !== true) {
        gap.lostReported = true;
        emit({
          type: 'gap',
          phase: 'lost',
          startMs: gap.startMs,
          durationMs: gap.file.durationMs,
          file: gap.file.path,
          reason: RUN_ENDED_OFFLINE,
          ...(label === undefined ? {} : { source: label }),
          time: new Date(),
        });
      }
      warn(formatSpoolKept(gap.file.path, gap.startMs, gap.file.durationMs));
    }
  }
}
