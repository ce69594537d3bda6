import { describe, expect, it } from 'vitest';
import { createSpeakerSettler } from '../../../src/render/settle-speakers.js';
import type { TranscriptEvent, TurnRecord } from '../../../src/transcript/records.js';

const time = new Date(0);
const turn = (index: number, speaker?: string): TranscriptEvent => ({
  type: 'turn',
  turn: {
    index,
    sessionId: 's',
    turnOrder: index,
    text: `t${index}`,
    startMs: 0,
    endMs: 1,
    words: [],
    endOfTurnConfidence: 1,
    time,
    ...(speaker === undefined ? {} : { speaker }),
  } as TurnRecord,
});
const shown = (events: TranscriptEvent[]): string[] => events.map((e) => (e.type === 'turn' ? `${e.turn.index}:${e.turn.speaker ?? '-'}` : e.type));

describe('createSpeakerSettler', () => {
  it('holds a pending turn and what follows until a revision settles it, in order', () => {
    const out: TranscriptEvent[] = [];
    const s = createSpeakerSettler((e) => out.push(e));
    s.push(turn(0, 'A'));
    s.push(turn(1, 'PENDING'));
    s.push(turn(2, 'B'));
    expect(shown(out)).toEqual(['0:A']);
    s.push({ type: 'speaker_revision', turns: [{ index: 1, speaker: 'B' }], time });
    expect(shown(out)).toEqual(['0:A', '1:B', '2:B']);
  });
  it('flush gives what is still held, pending as it is', () => {
    const out: TranscriptEvent[] = [];
    const s = createSpeakerSettler((e) => out.push(e));
    s.push(turn(0, 'PENDING'));
    s.push({ type: 'error', message: 'x', time } as unknown as TranscriptEvent);
    expect(out).toEqual([]);
    s.flush();
    expect(shown(out)).toEqual(['0:PENDING', 'error']);
  });
  it('turns without speakers pass at once', () => {
    const out: TranscriptEvent[] = [];
    createSpeakerSettler((e) => out.push(e)).push(turn(0));
    expect(shown(out)).toEqual(['0:-']);
  });
});
