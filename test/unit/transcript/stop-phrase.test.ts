import { describe, expect, it } from 'vitest';
import { terminationEvent } from '../../support/records.js';
import type { TranscriptEvent, TurnRecord, WordRecord } from '../../../src/transcript/records.js';
import { applyStopPhrase, createStopPhraseEmit, createStopPhraseMatcher, stopPhraseWords } from '../../../src/transcript/stop-phrase.js';

describe('createStopPhraseMatcher().match', () => {
  it.each([
    // [phrases, turn, stop, text written]
    [['stop recording'], 'Stop recording.', true, ''],
    [['stop recording'], 'stop recording', true, ''],
    [['stop recording'], 'Buy milk, stop recording.', true, 'Buy milk'],
    [['stop recording'], 'Buy milk. Stop recording!', true, 'Buy milk.'],
    [['stop recording'], 'Is that all? STOP, recording...', true, 'Is that all?'],
    [['stop recording'], 'Buy milk — stop recording', true, 'Buy milk'],
    [['stop recording'], 'Buy milk "stop recording"', true, 'Buy milk'],
    [['stop recording'], '  Buy   MILK,   stop    recording  ', true, '  Buy   MILK'],
    [['Stop, Recording!'], 'buy milk stop recording', true, 'buy milk'],
    // Whole words only.
    [['stop recording'], 'This is a nonstop recording.', false, 'This is a nonstop recording.'],
    [['stop recording'], 'This is a non-stop recording.', false, 'This is a non-stop recording.'],
    [['stop recording'], 'Stop recordings.', false, 'Stop recordings.'],
    [['stop'], "Don't stop.", true, "Don't"],
    [['stop'], 'Nonstop.', false, 'Nonstop.'],
    // In the middle: no stop, the turn as it was.
    [['stop recording'], 'Stop recording the meeting, please.', false, 'Stop recording the meeting, please.'],
    [['stop recording'], '', false, ''],
    // Several phrases: any of them, the longest first.
    [['stop', 'stop recording'], 'Okay, stop recording.', true, 'Okay'],
    [['over and out', 'stop recording'], 'That is all. Over and out.', true, 'That is all.'],
    [['over and out', 'stop recording'], 'Over and out, Stop recording.', true, ''],
    // Repeated at the end: every repetition goes.
    [['stop recording'], 'Buy milk. Stop recording. Stop recording.', true, 'Buy milk.'],
    [['stop recording'], 'stop recording stop recording', true, ''],
    // Unicode: case folding beyond ASCII, composed and decomposed accents, typographic apostrophes, no spaces.
    [["arrête l'enregistrement"], 'Bon, ARRÊTE L’ENREGISTREMENT !', true, 'Bon'],
    [['arr\u00eate'], 'Alors arre\u0302te.', true, 'Alors'],
    [['STRASSE ende'], 'Das war es. Straße Ende.', true, 'Das war es.'],
    [['straße ende'], 'Das war es. STRASSE ENDE.', true, 'Das war es.'],
    [['τέλος'], 'Εντάξει, ΤΈΛΟΣ.', true, 'Εντάξει'],
    [['τελος'], 'Εντάξει, τέλος.', false, 'Εντάξει, τέλος.'],
    [['стоп запись'], 'Хорошо, СТОП ЗАПИСЬ.', true, 'Хорошо'],
    [['停止'], '録音を停止', true, '録音を'],
    [['ｓｔｏｐ'], 'We are done, stop.', true, 'We are done'],
  ])('%j: %j -> stop %s, %j', (phrases, turn, stop, text) => {
    expect(createStopPhraseMatcher(phrases).match(turn)).toEqual({ stop, text });
  });

  it('refuses a phrase with no words', () => {
    expect(() => createStopPhraseMatcher(['stop', ' ...! '])).toThrow(TypeError);
    expect(stopPhraseWords(' ...! ')).toEqual([]);
    expect(stopPhraseWords('Stop, Recording!')).toEqual(['stop', 'recording']);
  });
});

const word = (text: string, startMs: number): WordRecord => ({ text, startMs, endMs: startMs + 300, confidence: 0.9 });
const words = (...texts: string[]): WordRecord[] => texts.map((t, i) => word(t, i * 400));

