import { describe, expect, it, vi } from 'vitest';
import type { Channel } from '../../../src/app/channel.js';
import { createSources } from '../../../src/app/sources.js';
import type { StopReason } from '../../../src/app/stop.js';
import { AppError, ErrorCode } from '../../../src/core/errors.js';
import type { SourceSpec } from '../../../src/options/source-specs.js';

const SPECS: SourceSpec[] = [
  { kind: 'microphone', label: 'You' },
  { kind: 'system', device: 'spk.monitor', label: 'Others' },
];

/** A channel with only what the meeting reads; its calls recorded. */
function fakeChannel(firstAudioAt: number, sentMs: number): Channel {
  return {
    label: undefined,
    path: { firstAudioAt, sentMs, drop: vi.fn() },
    source: { stop: vi.fn(async () => undefined) },
    connection: {
      terminate: vi.fn(async () => ({ terminated: true })),
      state: 'open',
      sessionId: 's',
      totals: { sessions: 1, confirmed: 1, reconnects: 0, audioProcessedS: 1, sessionOpenS: 1 },
    },
    monitor: { meterDbfs: -30, noSound: false },
    expectTwin: false,
  } as unknown as Channel;
}

function setup(specs = SPECS) {
  const stops: StopReason[] = [];
  const warnings: string[] = [];
  const channels = [fakeChannel(1000, 0), fakeChannel(1250, 0)];
  const m = createSources({
    specs,
    channels,
    transcript: { end: vi.fn(), progress: vi.fn(), open: vi.fn(), event: vi.fn(), turns: 0, turnsOf: () => 0 } as never,
    outputs: { status: { warn: (t: string) => warnings.push(t), info: vi.fn() } as never, terminal: { partial: vi.fn() } as never },
    stop: (r) => stops.push(r),
    terminationTimeoutMs: 100,
    now: () => 1000,
  });
  m.startClock();
  return { m, stops, warnings, channels };
}

const failure = (message: string): StopReason => ({ kind: 'capture-failed', error: new AppError(ErrorCode.capture, message) });

describe('the sources of one run (a meeting: several)', () => {
  it('a source that fails stops alone and is named; the run stops only when none is left', async () => {
    const { m, stops, warnings, channels } = setup();
    m.stopFor(0)(failure('SoX died'));
    expect(stops).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/^You stopped: SoX died; the other sources go on/)]);
    expect(m.incomplete).toBe(true);
    expect(m.running()).toEqual([channels[1]]);
    expect(channels[0]!.source.stop).toHaveBeenCalled();
    m.stopFor(1)(failure('gone'));
    expect(stops).toEqual([failure('gone')]);
    await m.stopped();
  });

  it('a user stop from any source stops the run', () => {
    const { m, stops } = setup();
    m.stopFor(1)({ kind: 'user' });
    expect(stops).toEqual([{ kind: 'user' }]);
    expect(m.incomplete).toBe(false);
  });

  it("each source's audio starts where its capture started on the run's timeline", () => {
    const { m } = setup();
    expect([m.offsetOf(0), m.offsetOf(1)]).toEqual([0, 250]);
  });

  it('one source: no offsets, and a failure stops the run as it always did', () => {
    const { m, stops } = setup([{ kind: 'microphone', label: 'You' }]);
    expect(m.offsetOf(1)).toBe(0);
    m.stopFor(0)(failure('SoX died'));
    expect(stops).toEqual([failure('SoX died')]);
  });
});
