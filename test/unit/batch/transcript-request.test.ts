import { describe, expect, it } from 'vitest';
import { DEFAULT_PRERECORDED_MODELS, transcriptBody, transcriptOptionsFor } from '../../../src/batch/transcript-request.js';

const base = { sampleRateHz: 16_000, encoding: 'pcm_s16le' as const, formatTurns: undefined };

describe('transcriptOptionsFor / transcriptBody', () => {
  it('the English streaming model -> universal-2 in English', () => {
    const o = transcriptOptionsFor({ ...base, speechModel: 'universal-streaming-english' });
    expect(transcriptBody('u', o)).toEqual({ audio_url: 'u', speech_models: ['universal-2'], language_code: 'en' });
  });

  it('the U3 family with one language, keyterms, speakers, PII and profanity', () => {
    const o = transcriptOptionsFor({
      ...base,
      speechModel: 'universal-3-6-pro',
      keyterms: ['Kubernetes'],
      model: {
        languageCodes: ['de'],
        speakerLabels: true,
        maxSpeakers: 3,
        redactPiiPolicies: ['person_name'],
        redactPiiSub: 'hash',
        filterProfanity: true,
      },
    });
    expect(transcriptBody('u', o)).toEqual({
      audio_url: 'u',
      speech_models: [...DEFAULT_PRERECORDED_MODELS],
      language_code: 'de',
      keyterms_prompt: ['Kubernetes'],
      speaker_labels: true,
      speaker_options: { max_speakers_expected: 3 },
      redact_pii: true,
      redact_pii_policies: ['person_name'],
      redact_pii_sub: 'hash',
      filter_profanity: true,
    });
  });

  it('several languages or detection -> language_detection with the expected languages', () => {
    const o = transcriptOptionsFor({ ...base, speechModel: 'universal-3-6-pro', model: { languageCodes: ['en', 'es'] } });
    expect(transcriptBody('u', o)).toMatchObject({ language_detection: true, language_detection_options: { expected_languages: ['en', 'es'] } });
    expect(transcriptBody('u', o)).not.toHaveProperty('language_code');
  });
});
