/**
 * The run's options -> the body of POST /v2/transcript (docs/service.md#transcript-request), for the options that API has:
 * language, model family, keyterms, speakers, PII redaction, profanity. Pure.
 */
import type { StreamingParams } from '../core/types.js';
import { findModel } from '../streaming/models.js';

/** CHOICE (docs/service.md#transcript-request recommendation): the newest model first, universal-2 for the languages it lacks. */
export const DEFAULT_PRERECORDED_MODELS: readonly string[] = ['assemblyai-stt-3-7', 'universal-2'];
/** The English-only streaming family maps to the cheaper pre-recorded model of the same generation. */
const UNIVERSAL_2_ONLY: readonly string[] = ['universal-2'];

/** What the pre-recorded API is asked for: the fields of docs/service.md#transcript-request this client uses. */
export interface TranscriptOptions {
  speechModels: readonly string[];
  languageCode?: string;
  languageDetection?: boolean;
  expectedLanguages?: string[];
  keyterms?: string[];
  speakerLabels?: boolean;
  maxSpeakers?: number;
  redactPiiPolicies?: string[];
  redactPiiSub?: 'hash' | 'entity_name';
  filterProfanity?: boolean;
  /** Transcribe only up to here (ms from the start of the file). */
  audioEndAtMs?: number;
}

/** The streaming model's family -> the pre-recorded speech_models (sent pinned, docs/service.md#transcript-request). */
function modelsFor(streamingModel: string): readonly string[] {
  const family = findModel(streamingModel)?.family;
  return family === 'universal-streaming' ? UNIVERSAL_2_ONLY : DEFAULT_PRERECORDED_MODELS;
}

/** The run's streaming parameters -> the options of a pre-recorded transcript with the same meaning. */
export function transcriptOptionsFor(params: StreamingParams): TranscriptOptions {
  const m = params.model ?? {};
  const out: TranscriptOptions = { speechModels: modelsFor(params.speechModel) };
  const langs = m.languageCodes;
  if (langs !== undefined && langs.length === 1 && m.languageDetection !== true) out.languageCode = langs[0];
  else if (m.languageDetection === true || (langs !== undefined && langs.length > 1)) {
    out.languageDetection = true;
    if (langs !== undefined && langs.length > 1) out.expectedLanguages = [...langs];
  } else if (params.speechModel === 'universal-streaming-english') out.languageCode = 'en';
  if (params.keyterms !== undefined && params.keyterms.length > 0) out.keyterms = [...params.keyterms];
  if (m.speakerLabels === true) out.speakerLabels = true;
  if (m.speakerLabels === true && m.maxSpeakers !== undefined) out.maxSpeakers = m.maxSpeakers;
  if (m.redactPiiPolicies !== undefined && m.redactPiiPolicies.length > 0) out.redactPiiPolicies = [...m.redactPiiPolicies];
  if (m.redactPiiSub !== undefined) out.redactPiiSub = m.redactPiiSub;
  if (m.filterProfanity === true) out.filterProfanity = true;
  return out;
}

/** The JSON body of POST /v2/transcript. */
export function transcriptBody(audioUrl: string, o: TranscriptOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { audio_url: audioUrl, speech_models: [...o.speechModels] };
  if (o.languageCode !== undefined) body.language_code = o.languageCode;
  if (o.languageDetection === true) {
    body.language_detection = true;
    if (o.expectedLanguages !== undefined) body.language_detection_options = { expected_languages: o.expectedLanguages };
  }
  if (o.keyterms !== undefined) body.keyterms_prompt = o.keyterms;
  if (o.speakerLabels === true) {
    body.speaker_labels = true;
    if (o.maxSpeakers !== undefined) body.speaker_options = { max_speakers_expected: o.maxSpeakers };
  }
  if (o.redactPiiPolicies !== undefined) {
    body.redact_pii = true;
    body.redact_pii_policies = o.redactPiiPolicies;
    if (o.redactPiiSub !== undefined) body.redact_pii_sub = o.redactPiiSub;
  }
  if (o.filterProfanity === true) body.filter_profanity = true;
  if (o.audioEndAtMs !== undefined) body.audio_end_at = o.audioEndAtMs;
  return body;
}
