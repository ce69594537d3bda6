import { describe, expect, it } from 'vitest';
import { applyTurn, flushPending, initialTranscript, type TranscriptState } from '../../../src/transcript/turns.js';
import type { TurnMessage } from '../../../src/streaming/protocol.js';

function turn(order: number, text: string, o: { end?: boolean; formatted?: boolean; pending?: string } = {}): TurnMessage {
  const words = text === '' ? [] : text.split(' ').map((w) => ({ text: w, startMs: 0, endMs: 0, confidence: 1, final: true }));
  if (o.pending !== undefined) words.push({ text: o.pending, startMs: 0, endMs: 0, confidence: 0.5, final: false });
  return {
    type: 'Turn',
    turnOrder: order,
    endOfTurn: o.end ?? false,
    formatted: o.formatted ?? false,
    transcript: text,
    endOfTurnConfidence: 0.5,
    words,
  };
}

/** Feeds messages and returns the committed texts and the last partial. */
function run(messages: TurnMessage[], twin: boolean, flush = false): { commits: string[]; partial: string; state: TranscriptState } {
  let state = initialTranscript;
  const commits: string[] = [];
  for (const m of messages) {
    const u = applyTurn(state, m, twin);
    state = u.state;
    commits.push(...u.commits.map((c) => c.text));
  }
  if (flush) {
    const u = flushPending(state);
    state = u.state;
    commits.push(...u.commits.map((c) => c.text));
  }
  return { commits, partial: state.partial, state };
}

describe('transcript state', () => {
  it('shows partials including the non-final word', () => {
    expect(run([turn(0, '', { pending: 'hel' }), turn(0, 'hello', { pending: 'wor' })], true).partial).toBe('hello wor');
  });

  it('classic format_turns: commits the formatted twin once, not the unformatted final', () => {
    const r = run(
      [
        turn(0, 'hi my', { pending: 'name' }),
        turn(0, 'hi my name is sonny', { end: true }),
        turn(0, 'Hi, my name is Sonny.', { end: true, formatted: true }),
        turn(1, 'next', { pending: 'one' }),
      ],
      true,
    );
    expect(r.commits).toEqual(['Hi, my name is Sonny.']);
    expect(r.partial).toBe('next one');
  });

  it('holds the unformatted final as the partial while waiting for its twin', () => {
    const r = run([turn(0, 'hi there', { end: true })], true);
    expect(r.commits).toEqual([]);
    expect(r.partial).toBe('hi there');
    expect(r.state.pending?.text).toBe('hi there');
  });

  it('inline format_turns: a formatted final commits at once', () => {
    const r = run([turn(0, 'Hi', { formatted: true, pending: 'there' }), turn(0, 'Hi there.', { end: true, formatted: true })], true);
    expect(r.commits).toEqual(['Hi there.']);
    expect(r.partial).toBe('');
  });

  it('commits a held final when the next turn starts without its twin', () => {
    expect(run([turn(0, 'first turn', { end: true }), turn(1, '', { pending: 'sec' })], true).commits).toEqual(['first turn']);
  });

  it('commits a held final on flush (end of session or timeout)', () => {
    expect(run([turn(0, 'last words', { end: true })], true, true).commits).toEqual(['last words']);
  });

  it('without format_turns commits the unformatted final at once', () => {
    expect(run([turn(0, 'raw words', { end: true })], false).commits).toEqual(['raw words']);
  });

  it('ignores late and duplicate messages for committed turns', () => {
    const r = run(
      [
        turn(0, 'a b', { end: true }),
        turn(0, 'A b.', { end: true, formatted: true }),
        turn(0, 'A b.', { end: true, formatted: true }),
        turn(0, 'a b', { pending: 'c' }),
      ],
      true,
    );
    expect(r.commits).toEqual(['A b.']);
    expect(r.partial).toBe('');
  });

  it('ignores the empty final sent on Terminate', () => {
    const r = run([turn(0, 'words', { end: true, formatted: true }), turn(1, '', { end: true })], true, true);
    expect(r.commits).toEqual(['words']);
  });

  it('keeps memory flat: state holds one number, not a set of turns', () => {
    const msgs: TurnMessage[] = [];
    for (let i = 0; i < 5000; i += 1) msgs.push(turn(i, `turn ${i}`, { end: true, formatted: true }));
    const r = run(msgs, true);
    expect(r.commits).toHaveLength(5000);
    expect(r.state.committedThrough).toBe(4999);
  });
});
