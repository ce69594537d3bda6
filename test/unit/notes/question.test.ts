import { describe, expect, it } from 'vitest';
import { createQuestionPrompt, type QuestionKeys } from '../../../src/notes/question.js';

function harness(refusal?: string) {
  const bars: string[] = [];
  const said: string[] = [];
  const asked: string[] = [];
  let listener: ((chunk: Buffer) => void) | undefined;
  const keys: QuestionKeys = { divert: (l) => void (listener = l) };
  const prompt = createQuestionPrompt({ bar: (t) => bars.push(t), say: (l) => said.push(l), submit: (q) => asked.push(q), refusal: () => refusal });
  const type = (s: string): void => listener?.(Buffer.from(s, 'utf8'));
  return { bars, said, asked, keys, prompt, type, diverted: () => listener !== undefined };
}

describe('the question prompt', () => {
  it('takes the keys while typed, shows the line in the bar, and submits on Enter', () => {
    const h = harness();
    h.prompt.open(h.keys);
    expect(h.prompt.typing).toBe(true);
    expect(h.diverted()).toBe(true);
    h.type('wh');
    h.type('o q?');
    expect(h.bars.at(-1)).toBe('? who q?▏  (Enter: ask, Esc: cancel)');
    h.type('\r');
    expect(h.asked).toEqual(['who q?']);
    expect(h.prompt.typing).toBe(false);
    expect(h.diverted()).toBe(false); // the keys are commands again
    expect(h.bars.at(-1)).toBe('');
  });

  it('Esc cancels without asking; an empty question is not sent', () => {
    const h = harness();
    h.prompt.open(h.keys);
    h.type('abc');
    h.type('\u001b');
    h.prompt.open(h.keys);
    h.type('  \r');
    expect(h.asked).toEqual([]);
    expect(h.diverted()).toBe(false);
  });

  it('does not open when refused (no key, a question still answered), and says why', () => {
    const h = harness('Still answering the last question.');
    h.prompt.open(h.keys);
    expect(h.prompt.typing).toBe(false);
    expect(h.said).toEqual(['Still answering the last question.']);
  });

  it('stop() closes an open prompt and gives the keys back', () => {
    const h = harness();
    h.prompt.open(h.keys);
    h.prompt.stop();
    expect(h.diverted()).toBe(false);
    expect(h.prompt.typing).toBe(false);
  });
});
