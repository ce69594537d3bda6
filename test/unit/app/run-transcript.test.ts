import { describe, expect, it } from 'vitest';
import { createRunTranscript } from '../../../src/app/run-transcript.js';
import { AppError, ErrorCode } from '../../../src/core/errors.js';
import type { TurnMessage } from '../../../src/streaming/protocol.js';
import type { TranscriptEvent } from '../../../src/transcript/records.js';

const final = (turnOrder: number, text: string, startMs: number): TurnMessage => ({
  type: 'Turn',
  turnOrder,
  endOfTurn: true,
  formatted: true,
  transcript: text,
  endOfTurnConfidence: 0.9,
  words: text.split(' ').map((w, i) => ({ text: w, startMs: startMs + i * 300, endMs: startMs + i * 300 + 250, confidence: 0.9, final: true })),
});

function setup(sources: { label: string; kind: 'microphone' | 'system' }[], settings: { once: boolean; stopPhrases?: string[] } = { once: false }) {
  const out: TranscriptEvent[] = [];
  const stops: string[] = [];
  const t = createRunTranscript({
    sources,
    settings,
    output: { emit: (e) => out.push(e) },
    onStop: (k) => stops.push(k),
    expectTwin: () => false,
    audioSentMs: () => 60_000,
  });
  return { t, out, stops, types: () => out.map((e) => e.type) };
}

describe("the run's one transcript: the only way events reach the outputs", () => {
  it('one source: turns and every other event come out in the order they went in, counted', () => {
    const { t, out, types } = setup([{ label: 'You', kind: 'microphone' }]);
    t.event({ type: 'reconnecting', phase: 'connect', attempt: 1, maxAttempts: 2, delayMs: 100, reason: 'refused', time: new Date(0) });
    t.beginSession('s1');
    t.turn('s1', 0, final(0, 'hello world', 0));
    t.error(new AppError(ErrorCode.auth, 'the key was refused'));
    expect(types()).toEqual(['reconnecting', 'turn', 'error']);
    expect(out[2]).toMatchObject({ type: 'error', code: 'E_AUTH', exitCode: 4, message: 'the key was refused' });
    expect(t.turns).toBe(1);
  });

  it('several sources: finals in spoken order through the merger, counted per source', () => {
    const { t, out } = setup([
      { label: 'You', kind: 'microphone' },
      { label: 'Others', kind: 'system' },
    ]);
    t.open('You', 1000);
    t.turn('o1', 0, final(0, 'good morning', 1500), 'Others');
    expect(out.filter((e) => e.type === 'turn')).toEqual([]);
    t.turn('y1', 0, final(0, 'the quick brown fox', 1000), 'You');
    t.flush();
    expect(out.flatMap((e) => (e.type === 'turn' ? [e.turn.source] : []))).toEqual(['You', 'Others']);
    expect([t.turns, t.turnsOf('You'), t.turnsOf('Others')]).toEqual([2, 1, 1]);
    t.close();
  });

  it('the stop conditions it sees: the first final with --once, the stop phrase', () => {
    const once = setup([{ label: 'You', kind: 'microphone' }], { once: true });
    once.t.turn('s1', 0, final(0, 'hello world', 0));
    expect(once.stops).toEqual(['once']);
    const phrase = setup([{ label: 'You', kind: 'microphone' }], { once: false, stopPhrases: ['stop recording'] });
    phrase.t.turn('s1', 0, final(0, 'stop recording', 0));
    expect(phrase.stops).toEqual(['stop-phrase']);
    expect(phrase.t.turns).toBe(0);
  });
});
