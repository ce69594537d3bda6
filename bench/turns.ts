/**
 * The Turn messages (docs/service.md#turns) the benches make the double send on demand: one shape for every
 * bench, words 300 ms apart, the last word of a partial not yet final.
 */
import type { FakeServer } from '../test/support/fake-server.js';

/** A Turn message for `text` (space-separated words) at `order`: a partial, an unformatted or a formatted final. */
export function turnMessage(order: number, text: string, o: { final: boolean; formatted: boolean }): Record<string, unknown> {
  const texts = text.split(' ');
  const words = texts.map((t, i) => ({
    start: 1000 * order + i * 300,
    end: 1000 * order + i * 300 + 250,
    text: t,
    confidence: 0.95,
    word_is_final: o.final || i < texts.length - 1,
  }));
  return {
    type: 'Turn',
    turn_order: order,
    turn_is_formatted: o.formatted,
    end_of_turn: o.final,
    transcript: words
      .filter((w) => w.word_is_final)
      .map((w) => w.text)
      .join(' '),
    end_of_turn_confidence: o.final ? 0.9 : 0.05,
    words,
    utterance: o.final && !o.formatted ? text : '',
  };
}

/** The unformatted final then its formatted twin (the classic format_turns pair, docs/service.md#turns). */
export function sendFinalPair(server: FakeServer, session: number, order: number, raw: string, formatted: string): boolean {
  const a = server.sendTurn(session, turnMessage(order, raw, { final: true, formatted: false }));
  const b = server.sendTurn(session, turnMessage(order, formatted, { final: true, formatted: true }));
  return a && b;
}
