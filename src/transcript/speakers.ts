/**
 * Speaker labels over a whole run (docs/service.md#turns). The service labels each session afresh, so the `A`
 * of a session after a reconnect or rollover is not known to be the `A` before it. The client shows that:
 *
 * - the first session keeps the service's labels: `A`, `B`, ...
 * - a later session's labels carry the session's number: `A2`, `B2` in the second session, `A3` in the third
 *   (a label that already ends in a digit gets a dash: `S1-2`). `A2` reads as "speaker A of session 2", who may be
 *   session 1's A or not: the service cannot tell, so the client does not guess;
 * - `PENDING` (a turn too short to attribute; `UNKNOWN` before June 2026) is a state, not a speaker: it stays
 *   `PENDING` in every session, and a later `SpeakerRevision` may settle it.
 *
 * A `SpeakerRevision` names turns by their `turn_order` within a session; the tracker maps them to the run-wide
 * `index` of the finals already emitted. No I/O and no clock: the tracker is a plain state holder.
 */

export const PENDING_SPEAKER = 'PENDING';

/** The JSON event a `SpeakerRevision` becomes: the emitted turns whose speaker changed, by run-wide index. */
export interface SpeakerRevisionEvent {
  type: 'speaker_revision';
  turns: { index: number; speaker: string }[];
}

/** One item of a `SpeakerRevision` message (docs/service.md#turns), as parsed. */
export interface ServiceSpeakerRevision {
  turnOrder: number;
  speaker: string;
}

const MAX_LABEL = 16;

/**
 * The run-wide label for the service's label in the `sessionNumber`-th session (from 1), or undefined for a
 * label that is empty or not a plain name (the network is not trusted to send one).
 */
export function runSpeakerLabel(serviceLabel: string, sessionNumber: number): string | undefined {
  const label = serviceLabel.trim();
  if (label === '' || label.length > MAX_LABEL || !/^[A-Za-z0-9_-]+$/.test(label)) return undefined;
  if (label === PENDING_SPEAKER || label === 'UNKNOWN') return PENDING_SPEAKER;
  if (sessionNumber <= 1) return label;
  return /\d$/.test(label) ? `${label}-${sessionNumber}` : `${label}${sessionNumber}`;
}

export interface SpeakerTracker {
  /** A session began; sessions are numbered 1, 2, ... in the order they begin. Returns its number; idempotent. */
  beginSession(sessionId: string): number;
  /** The run-wide label of a speaker label of the session (undefined stays undefined). */
  label(sessionId: string, serviceLabel: string | undefined): string | undefined;
  /** A final of the session was emitted as run-wide turn `index`, with this run-wide speaker. */
  recordTurn(sessionId: string, turnOrder: number, index: number, speaker: string | undefined): void;
  /**
   * The event for a `SpeakerRevision` of the session: the emitted turns whose speaker changed, in index order,
   * or undefined when none did. Turns not emitted yet are skipped (the service revises only earlier turns).
   */
  revise(sessionId: string, revisions: readonly ServiceSpeakerRevision[]): SpeakerRevisionEvent | undefined;
  /** The session is over and its revisions are in (they come before `Termination`): forget its turns. */
  endSession(sessionId: string): void;
}

export function createSpeakerTracker(): SpeakerTracker {
  const numbers = new Map<string, number>();
  /** Per session: turn_order -> the emitted turn's index and current speaker. */
  const turns = new Map<string, Map<number, { index: number; speaker: string | undefined }>>();
  let sessions = 0;
  const beginSession = (sessionId: string): number => {
    let n = numbers.get(sessionId);
    if (n === undefined) {
      sessions += 1;
      n = sessions;
      numbers.set(sessionId, n);
    }
    return n;
  };
  return {
    beginSession,
    label(sessionId, serviceLabel) {
      return serviceLabel === undefined ? undefined : runSpeakerLabel(serviceLabel, beginSession(sessionId));
    },
    recordTurn(sessionId, turnOrder, index, speaker) {
      beginSession(sessionId);
      let byOrder = turns.get(sessionId);
      if (byOrder === undefined) {
        byOrder = new Map();
        turns.set(sessionId, byOrder);
      }
      byOrder.set(turnOrder, { index, speaker });
    },
    revise(sessionId, revisions) {
      const byOrder = turns.get(sessionId);
      const changed: { index: number; speaker: string }[] = [];
      for (const r of revisions) {
        const turn = byOrder?.get(r.turnOrder);
        const speaker = runSpeakerLabel(r.speaker, beginSession(sessionId));
        if (turn === undefined || speaker === undefined || speaker === turn.speaker) continue;
        turn.speaker = speaker;
        changed.push({ index: turn.index, speaker });
      }
      changed.sort((a, b) => a.index - b.index);
      return changed.length === 0 ? undefined : { type: 'speaker_revision', turns: changed };
    },
    endSession(sessionId) {
      turns.delete(sessionId);
    },
  };
}
