import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TurnMessage } from '../../../src/streaming/protocol.js';
import { createAssembler, type AssemblerOptions } from '../../../src/transcript/assembler.js';
import type { TranscriptEvent, TurnRecord } from '../../../src/transcript/records.js';

/** A Turn whose words are 300 ms apart from `startMs` (session time); `pending` adds a non-final last word. */
function turn(order: number, text: string, o: { end?: boolean; formatted?: boolean; pending?: string; startMs?: number } = {}): TurnMessage {
  const texts = text === '' ? [] : text.split(' ');
  if (o.pending !== undefined) texts.push(o.pending);
  const at = o.startMs ?? 0;
  const words = texts.map((w, i) => ({
    text: w,
    startMs: at + i * 300,
    endMs: at + i * 300 + 250,
    confidence: 0.9,
    final: o.pending === undefined || i < texts.length - 1,
  }));
  return {
    type: 'Turn',
    turnOrder: order,
    endOfTurn: o.end ?? false,
    formatted: o.formatted ?? false,
    transcript: text,
    endOfTurnConfidence: 0.8,
    words,
  };
}

function setup(extra: Partial<AssemblerOptions> = {}): {
  events: TranscriptEvent[];
  finals: () => TurnRecord[];
  partials: () => string[];
  a: ReturnType<typeof createAssembler>;
} {
  const events: TranscriptEvent[] = [];
  const a = createAssembler({ emit: (e) => events.push(e), expectTwin: () => true, audioSentMs: () => 9000, ...extra });
  return {
    events,
    a,
    finals: () => events.flatMap((e) => (e.type === 'turn' ? [e.turn] : [])),
    partials: () => events.flatMap((e) => (e.type === 'partial' ? [e.text] : [])),
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('transcript assembler', () => {
  it('writes the formatted twin once and reports a partial only when it changes', () => {
    const { a, finals, partials } = setup();
    a.turn('s1', 0, turn(0, 'hi my', { pending: 'name' }));
    a.turn('s1', 0, turn(0, 'hi my', { pending: 'name' }));
    a.turn('s1', 0, turn(0, 'hi my name is sonny', { end: true }));
    a.turn('s1', 0, turn(0, 'Hi, my name is Sonny.', { end: true, formatted: true }));
    expect(finals().map((t) => t.text)).toEqual(['Hi, my name is Sonny.']);
    expect(partials()).toEqual(['hi my name', 'hi my name is sonny']);
    expect(a.finals).toBe(1);
  });

  it('commits an unformatted final whose twin never comes, after the wait', () => {
    vi.useFakeTimers();
    const { a, finals } = setup({ twinWaitMs: 1500 });
    a.turn('s1', 0, turn(0, 'no twin here', { end: true }));
    vi.advanceTimersByTime(1499);
    expect(finals()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(finals().map((t) => t.text)).toEqual(['no twin here']);
  });

  it('without a twin to expect, an unformatted final is written at once', () => {
    const { a, finals } = setup({ expectTwin: () => false });
    a.turn('s1', 0, turn(0, 'right away', { end: true }));
    expect(finals().map((t) => t.text)).toEqual(['right away']);
  });

  it('numbers finals across sessions and puts their times on the run timeline', () => {
    const { a, finals } = setup({ expectTwin: () => false });
    a.turn('s1', 0, turn(0, 'first session', { end: true, startMs: 1000 }));
    // The next session starts 60 s into the run and counts its turns and times from 0 again.
    a.turn('s2', 60_000, turn(0, 'second session', { end: true, startMs: 500 }));
    const [one, two] = finals();
    expect(one).toMatchObject({ index: 0, sessionId: 's1', turnOrder: 0, startMs: 1000, endMs: 1550 });
    expect(two).toMatchObject({ index: 1, sessionId: 's2', turnOrder: 0, startMs: 60_500, endMs: 61_050 });
    expect(two?.words.map((w) => w.startMs)).toEqual([60_500, 60_800]);
    expect(a.speechEndMs).toBe(61_050);
  });

  it('ending a session writes the final it was holding, and forgets the session', () => {
    const { a, finals } = setup();
    a.turn('s1', 0, turn(3, 'held for its twin', { end: true }));
    a.endSession('s1');
    expect(finals().map((t) => t.text)).toEqual(['held for its twin']);
    // A new session may reuse turn_order 3: it is a new turn, not a duplicate.
    a.turn('s1', 0, turn(3, 'a new turn three', { end: true, formatted: true }));
    expect(finals().map((t) => t.text)).toEqual(['held for its twin', 'a new turn three']);
  });

  it('flush writes what every session holds; close stops the twin timers', () => {
    vi.useFakeTimers();
    const { a, finals } = setup();
    a.turn('s1', 0, turn(0, 'one', { end: true }));
    a.turn('s2', 0, turn(0, 'two', { end: true }));
    a.flush();
    expect(finals().map((t) => t.text)).toEqual(['one', 'two']);
    a.turn('s1', 0, turn(1, 'three', { end: true }));
    a.close();
    vi.advanceTimersByTime(10_000);
    expect(finals()).toHaveLength(2);
  });

  it('a final without words starts where the last one ended and ends at the audio sent', () => {
    const { a, finals } = setup({ expectTwin: () => false, audioSentMs: () => 9000 });
    a.turn('s1', 0, turn(0, 'some words', { end: true, startMs: 2000 }));
    a.turn('s1', 0, { type: 'Turn', turnOrder: 1, endOfTurn: true, formatted: true, transcript: 'odd', endOfTurnConfidence: 1, words: [] });
    const last = finals()[1];
    expect(last).toMatchObject({ startMs: 2550, endMs: 9000 });
  });

  it('with onFirstFinal (--once): one final, one call, nothing after it', () => {
    const onFirstFinal = vi.fn();
    const { a, finals, partials } = setup({ expectTwin: () => false, onFirstFinal });
    a.turn('s1', 0, turn(0, 'only this', { end: true }));
    a.turn('s1', 0, turn(1, 'not', { pending: 'this' }));
    a.turn('s1', 0, turn(1, 'not this', { end: true }));
    expect(finals().map((t) => t.text)).toEqual(['only this']);
    expect(onFirstFinal).toHaveBeenCalledTimes(1);
    expect(partials()).toEqual([]);
  });
});

describe('several sources (issue 13)', () => {
  it('labels each turn and partial with its source, and keeps one partial per source', () => {
    const { a, events, finals } = setup({ expectTwin: () => false });
    a.turn('s1', 0, turn(0, 'hi', { pending: 'there' }), 'You');
    a.turn('s2', 500, turn(0, 'good', { pending: 'day' }), 'Others');
    // The same text from the other source is a change of its own partial, not a repeat.
    a.turn('s1', 0, turn(0, 'hi', { pending: 'there' }), 'You');
    a.turn('s2', 500, turn(0, 'good day', { end: true }), 'Others');
    expect(events.flatMap((e) => (e.type === 'partial' ? [[e.source, e.text]] : []))).toEqual([
      ['You', 'hi there'],
      ['Others', 'good day'],
    ]);
    expect(finals().map((t) => [t.source, t.text, t.startMs])).toEqual([['Others', 'good day', 500]]);
  });

  it("a turn without words ends where its own source's audio ends", () => {
    const sent: (string | undefined)[] = [];
    const { a, finals } = setup({ expectTwin: () => false, audioSentMs: (source) => (sent.push(source), source === 'Others' ? 7000 : 3000) });
    a.turn('s2', 0, { ...turn(0, 'mm', { end: true }), words: [] }, 'Others');
    expect(finals()[0]?.endMs).toBe(7000);
    expect(sent).toEqual(['Others']);
  });
});

describe('transcript assembler: speakers and languages (docs/service.md#turns)', () => {
  const spoken = (order: number, text: string, speaker: string, session = ''): TurnMessage => {
    const t = turn(order, text, { end: true, formatted: true });
    return {
      ...t,
      speakerLabel: speaker,
      languageCode: 'de',
      languageConfidence: 0.7,
      words: t.words.map((w) => ({ ...w, speaker, speakerConfidence: 0.5 })),
      transcript: `${text}${session}`,
    };
  };

  it('labels turns and words run-wide: the second session of the run gets A2', () => {
    const { a, finals } = setup();
    a.beginSession('s1');
    a.turn('s1', 0, spoken(0, 'hallo', 'A'));
    a.beginSession('s2');
    a.turn('s2', 1000, spoken(0, 'wieder da', 'A'));
    expect(finals().map((t) => [t.speaker, t.words.map((w) => w.speaker)])).toEqual([
      ['A', ['A']],
      ['A2', ['A2', 'A2']],
    ]);
    expect(finals()[0]).toMatchObject({ languageCode: 'de', languageConfidence: 0.7, words: [{ speakerConfidence: 0.5 }] });
  });

  it('a SpeakerRevision becomes a speaker_revision event by run-wide index', () => {
    const { a, events } = setup();
    a.beginSession('s1');
    a.turn('s1', 0, spoken(0, 'one', 'A'));
    a.turn('s1', 0, spoken(1, 'two', 'PENDING'));
    a.reviseSpeakers('s1', [
      { turnOrder: 1, speaker: 'B' },
      { turnOrder: 0, speaker: 'A' },
    ]);
    const revision = events.find((e) => e.type === 'speaker_revision');
    expect(revision).toMatchObject({ type: 'speaker_revision', turns: [{ index: 1, speaker: 'B' }] });
  });

  it('no event when a revision changes nothing', () => {
    const { a, events } = setup();
    a.turn('s1', 0, spoken(0, 'one', 'A'));
    a.reviseSpeakers('s1', [{ turnOrder: 0, speaker: 'A' }]);
    expect(events.some((e) => e.type === 'speaker_revision')).toBe(false);
  });
});

describe('speakers within several sources (issues 12 and 13)', () => {
  it('each source counts its own sessions: the first session of every source has A, B', () => {
    const { a, finals } = setup({ expectTwin: () => false });
    const said = (order: number, text: string, speaker: string): TurnMessage => {
      const t = turn(order, text, { end: true });
      return { ...t, speakerLabel: speaker, words: t.words.map((w) => ({ ...w, speaker })) };
    };
    a.beginSession('mic-1', 'You');
    a.beginSession('sys-1', 'Others');
    a.turn('mic-1', 0, said(0, 'hello', 'A'), 'You');
    a.turn('sys-1', 0, said(0, 'hi there', 'A'), 'Others');
    a.turn('sys-1', 0, said(1, 'and me', 'B'), 'Others');
    a.endSession('sys-1');
    a.beginSession('sys-2', 'Others');
    a.turn('sys-2', 5000, said(0, 'back again', 'A'), 'Others');
    expect(finals().map((t) => [t.source, t.speaker])).toEqual([
      ['You', 'A'],
      ['Others', 'A'],
      ['Others', 'B'],
      ['Others', 'A2'],
    ]);
  });
});
