import { describe, expect, it } from 'vitest';
import { formatModelList, formatModelListJson } from '../../../src/render/model-list.js';
import { MODEL_CATALOGUE } from '../../../src/streaming/models.js';

const plain = { bold: (s: string): string => s, dim: (s: string): string => s };
const marked = { bold: (s: string): string => `<b>${s}</b>`, dim: (s: string): string => `<d>${s}</d>` };

describe('--list-models', () => {
  it('issue 24.6: the models a user can pick and what each is for, no notes, no ? and no undocumented names', () => {
    const text = formatModelList(MODEL_CATALOGUE, plain);
    expect(text).toMatchInlineSnapshot(`
      "model                             languages             for
      universal-streaming-english       English               English: the fastest and cheapest (the default for English)
      universal-streaming-multilingual  en es de fr pt it     conversations in these six languages, switching between them
      universal-3-6-pro                 32 languages (below)  the most accurate, for these 32 languages and a mix of them
      universal-3-5-pro                 19 languages          the previous Universal-3 Pro model

      languages
        universal-3-6-pro: af ar ca da de en es et fa fi fr gl he hi it ja ko mr nl nn no pt ro ru sv tr ur vi xh yue zh zu

      Without --speech-model: universal-streaming-english for English; --language CODE[,CODE...] or --language auto picks a model for other languages.
      Older names still accepted: u3-rt-pro, whisper-rt, u3-pro (now u3-rt-pro).
      "
    `);
    expect(text).not.toMatch(/\?|undocumented|preview|third party|documented nowhere|u3-rt-agent|universal-3-7-preview/);
  });

  it('styles the header bold and the older names dim, after aligning the plain text', () => {
    const lines = formatModelList(MODEL_CATALOGUE, marked).split('\n');
    expect(lines[0]).toMatch(/^<b>model {2,}languages {2,}for<\/b>$/);
    expect(lines[1]).toMatch(/^universal-streaming-english {2}/);
    expect(lines.at(-2)).toMatch(/^<d>Older names still accepted: u3-rt-pro, whisper-rt, u3-pro \(now u3-rt-pro\)\.<\/d>$/);
  });

  it('as JSON: one document with every model, unknowns as null', () => {
    const doc = JSON.parse(formatModelListJson(MODEL_CATALOGUE)) as {
      v: number;
      default_model: string;
      service_default_model: string;
      models: Record<string, unknown>[];
    };
    expect(doc.v).toBe(1);
    expect(doc.default_model).toBe('universal-streaming-english');
    expect(doc.service_default_model).toBe('universal-3-6-pro');
    expect(doc.models.map((m) => m.name)).toEqual(MODEL_CATALOGUE.map((m) => m.name));
    expect(doc.models[0]).toEqual({
      name: 'universal-streaming-english',
      languages: ['en'],
      formatting: 'format_turns',
      language_detection: 'no',
      speakers: true,
      turn_detection: 'confidence',
      status: 'current',
      aliases: [],
      note: 'the client default for English: the cheapest model',
    });
    expect(doc.models.find((m) => m.name === 'universal-3-7-preview')).toMatchObject({
      languages: null,
      formatting: null,
      language_detection: null,
      turn_detection: null,
      status: 'preview',
    });
    expect(doc.models.find((m) => m.name === 'u3-rt-pro')).toMatchObject({ aliases: ['u3-pro'], status: 'legacy' });
  });
});
