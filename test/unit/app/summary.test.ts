import { describe, expect, it } from 'vitest';
import type { Channel } from '../../../src/app/channel.js';
import type { SourcesState } from '../../../src/app/sources.js';
import { lostResult, summarize } from '../../../src/app/summary.js';
import { AppError, ErrorCode } from '../../../src/core/errors.js';
import type { TranscriptEvent } from '../../../src/transcript/records.js';

const channel = (sentMs: number, audioProcessedS: number): Channel =>
  ({
    path: { sentMs },
    connection: { totals: { sessions: 1, confirmed: 1, reconnects: 0, audioProcessedS, sessionOpenS: audioProcessedS + 1, lostMs: 0 } },
  }) as unknown as Channel;

function state(channels: Channel[], failed: [number, string][] = []): SourcesState {
  const labels = ['You', 'Others'];
  return {
    specs: channels.map((_, i) => ({ kind: i === 0 ? 'microphone' : 'system', label: labels[i]! })),
    channels,
    several: channels.length > 1,
    failed: new Map(failed),
    ended: new Map(),
    labelOf: (i) => labels[i]!,
    offsetOf: () => 0,
    runSentMs: (i) => channels[i]!.path.sentMs,
  };
}

function run(s: SourcesState, turnsOf: Record<string, number>) {
  const events: TranscriptEvent[] = [];
  const lines: string[] = [];
  const transcript = {
    event: (e: TranscriptEvent) => void events.push(e),
    turns: Object.values(turnsOf).reduce((a, b) => a + b, 0),
    turnsOf: (l: string) => turnsOf[l] ?? 0,
  };
  summarize({
    sources: s,
    transcript,
    status: { info: (t) => void lines.push(t) },
    reason: { kind: 'user' },
    run: s.channels,
    results: s.channels.map(() => ({ terminated: true })) as never,
  });
  return { events, lines };
}

describe('the summary of a run', () => {
  it('one source: one termination event through the transcript, one summary line', () => {
    const { events, lines } = run(state([channel(4000, 4)]), { '': 2 });
    expect(events).toEqual([
      expect.objectContaining({ type: 'termination', reason: 'user', audioSentMs: 4000, audioDurationS: 4, sessions: 1, turns: 2 }),
    ]);
    expect(events[0]).not.toHaveProperty('source');
    expect(lines).toHaveLength(1);
  });

  it("several sources: a termination per source (with why it ended), then the run's over the longest", () => {
    const { events, lines } = run(state([channel(4000, 4), channel(3000, 3)], [[1, 'capture-failed']]), { You: 2, Others: 1 });
    expect(events.map((e) => (e.type === 'termination' ? [e.source, e.reason, e.audioSentMs, e.turns] : []))).toEqual([
      ['You', 'user', 4000, 2],
      ['Others', 'capture-failed', 3000, 1],
      [undefined, 'user', 4000, 3],
    ]);
    expect(lines).toHaveLength(3);
  });

  it('lostResult: the error only when every session was lost at the end', () => {
    const s = state([channel(1000, 1)]);
    const error = new AppError(ErrorCode.network, 'lost');
    expect(lostResult(s, s.channels, [{ terminated: false, error }] as never)).toBe(error);
    expect(lostResult(s, s.channels, [{ terminated: true }] as never)).toBeUndefined();
  });
});
