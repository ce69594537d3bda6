import { describe, expect, it } from 'vitest';
import { answerTokens, DEFAULT_LLM_MODEL, parseModelList, pickModel } from '../../../src/notes/models.js';

describe('parseModelList', () => {
  it('reads ids, names and limits, from the entry or its top_provider, and skips entries without an id', () => {
    const models = parseModelList({
      data: [
        {
          id: 'claude-haiku-4-5-20251001',
          name: 'Claude Haiku 4.5',
          creator: 'anthropic',
          context_length: 200000,
          top_provider: { max_completion_tokens: 64000 },
          available_regions: ['us', 'eu'],
        },
        { id: 'qwen3.5-4b-32k-fast', top_provider: { context_length: 32768 }, providers: [{ id: 'x', name: 'X' }] },
        { name: 'no id' },
        null,
      ],
    });
    expect(models).toEqual([
      {
        id: 'claude-haiku-4-5-20251001',
        name: 'Claude Haiku 4.5',
        creator: 'anthropic',
        contextLength: 200000,
        maxCompletionTokens: 64000,
        regions: ['us', 'eu'],
      },
      { id: 'qwen3.5-4b-32k-fast', contextLength: 32768 },
    ]);
  });

  it('is empty for a body that is not a list', () => {
    expect(parseModelList({ error: 'x' })).toEqual([]);
    expect(parseModelList('text')).toEqual([]);
  });
});

describe('pickModel', () => {
  const models = [{ id: DEFAULT_LLM_MODEL }, { id: 'claude-sonnet-4-6' }, { id: 'gemini-2.5-flash' }];
  it('takes the default when none is asked for, and the one asked for when served', () => {
    expect(pickModel(models, undefined)).toEqual({ ok: true, model: { id: DEFAULT_LLM_MODEL } });
    expect(pickModel(models, 'gemini-2.5-flash')).toEqual({ ok: true, model: { id: 'gemini-2.5-flash' } });
  });
  it('names the served models of the same family for one the host does not serve', () => {
    expect(pickModel(models, 'claude-opus-9')).toEqual({ ok: false, wanted: 'claude-opus-9', near: [DEFAULT_LLM_MODEL, 'claude-sonnet-4-6'] });
    expect(pickModel(models, 'gpt-5-nano')).toEqual({ ok: false, wanted: 'gpt-5-nano', near: [] });
  });
});

describe('answerTokens', () => {
  it("leaves room for notes, below the context and the model's own cap", () => {
    expect(answerTokens({ id: 'a' })).toBe(4096);
    expect(answerTokens({ id: 'a', contextLength: 200_000, maxCompletionTokens: 64_000 })).toBe(4096);
    expect(answerTokens({ id: 'a', contextLength: 1500 })).toBe(375);
    expect(answerTokens({ id: 'a', contextLength: 200_000, maxCompletionTokens: 1000 })).toBe(1000);
  });
});