describe('stripWords', () => {
  it.each([
    [['stop recording'], ['Buy', 'milk,', 'stop', 'recording.'], ['Buy', 'milk,']],
    [['stop recording'], ['Stop', 'recording.'], []],
    [['stop recording'], ['Buy', 'milk.', 'Stop', 'recording', '.'], ['Buy', 'milk.']],
    [['stop recording'], ['a', 'nonstop', 'recording'], ['a', 'nonstop', 'recording']],
    [['stop recording'], ['stop', 'recording', 'stop', 'recording'], []],
    [['stop'], ['milk,stop'], ['milk,stop']],
    [['停止'], ['録音を', '停止'], ['録音を']],
  ])('%j: %j -> %j', (phrases, given, kept) => {
    const matcher = createStopPhraseMatcher(phrases);
    const input = words(...given);
    const out = matcher.stripWords(input);
    expect(out.map((w) => w.text)).toEqual(kept);
    expect(out).toEqual(input.slice(0, kept.length));
  });
});

const turn = (text: string, ws: WordRecord[]): TurnRecord => ({
  index: 3,
  sessionId: 's',
  turnOrder: 1,
  text,
  startMs: ws[0]?.startMs ?? 0,
  endMs: ws[ws.length - 1]?.endMs ?? 0,
  words: ws,
  endOfTurnConfidence: 0.8,
  time: new Date(0),
});

describe('applyStopPhrase', () => {
  const matcher = createStopPhraseMatcher(['stop recording']);

  it('passes a turn without the phrase through unchanged', () => {
    const t = turn('Buy milk.', words('Buy', 'milk.'));
    expect(applyStopPhrase(matcher, t)).toEqual({ stop: false, turn: t });
  });

  it('writes the turn without the phrase, its words and end with it', () => {
    const t = turn('Buy milk, stop recording.', words('Buy', 'milk,', 'stop', 'recording.'));
    expect(applyStopPhrase(matcher, t)).toEqual({ stop: true, turn: { ...t, text: 'Buy milk', words: t.words.slice(0, 2), endMs: 700 } });
  });

  it('writes nothing when the turn was only the phrase', () => {
    expect(applyStopPhrase(matcher, turn('Stop recording.', words('Stop', 'recording.')))).toEqual({ stop: true, turn: undefined });
  });
});

describe('createStopPhraseEmit', () => {
  const setup = () => {
    const events: TranscriptEvent[] = [];
    let stops = 0;
    const emit = createStopPhraseEmit(
      createStopPhraseMatcher(['stop recording']),
      (e) => events.push(e),
      () => (stops += 1),
    );
    return { events, emit, stops: () => stops };
  };
  const partial = (text: string): TranscriptEvent => ({ type: 'partial', sessionId: 's', turnOrder: 1, text, time: new Date(0) });
  const termination: TranscriptEvent = terminationEvent({ time: new Date(0) });

  it('passes turns, partials and other events on until a turn ends with the phrase; then stops once and drops later turns', () => {
    const { events, emit, stops } = setup();
    const first = turn('Buy milk.', words('Buy', 'milk.'));
    emit(partial('buy'));
    emit({ type: 'turn', turn: first });
    emit({ type: 'turn', turn: turn('Eggs, stop recording.', words('Eggs,', 'stop', 'recording.')) });
    emit(partial('late'));
    emit({ type: 'turn', turn: turn('Too late.', words('Too', 'late.')) });
    emit({ type: 'turn', turn: turn('stop recording', words('stop', 'recording')) });
    emit(termination);
    expect(stops()).toBe(1);
    expect(events.map((e) => (e.type === 'turn' ? e.turn.text : e.type === 'partial' ? `~${e.text}` : e.type))).toEqual([
      '~buy',
      'Buy milk.',
      'Eggs',
      'termination',
    ]);
    expect(events[2]).toMatchObject({ type: 'turn', turn: { words: [{ text: 'Eggs,' }], endMs: 300 } });
  });

  it('writes nothing for a turn that was only the phrase, and stops', () => {
    const { events, emit, stops } = setup();
    emit({ type: 'turn', turn: turn('Stop recording.', words('Stop', 'recording.')) });
    expect(events).toEqual([]);
    expect(stops()).toBe(1);
  });
});
