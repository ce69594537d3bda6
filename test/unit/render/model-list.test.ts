import { describe, expect, it } from 'vitest';
import { formatModelList, formatModelListJson } from '../../../src/render/model-list.js';
import { MODEL_CATALOGUE } from '../../../src/streaming/models.js';

const plain = { bold: (s: string): string => s, dim: (s: string): string => s };
const marked = { bold: (s: string): string => `<b>${s}</b>`, dim: (s: string): string => `<d>${s}</d>` };

describe('--list-models', () => {
  it('prints an aligned table, then the long language lists, aliases and notes', () => {
    expect(formatModelList(MODEL_CATALOGUE, plain)).toMatchInlineSnapshot(`
      "model                             languages          formatting           detection  speakers  status
      universal-streaming-english       en                 with --format-turns  no         yes       current, default
      universal-streaming-multilingual  en es de fr pt it  with --format-turns  yes        yes       current
      universal-3-6-pro                 32 languages       always               yes        yes       current, service default
      universal-3-5-pro                 ?                  always               yes        yes       current
      u3-rt-pro                         en es de fr pt it  always               yes        yes       legacy
      whisper-rt                        99+, detected      always               automatic  yes       legacy
      universal-3-6                     ?                  always               ?          yes       undocumented
      universal-3-7-preview             ?                  ?                    ?          yes       preview
      assemblyai-stt-3-7-realtime       ?                  ?                    ?          yes       preview
      u3-rt-pro-beta-1                  ?                  ?                    ?          yes       undocumented
      u3-rt-agent                       ?                  ?                    ?          yes       undocumented

      languages
        universal-3-6-pro: af ar ca da de en es et fa fi fr gl he hi it ja ko mr nl nn no pt ro ru sv tr ur vi xh yue zh zu

      aliases
        u3-pro -> u3-rt-pro (deprecated name)

      notes
        universal-streaming-english: the client default for English: the cheapest model
        universal-streaming-multilingual: detects the language of each utterance among its six
        universal-3-6-pro: the service's default; code-switching between its languages
        universal-3-5-pro: 19 languages (the sources do not list them)
        u3-rt-pro: dropped from the docs in July 2026, still works; universal-3-6-pro replaces it
        whisper-rt: legacy since June 2026; 99+ languages, detected only; non-speech tags such as [Silence]
        universal-3-6: in both SDKs, but not a documented model
        universal-3-7-preview: a preview: a third party saw it open and then cancel the session
        assemblyai-stt-3-7-realtime: named only on the docs' speaker-diarization page; in no SDK
        u3-rt-pro-beta-1: in the service's list, documented nowhere
        u3-rt-agent: in the service's list, documented nowhere

      Without --speech-model: universal-streaming-english for English; --language CODE[,CODE...] or --language auto picks a model for other languages.
      Any other name is sent as given: the service checks it.
      "
    `);
  });

  it('styles the header bold and the models that are not current dim, after aligning the plain text', () => {
    const lines = formatModelList(MODEL_CATALOGUE.slice(0, 6), marked).split('\n');
    expect(lines[0]).toMatch(/^<b>model {2,}languages {2,}formatting/);
    expect(lines[1]).toMatch(/^universal-streaming-english {2}/);
    expect(lines[5]).toMatch(/^<d>u3-rt-pro {2,}en es de fr pt it {2,}always/);
    const plainLines = formatModelList(MODEL_CATALOGUE, plain).split('\n').slice(0, MODEL_CATALOGUE.length + 1);
    const statusColumn = plainLines[0]?.indexOf('status');
    expect(plainLines.every((l) => /^\S/.test(l.slice(statusColumn)))).toBe(true);
  });

  it('as JSON: one document with every model, unknowns as null', () => {
    const doc = JSON.parse(formatModelListJson(MODEL_CATALOGUE)) as { v: number; default_model: string; service_default_model: string; models: Record<string, unknown>[] };
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
    expect(doc.models.find((m) => m.name === 'universal-3-7-preview')).toMatchObject({ languages: null, formatting: null, language_detection: null, turn_detection: null, status: 'preview' });
    expect(doc.models.find((m) => m.name === 'u3-rt-pro')).toMatchObject({ aliases: ['u3-pro'], status: 'legacy' });
  });
});
