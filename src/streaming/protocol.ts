/**
 * Universal-Streaming v3 wire format: URL building, server-message parsing, errors built from close-codes.ts.
 * Pure: no sockets here. See docs/service.md#connecting, docs/service.md#turns, docs/service.md#errors-and-close-codes.
 */
import type { Auth, StreamingParams } from '../core/types.js';
import { AppError, ErrorCode } from '../core/errors.js';
import { closeCodeInfo, httpStatusInfo } from './close-codes.js';
import { describeServerModelError, expectsFormattedTwinFor, setModelQuery } from './models.js';

export const API_VERSION = '2025-05-12';

/** Query string per docs/service.md#connecting: unset parameters omitted, lists JSON-encoded, booleans as true/false. */
export function buildQuery(params: StreamingParams, auth: Auth): URLSearchParams {
  const q = new URLSearchParams();
  if (auth.kind === 'token') q.set('token', auth.token);
  q.set('sample_rate', String(params.sampleRateHz));
  q.set('encoding', params.encoding);
  q.set('speech_model', params.speechModel);
  // Sent whether true or false (the official JS SDK drops `false`, so the server default would win, docs/service.md#connecting),
  // but not at all to the models that are always formatted (docs/service.md#speech-models): there it does nothing.
  if (params.formatTurns !== undefined) q.set('format_turns', String(params.formatTurns));
  if (params.keyterms !== undefined) q.set('keyterms_prompt', JSON.stringify(params.keyterms));
  if (params.endOfTurnConfidenceThreshold !== undefined) {
    q.set('end_of_turn_confidence_threshold', String(params.endOfTurnConfidenceThreshold));
  }
  if (params.minTurnSilenceMs !== undefined) q.set('min_turn_silence', String(params.minTurnSilenceMs));
  if (params.maxTurnSilenceMs !== undefined) q.set('max_turn_silence', String(params.maxTurnSilenceMs));
  if (params.inactivityTimeoutS !== undefined) q.set('inactivity_timeout', String(params.inactivityTimeoutS));
  setModelQuery(q, params.model ?? {});
  return q;
}

export function buildUrl(endpoint: string, params: StreamingParams, auth: Auth): string {
  return `${endpoint}?${buildQuery(params, auth).toString()}`;
}

/** Whether a formatted final is expected as a separate message after the unformatted one (docs/service.md#turns, docs/service.md#speech-models). */
export function expectsFormattedTwin(params: StreamingParams): boolean {
  return params.formatTurns === true && expectsFormattedTwinFor(params.speechModel, params.formatTurns);
}

export interface Word {
  text: string;
  startMs: number;
  endMs: number;
  confidence: number;
  final: boolean;
  /** With speaker_labels (docs/service.md#model-parameters). */
  speaker?: string;
  speakerConfidence?: number;
}

export interface TurnMessage {
  type: 'Turn';
  turnOrder: number;
  endOfTurn: boolean;
  formatted: boolean;
  transcript: string;
  endOfTurnConfidence: number;
  words: Word[];
  languageCode?: string;
  /** Detected language's confidence, 0-1 (docs/service.md#model-parameters). */
  languageConfidence?: number;
  /** The turn's speaker (docs/service.md#model-parameters): `A`, `B`, ... or `PENDING`; only on finals with speaker_labels. */
  speakerLabel?: string;
  speakerConfidence?: number;
}

/** One turn's speaker settled or changed after the fact (docs/service.md#turns), by its turn_order in the session. */
export interface SpeakerRevisionItem {
  turnOrder: number;
  speaker: string;
}

export type ServerMessage =
  | { type: 'Begin'; id: string; expiresAt: number | undefined; model?: string }
  | TurnMessage
  | { type: 'SpeakerRevision'; revisions: SpeakerRevisionItem[] }
  /** Read and deliberately ignored: voice activity, silence stretches, keep-alives (docs/service.md#other-messages). */
  | { type: 'Ignored'; name: 'SpeechStarted' | 'Silence' | 'Heartbeat' }
  | { type: 'Termination'; audioDurationS: number | undefined; sessionDurationS: number | undefined }
  | { type: 'Error'; code: number | undefined; message: string }
  | { type: 'Warning'; code: number | undefined; message: string }
  | { type: 'Unknown'; name: string }
  | { type: 'Invalid'; reason: string };

