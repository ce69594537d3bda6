import { describe, expect, it, vi } from 'vitest';
import type { SourcesState } from '../../../src/app/sources.js';
import { createStopConditions, type StopConditionSettings } from '../../../src/app/stop-conditions.js';
import type { StopReason } from '../../../src/app/stop.js';

/** The sources as the stop conditions read them: `offsets` where each starts on the run's timeline, `sent` what each sent. */
function sources(offsets: number[], sent: number[], failed: number[] = []): SourcesState {
  return {
    specs: offsets.map((_, i) => ({ kind: i === 0 ? 'microphone' : 'system', label: i === 0 ? 'You' : 'Others' })),
    channels: offsets.map(() => ({}) as never),
    several: offsets.length > 1,
    failed: new Map(failed.map((i) => [i, 'capture-failed'])),
    ended: new Map(),
    labelOf: (i) => (i === 0 ? 'You' : 'Others'),
    offsetOf: (i) => offsets[i] ?? 0,
    runSentMs: (i) => (offsets[i] ?? 0) + (sent[i] ?? 0),
  };
}

function setup(settings: StopConditionSettings, state: SourcesState) {
  const stops: StopReason[] = [];
  const progress = vi.fn();
  const sent = createStopConditions({ settings, sources: state, transcript: { progress }, stop: (r) => stops.push(r) });
  return { sent, stops, progress };
}

describe('the stop conditions after each frame', () => {
  it('one source: --max-duration on its audio sent, --until-silence after the last word', () => {
    const max = setup({ once: false, maxDurationMs: 1000 }, sources([0], [0]));
    max.sent(0, 950, undefined);
    expect(max.stops).toEqual([]);
    max.sent(0, 1000, undefined);
    expect(max.stops).toEqual([{ kind: 'max-duration' }]);
    const silence = setup({ once: false, untilSilenceMs: 2000 }, sources([0], [0]));
    silence.sent(0, 3000, 1500);
    expect(silence.stops).toEqual([]);
    silence.sent(0, 3500, 1500);
    expect(silence.stops).toEqual([{ kind: 'until-silence' }]);
  });

  it("--max-duration counts the run's length: the source furthest on", () => {
    const { sent, stops, progress } = setup({ once: false, maxDurationMs: 1000 }, sources([0, 250], [0, 800]));
    sent(1, 800, undefined);
    expect(stops).toEqual([{ kind: 'max-duration' }]);
    expect(progress).toHaveBeenCalledWith('Others', 1050);
  });

  it('--until-silence waits for the source furthest behind, a failed source aside', () => {
    const behind = setup({ once: false, untilSilenceMs: 1000 }, sources([0, 0], [5000, 1500]));
    behind.sent(0, 5000, 1000);
    expect(behind.stops).toEqual([]);
    const failed = setup({ once: false, untilSilenceMs: 1000 }, sources([0, 0], [5000, 1500], [1]));
    failed.sent(0, 5000, 1000);
    expect(failed.stops).toEqual([{ kind: 'until-silence' }]);
  });
});
