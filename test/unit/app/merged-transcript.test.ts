import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMergedTranscript } from '../../../src/app/merged-transcript.js';
import type { SourceSpec } from '../../../src/options/source-specs.js';
import type { TranscriptEvent } from '../../../src/transcript/records.js';

const SOURCES: SourceSpec[] = [
  { kind: 'microphone', label: 'You' },
  { kind: 'system', label: 'Others' },
];
const time = new Date(0);
const turn = (source: string, text: string, startMs: number, endMs: number): TranscriptEvent => ({
  type: 'turn',
  turn: { index: 0, sessionId: source, turnOrder: 0, text, startMs, endMs, words: [], endOfTurnConfidence: 1, source, time },
});

function setup(sources = SOURCES) {
  let clock = 0;
  const out: TranscriptEvent[] = [];
  const m = createMergedTranscript({ sources, emit: (e) => out.push(e), now: () => clock });
  const texts = (): string[] => out.flatMap((e) => (e.type === 'turn' ? [`${e.turn.source}: ${e.turn.text}`] : []));
  return { m, out, texts, advance: (ms: number) => (clock += ms) };
}

afterEach(() => vi.useRealTimers());

describe('the merged transcript of several sources', () => {
  it("writes finals in the order spoken, not of arrival: a turn waits for the other source's turn in progress", () => {
    const { m, texts } = setup();
    m.open('You', 1000);
    m.emit(turn('Others', 'Hello world.', 1500, 2500));
    expect(texts()).toEqual([]);
    m.emit(turn('You', 'The quick brown fox.', 1000, 4000));
    expect(texts()).toEqual(['You: The quick brown fox.', 'Others: Hello world.']);
  });

  it('drops a microphone turn that repeats the system audio at the same moment (an echo)', () => {
    const { m, texts } = setup();
    m.open('Others', 1000);
    m.emit(turn('You', 'Hello world.', 1100, 2100));
    m.emit(turn('Others', 'Hello world.', 1000, 2000));
    m.flush();
    expect(texts()).toEqual(['Others: Hello world.']);
    expect(m.dropped).toBe(1);
  });

  it('keeps the same words from two microphones (no system audio, no echo filter)', () => {
    const { m, texts } = setup([
      { kind: 'microphone', device: 'a', label: 'Anna' },
      { kind: 'microphone', device: 'b', label: 'Ben' },
    ]);
    m.emit(turn('Anna', 'Yes.', 1000, 1500));
    m.emit(turn('Ben', 'Yes.', 1100, 1600));
    m.flush();
    expect(texts()).toEqual(['Anna: Yes.', 'Ben: Yes.']);
  });

  it('passes everything but finals through at once; a source that ended holds nothing', () => {
    const { m, out, texts } = setup();
    m.emit({ type: 'partial', sessionId: 's', turnOrder: 0, text: 'hel', source: 'You', time });
    expect(out).toHaveLength(1);
    m.emit(turn('You', 'Hi.', 1000, 1500));
    expect(texts()).toEqual([]);
    m.end('Others');
    expect(texts()).toEqual(['You: Hi.']);
  });

  it('releases a turn held too long by a source that stays silent, on its timer', () => {
    vi.useFakeTimers();
    const { m, texts, advance } = setup();
    m.emit(turn('You', 'Hi.', 1000, 1500));
    expect(texts()).toEqual([]);
    advance(3000);
    vi.advanceTimersByTime(3000);
    expect(texts()).toEqual(['You: Hi.']);
    m.close();
  });
});
