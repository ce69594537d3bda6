import { describe, expect, it } from 'vitest';
import { chooseExitCode, createStopLatch, stopConditionMet, stopError, type RunOutcome, type StopReason } from '../../../src/app/stop.js';
import { AppError, ErrorCode, ExitCode } from '../../../src/core/errors.js';
import type { StopConditions } from '../../../src/core/types.js';

describe('createStopLatch', () => {
  it('keeps the first reason and ignores the later ones', async () => {
    const latch = createStopLatch();
    const failure = new AppError(ErrorCode.capture, 'sox died');
    latch.stop({ kind: 'max-duration' });
    latch.stop({ kind: 'user' });
    latch.stop({ kind: 'capture-failed', error: failure });
    await expect(latch.stopped).resolves.toEqual({ kind: 'max-duration' });
  });

  it('keeps a first reason that carries an error', async () => {
    const latch = createStopLatch();
    const failure = new AppError(ErrorCode.server, 'gone');
    latch.stop({ kind: 'session-ended', error: failure });
    latch.stop({ kind: 'user' });
    const reason = await latch.stopped;
    expect(reason).toEqual({ kind: 'session-ended', error: failure });
    expect(stopError(reason)).toBe(failure);
  });

  it('is not forced until force(), and force() does not settle the stop by itself', async () => {
    const latch = createStopLatch();
    expect(latch.forced).toBe(false);
    latch.force();
    expect(latch.forced).toBe(true);
    const settled = await Promise.race([latch.stopped.then(() => 'stopped'), Promise.resolve('pending')]);
    expect(settled).toBe('pending');
    latch.stop({ kind: 'user' });
    await expect(latch.stopped).resolves.toEqual({ kind: 'user' });
    expect(latch.forced).toBe(true);
  });
});

describe('stopConditionMet', () => {
  const none: StopConditions = { once: false };
  const max: StopConditions = { once: false, maxDurationMs: 10_000 };
  const silence: StopConditions = { once: false, untilSilenceMs: 3000 };
  const both: StopConditions = { once: false, maxDurationMs: 10_000, untilSilenceMs: 3000 };
  const cases: { name: string; conditions: StopConditions; sentMs: number; speechEndMs: number | undefined; want: string | undefined }[] = [
    { name: 'no conditions', conditions: none, sentMs: 1_000_000, speechEndMs: 0, want: undefined },
    { name: 'max duration: just under the limit', conditions: max, sentMs: 9950, speechEndMs: undefined, want: undefined },
    { name: 'max duration: exactly at the limit', conditions: max, sentMs: 10_000, speechEndMs: undefined, want: 'max-duration' },
    { name: 'max duration: past the limit', conditions: max, sentMs: 10_050, speechEndMs: undefined, want: 'max-duration' },
    { name: 'until silence: no speech yet, however long', conditions: silence, sentMs: 60_000, speechEndMs: undefined, want: undefined },
    { name: 'until silence: speech ended, not long enough', conditions: silence, sentMs: 5950, speechEndMs: 3000, want: undefined },
    { name: 'until silence: speech ended exactly that long ago', conditions: silence, sentMs: 6000, speechEndMs: 3000, want: 'until-silence' },
    { name: 'until silence: speech ended at 0', conditions: silence, sentMs: 3000, speechEndMs: 0, want: 'until-silence' },
    { name: 'both: max duration wins when both are met', conditions: both, sentMs: 10_000, speechEndMs: 1000, want: 'max-duration' },
    { name: 'both: silence before the limit', conditions: both, sentMs: 4000, speechEndMs: 1000, want: 'until-silence' },
    { name: 'both: neither', conditions: both, sentMs: 4000, speechEndMs: 2000, want: undefined },
  ];
  it.each(cases)('$name', ({ conditions, sentMs, speechEndMs, want }) => {
    expect(stopConditionMet(conditions, sentMs, speechEndMs)).toBe(want);
  });
});

describe('stopError', () => {
  const error = new AppError(ErrorCode.network, 'down');
  const cases: { reason: StopReason; want: AppError | undefined }[] = [
    { reason: { kind: 'user' }, want: undefined },
    { reason: { kind: 'pipe-closed' }, want: undefined },
    { reason: { kind: 'end-of-input' }, want: undefined },
    { reason: { kind: 'max-duration' }, want: undefined },
    { reason: { kind: 'once' }, want: undefined },
    { reason: { kind: 'until-silence' }, want: undefined },
    { reason: { kind: 'stop-phrase' }, want: undefined },
    { reason: { kind: 'capture-failed', error }, want: error },
    { reason: { kind: 'session-ended', error }, want: error },
    { reason: { kind: 'output-failed', error }, want: error },
  ];
  it.each(cases)('$reason.kind', ({ reason, want }) => {
    expect(stopError(reason)).toBe(want);
  });
});

describe('chooseExitCode', () => {
  const error = new AppError(ErrorCode.network, 'down');
  const cases: { name: string; outcome: RunOutcome; want: number }[] = [
    { name: 'turns written, nothing lost: success', outcome: { finals: 2, lostMs: 0 }, want: ExitCode.ok },
    { name: 'not one final turn: nothing was said', outcome: { finals: 0, lostMs: 0 }, want: ExitCode.nothingSaid },
    { name: 'audio lost past the replay bound: the transcript has a hole', outcome: { finals: 2, lostMs: 50 }, want: ExitCode.transcriptHole },
    {
      name: 'audio lost and no turn: a hole, not "nothing was said" (something may have been)',
      outcome: { finals: 0, lostMs: 50 },
      want: ExitCode.transcriptHole,
    },
    { name: 'a source failed in a multi-source run: a hole', outcome: { finals: 4, lostMs: 0, sourcesFailed: 1 }, want: ExitCode.transcriptHole },
    { name: 'an error wins over both', outcome: { finals: 0, lostMs: 50, sourcesFailed: 1, error }, want: ExitCode.failure },
  ];
  it.each(cases)('$name', ({ outcome, want }) => {
    expect(chooseExitCode(outcome)).toBe(want);
  });
  it('5 and 6 are their own codes, apart from success, errors and a forced stop', () => {
    expect([ExitCode.nothingSaid, ExitCode.transcriptHole]).toEqual([5, 6]);
    expect(new Set(Object.values(ExitCode)).size).toBe(Object.values(ExitCode).length);
  });
});
