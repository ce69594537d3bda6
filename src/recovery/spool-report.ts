/** At the end of a run: close every source's spool and say where the audio the service missed is kept. */
import { formatSpoolKept } from '../render/recovery-messages.js';
import type { GapSpool } from './gap-spool.js';

export function reportKeptSpool(spools: readonly GapSpool[], warn: (line: string) => void): void {
  for (const spool of spools) {
    spool.close();
    for (const gap of spool.gaps) if (!gap.file.removed) warn(formatSpoolKept(gap.file.path, gap.startMs, gap.file.durationMs));
  }
}