type Json = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** Text from the network that is not transcript (ids, codes, messages): no control characters, bounded. */
const label = (v: unknown, max = 200): string | undefined =>
  typeof v === 'string' ? v.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, max) : undefined;
/** A time in ms on the audio timeline: finite, never negative, and within ten days. */
const audioMs = (v: unknown): number => Math.min(Math.max(num(v) ?? 0, 0), 864_000_000);
/** Unix seconds between 2000 and 2200; anything else is not a time the session can end at. */
const epochSeconds = (v: unknown): number | undefined => {
  const n = num(v);
  return n !== undefined && n > 946_684_800 && n < 7_258_118_400 ? n : undefined;
};

/** Never throws: unknown types and malformed messages come back typed so the caller can ignore them (docs/service.md#other-messages). */
export function parseServerMessage(text: string): ServerMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { type: 'Invalid', reason: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { type: 'Invalid', reason: 'not an object' };
  const m = value as Json;
  const type = m.type;
  // Legacy shape: {"error": "..."} with no type (docs/service.md#other-messages).
  if (type === undefined && typeof m.error === 'string') return { type: 'Error', code: num(m.error_code), message: label(m.error, 1000) ?? '' };
  switch (type) {
    case 'Begin':
      return parseBegin(m);
    case 'Turn':
      return parseTurn(m);
    case 'SpeakerRevision':
      return parseSpeakerRevision(m);
    case 'SpeechStarted':
    case 'Silence':
    case 'Heartbeat':
      return { type: 'Ignored', name: type };
    case 'Termination':
      return { type: 'Termination', audioDurationS: num(m.audio_duration_seconds), sessionDurationS: num(m.session_duration_seconds) };
    case 'Error':
      return { type: 'Error', code: num(m.error_code), message: label(m.error, 1000) ?? 'unknown error' };
    case 'Warning':
      return { type: 'Warning', code: num(m.warning_code), message: label(m.warning, 1000) ?? '' };
    default:
      return typeof type === 'string' ? { type: 'Unknown', name: type } : { type: 'Invalid', reason: 'no type' };
  }
}

function parseBegin(m: Json): ServerMessage {
  const id = label(m.id, 100);
  if (id === undefined || id === '') return { type: 'Invalid', reason: 'Begin without id' };
  const begin: ServerMessage = { type: 'Begin', id, expiresAt: epochSeconds(m.expires_at) };
  const configuration = m.configuration;
  const model = typeof configuration === 'object' && configuration !== null ? label((configuration as Json).model, 100) : undefined;
  if (model !== undefined && model !== '') begin.model = model;
  return begin;
}

/** docs/service.md#turns: `revisions[]` of `{turn_order, speaker_label}`; malformed items are skipped. */
function parseSpeakerRevision(m: Json): ServerMessage {
  const revisions: SpeakerRevisionItem[] = [];
  for (const r of Array.isArray(m.revisions) ? (m.revisions as unknown[]) : []) {
    if (typeof r !== 'object' || r === null) continue;
    const turnOrder = num((r as Json).turn_order);
    const speaker = label((r as Json).speaker_label, 20);
    if (turnOrder !== undefined && Number.isInteger(turnOrder) && speaker !== undefined) revisions.push({ turnOrder, speaker });
  }
  return { type: 'SpeakerRevision', revisions };
}

/** A 0-1 confidence, or undefined. */
const unit = (v: unknown): number | undefined => {
  const n = num(v);
  return n !== undefined && n >= 0 && n <= 1 ? n : undefined;
};

