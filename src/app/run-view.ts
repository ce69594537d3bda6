/**
 * What the user sees of the run's sources while it runs: the status bar's view (one source as always;
 * several with a level each, the system audio never "no sound") and the "Recording from ..." lines.
 */
import * as say from '../render/messages.js';
import type { SourcesState } from './sources.js';
import type { StatusBarView } from './status-bar.js';

export function runView(c: SourcesState): StatusBarView {
  const { channels, specs } = c;
  const base = channels[0]!.view();
  if (!c.several) return base;
  return {
    ...base,
    noSound: false,
    reconnecting: channels.some((ch) => ch.connection.state === 'reconnecting'),
    sources: channels.map((ch, i) => ({
      label: c.labelOf(i),
      levelDbfs: c.failed.has(i) ? Number.NEGATIVE_INFINITY : ch.monitor.meterDbfs,
      noSound: specs[i]?.kind === 'microphone' && !c.failed.has(i) && ch.monitor.noSound,
    })),
  };
}

/** "Recording from ..." for each running source. */
export async function recordingLines(c: SourcesState): Promise<string[]> {
  const lines: string[] = [];
  for (const [i, ch] of c.channels.entries()) {
    if (c.failed.has(i)) continue;
    const name = await ch.monitor.label();
    lines.push(c.several ? say.formatRecordingFromFor(c.labelOf(i), name) : say.formatRecordingFrom(name));
  }
  return lines;
}
