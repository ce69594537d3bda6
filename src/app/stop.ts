/**
 * The stop latch: the first reason to stop wins, later ones are ignored; the run awaits `stopped`. Also the
 * stop conditions that depend on audio and turns (--max-duration, --until-silence), and which reasons end
 * the run with an error.
 */
import { ExitCode, exitCodeFor, type AppError } from '../core/errors.js';
import type { StopConditions, StopKind } from '../core/types.js';

export type StopReason =
  | { kind: StopKind }
  | { kind: 'capture-failed'; error: AppError }
  | { kind: 'session-ended'; error: AppError }
  /** No new session can take over (a used --token): the live one is ended in good order, then this error. */
  | { kind: 'cannot-renew'; error: AppError }
  | { kind: 'output-failed'; error: AppError };

export interface StopLatch {
  /** Records the first reason; the rest are ignored. */
  stop(reason: StopReason): void;
  readonly stopped: Promise<StopReason>;
  /** A second Ctrl+C: everything stops at once, exit 130. */
  force(): void;
  readonly forced: boolean;
}

export function createStopLatch(): StopLatch {
  let settle!: (reason: StopReason) => void;
  let settled = false;
  let forced = false;
  const stopped = new Promise<StopReason>((resolve) => {
    settle = resolve;
  });
  return {
    stop(reason) {
      if (settled) return;
      settled = true;
      settle(reason);
    },
    stopped,
    force() {
      forced = true;
    },
    get forced() {
      return forced;
    },
  };
}

/** The stop condition met after this much audio was sent, if any (pure). */
export function stopConditionMet(conditions: StopConditions, sentMs: number, speechEndMs: number | undefined): StopKind | undefined {
  if (conditions.maxDurationMs !== undefined && sentMs >= conditions.maxDurationMs) return 'max-duration';
  if (conditions.untilSilenceMs !== undefined && speechEndMs !== undefined && sentMs - speechEndMs >= conditions.untilSilenceMs) {
    return 'until-silence';
  }
  return undefined;
}

/** The error a stop reason carries: the run ends with its exit code after writing what it has. */
export function stopError(reason: StopReason): AppError | undefined {
  return 'error' in reason ? reason.error : undefined;
}

/** What a run that got as far as the end knows about itself, for its exit code. */
export interface RunOutcome {
  /** Final turns written. */
  finals: number;
  /** Audio lost past the replay bound, ms (ConnectionTotals.lostMs, summed over the sources). */
  lostMs: number;
  /** Sources of a multi-source run that failed while others went on. */
  sourcesFailed?: number;
  /** The error the run ends with, if any: its own exit code wins. */
  error?: AppError | undefined;
}

/**
 * The exit code of a run that ended: an error's own code; else 6 when the transcript has a hole (audio lost, a
 * source failed), else 5 when nothing was said (not one final turn), else 0 (pure).
 */
export function chooseExitCode(o: RunOutcome): ExitCode {
  if (o.error !== undefined) return exitCodeFor(o.error);
  if (o.lostMs > 0 || (o.sourcesFailed ?? 0) > 0) return ExitCode.transcriptHole;
  if (o.finals === 0) return ExitCode.nothingSaid;
  return ExitCode.ok;
}
