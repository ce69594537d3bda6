/**
 * Faults: the errors the double raises and when (docs/service.md, sections errors-and-close-codes, audio and
 * limits): bad frame durations and a too-fast sender (3007), expiry (3008), concurrency refusals at connect (3009 / 1008), scheduled mid-session
 * errors, errors without a close, and abrupt drops. The mechanics of sending an Error and closing live in
 * ./session.ts; this file decides which fault happens.
 */
import type { ResolvedOptions } from './options.js';
import type { SessionRecord } from './records.js';

/** Observed reason on every error close (docs/service.md#errors-and-close-codes). */
export const ERROR_CLOSE_REASON = 'See Error message for details';
export const EXPIRED_MESSAGE = 'Session Expired: Maximum session duration exceeded';
export const TOO_MANY_SESSIONS_MESSAGE = 'Unauthorized Connection: Too many concurrent sessions';
const MIN_FRAME_MS = 50;
const MAX_FRAME_MS = 1000;
/** Lenient mode: 20 ms frames were rejected at the 49th frame (~977 ms, docs/service.md#audio): the limit lies in (960, 980]. */
const LENIENT_SHORT_RUN_LIMIT_MS = 975;

/** What a session offers the fault schedule. */
export interface FaultHost {
  setTimer(fn: () => void, ms: number): void;
  /** Error frame, then a close with the same code (docs/service.md#errors-and-close-codes). */
  fail(code: number, message: string): void;
  /** Error frame and then silence, no close (docs/service.md#limits). */
  errorWithoutClosing(code: number, message: string): void;
  /** Abrupt TCP destroy (the client sees 1006). */
  drop(): void;
  /** docs/service.md#limits: the session reached expires_at. */
  expire(): void;
}

/** After Begin: the session's expiry and the faults the options ask for. */
export function scheduleFaults(opts: ResolvedOptions, host: FaultHost, sessionSeconds: number): void {
  host.setTimer(() => host.expire(), sessionSeconds * 1000);
  const { errorAfter, errorWithoutClose, dropAfterMs } = opts;
  if (errorAfter) host.setTimer(() => host.fail(errorAfter.code, errorAfter.message), errorAfter.afterMs);
  if (errorWithoutClose) {
    host.setTimer(() => host.errorWithoutClosing(errorWithoutClose.code, errorWithoutClose.message), errorWithoutClose.afterMs);
  }
  if (dropAfterMs !== undefined) host.setTimer(() => host.drop(), dropAfterMs);
}

/** docs/service.md#limits: the session attempt with this index (from 0) is refused for concurrency, or not. */
export function concurrencyRefusal(opts: ResolvedOptions, index: number): { code: number; message: string } | undefined {
  const r = opts.concurrencyRefusal;
  if (r === undefined || index < r.afterSessions || index >= r.afterSessions + r.count) return undefined;
  return { code: r.code, message: TOO_MANY_SESSIONS_MESSAGE };
}

/** docs/service.md#audio: the frame-duration check, with the lenient mode's run of short frames as state. */
export class FrameDurationCheck {
  private shortRunMs = 0;

  constructor(private readonly mode: 'strict' | 'lenient') {}

  /** The 3007 message if this frame is refused, else undefined. */
  check(ms: number): string | undefined {
    const eps = 1e-9;
    const message = `Input Duration Error: Input Duration Violation: ${ms.toFixed(1)} ms. Expected between ${MIN_FRAME_MS} and ${MAX_FRAME_MS} ms`;
    if (ms > MAX_FRAME_MS + eps) return message;
    if (ms >= MIN_FRAME_MS - eps) {
      this.shortRunMs = 0;
      return undefined;
    }
    if (this.mode === 'strict') return message;
    // Lenient (observed): only a run of ~1 s of consecutive short frames is rejected.
    this.shortRunMs += ms;
    return this.shortRunMs >= LENIENT_SHORT_RUN_LIMIT_MS ? message : undefined;
  }
}

/** docs/service.md#audio: the 3007 message if the audio received runs more than maxLeadSeconds ahead of wall time since the upgrade. */
export function rateError(record: SessionRecord, maxLeadSeconds: number, now = Date.now()): string | undefined {
  const wallSeconds = (now - record.openedAt) / 1000;
  const audioSeconds = record.audioMs / 1000;
  if (audioSeconds - wallSeconds <= maxLeadSeconds) return undefined;
  return `Input Duration Error: Audio Transmission Rate Exceeded: Received ${audioSeconds.toFixed(1)} sec. audio in ${wallSeconds.toFixed(6)} sec`;
}