function parseWord(o: Json): Word | undefined {
  const text = str(o.text);
  if (text === undefined) return undefined;
  const word: Word = { text, startMs: audioMs(o.start), endMs: audioMs(o.end), confidence: num(o.confidence) ?? 0, final: o.word_is_final !== false };
  const speaker = label(o.speaker, 20);
  if (speaker !== undefined) word.speaker = speaker;
  const speakerConfidence = unit(o.speaker_confidence);
  if (speakerConfidence !== undefined) word.speakerConfidence = speakerConfidence;
  return word;
}

function parseTurn(m: Json): ServerMessage {
  const turnOrder = num(m.turn_order);
  if (turnOrder === undefined || !Number.isInteger(turnOrder) || turnOrder < 0) return { type: 'Invalid', reason: 'Turn without turn_order' };
  if (typeof m.end_of_turn !== 'boolean') return { type: 'Invalid', reason: 'Turn without end_of_turn' };
  const words: Word[] = [];
  if (Array.isArray(m.words)) {
    for (const w of m.words as unknown[]) {
      const word = typeof w === 'object' && w !== null ? parseWord(w as Json) : undefined;
      if (word !== undefined) words.push(word);
    }
  }
  const turn: TurnMessage = {
    type: 'Turn',
    turnOrder,
    endOfTurn: m.end_of_turn,
    formatted: m.turn_is_formatted === true,
    transcript: str(m.transcript) ?? '',
    endOfTurnConfidence: num(m.end_of_turn_confidence) ?? 0,
    words,
  };
  const lang = label(m.language_code, 20);
  if (lang !== undefined) turn.languageCode = lang;
  const languageConfidence = unit(m.language_confidence);
  if (languageConfidence !== undefined) turn.languageConfidence = languageConfidence;
  const speaker = label(m.speaker_label, 20);
  if (speaker !== undefined && speaker !== '') turn.speakerLabel = speaker;
  const speakerConfidence = unit(m.speaker_confidence);
  if (speakerConfidence !== undefined) turn.speakerConfidence = speakerConfidence;
  return turn;
}

/**
 * One error for a session that ended badly: the `Error` frame's text wins over the close reason (docs/service.md#errors-and-close-codes);
 * the row of its code in close-codes.ts gives the message, the hint and the error code (1008 auth -> exit 4).
 */
export function describeServerError(code: number | undefined, text: string | undefined, askedModel?: string): AppError {
  const detail = text !== undefined && text !== '' && text !== 'See Error message for details' ? text : undefined;
  // 3006 for an unknown speech_model: the service's list, in plain words (docs/service.md#speech-models).
  const model = code === 3006 && detail !== undefined ? describeServerModelError(detail, askedModel) : undefined;
  if (model !== undefined) return new AppError(ErrorCode.usage, model.message, { closeCode: 3006, hint: model.hint });
  const said = detail === undefined ? '' : ` (${detail})`;
  const info = closeCodeInfo(code, detail);
  if (code === undefined) return new AppError(info.errorCode, `the service closed the connection${said}`);
  const hint = info.hint?.(detail ?? '');
  return new AppError(info.errorCode, info.message(said, code), hint === undefined ? { closeCode: code } : { closeCode: code, hint });
}

/** A rejected WebSocket upgrade (HTTP status + body, docs/service.md#errors-and-close-codes). */
export function describeHttpRejection(status: number, body: string): AppError {
  const detail = summarizeBody(body);
  const info = httpStatusInfo(status);
  const hint = info.hint?.(detail);
  const said = detail === '' ? '' : `: ${detail}`;
  return new AppError(info.errorCode, info.message(said, status), hint === undefined ? { httpStatus: status } : { httpStatus: status, hint });
}

function summarizeBody(body: string): string {
  const text = body.trim();
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      const o = parsed as Json;
      const message = str(o.error) ?? str(o.message) ?? str(o.detail);
      if (message !== undefined) return message.slice(0, 300);
    }
  } catch {
    // not JSON: show the text itself
  }
  return text.replace(/\s+/g, ' ').slice(0, 300);
}
