/**
 * Universal-Streaming v3 wire format: URL building, server-message parsing, errors built from close-codes.ts.
 * Pure: no sockets here. See ../shared/PROTOCOL.md (§2 parameters, §3 messages, §6 close codes).
 */
import type { Auth, StreamingParams } from '../types.js';
import { AppError } from '../errors.js';
import { closeCodeInfo, httpStatusInfo } from './close-codes.js';

export const API_VERSION = '2025-05-12';

/** Query string per PROTOCOL.md §2.1: unset parameters omitted, lists JSON-encoded, booleans as true/false. */
export function buildQuery(params: StreamingParams, auth: Auth): URLSearchParams {
  const q = new URLSearchParams();
  if (auth.kind === 'token') q.set('token', auth.token);
  q.set('sample_rate', String(params.sampleRateHz));
  q.set('encoding', params.encoding);
  q.set('speech_model', params.speechModel);
  // Sent whether true or false: the official JS SDK drops `false`, so the server default would win (§11.2).
  q.set('format_turns', String(params.formatTurns));
  if (params.keyterms !== undefined) q.set('keyterms_prompt', JSON.stringify(params.keyterms));
  if (params.endOfTurnConfidenceThreshold !== undefined) {
    q.set('end_of_turn_confidence_threshold', String(params.endOfTurnConfidenceThreshold));
  }
  if (params.minTurnSilenceMs !== undefined) q.set('min_turn_silence', String(params.minTurnSilenceMs));
  if (params.maxTurnSilenceMs !== undefined) q.set('max_turn_silence', String(params.maxTurnSilenceMs));
  if (params.inactivityTimeoutS !== undefined) q.set('inactivity_timeout', String(params.inactivityTimeoutS));
  return q;
}

export function buildUrl(endpoint: string, params: StreamingParams, auth: Auth): string {
  return `${endpoint}?${buildQuery(params, auth).toString()}`;
}

/** Whether a formatted final is expected as a separate message after the unformatted one (§5.3 classic). */
export function expectsFormattedTwin(params: StreamingParams): boolean {
  return params.formatTurns && (params.speechModel.startsWith('universal-streaming') || params.speechModel === 'whisper-rt');
}

export interface Word {
  text: string;
  startMs: number;
  endMs: number;
  confidence: number;
  final: boolean;
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
}

export type ServerMessage =
  | { type: 'Begin'; id: string; expiresAt: number | undefined }
  | TurnMessage
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

/** Never throws: unknown types and malformed messages come back typed so the caller can ignore them (§8.3). */
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
  // Legacy shape: {"error": "..."} with no type (§3.4).
  if (type === undefined && typeof m.error === 'string') return { type: 'Error', code: num(m.error_code), message: label(m.error, 1000) ?? '' };
  switch (type) {
    case 'Begin': {
      const id = label(m.id, 100);
      return id === undefined || id === '' ? { type: 'Invalid', reason: 'Begin without id' } : { type: 'Begin', id, expiresAt: epochSeconds(m.expires_at) };
    }
    case 'Turn':
      return parseTurn(m);
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

function parseTurn(m: Json): ServerMessage {
  const turnOrder = num(m.turn_order);
  if (turnOrder === undefined || !Number.isInteger(turnOrder) || turnOrder < 0) return { type: 'Invalid', reason: 'Turn without turn_order' };
  if (typeof m.end_of_turn !== 'boolean') return { type: 'Invalid', reason: 'Turn without end_of_turn' };
  const words: Word[] = [];
  if (Array.isArray(m.words)) {
    for (const w of m.words as unknown[]) {
      if (typeof w !== 'object' || w === null) continue;
      const o = w as Json;
      const text = str(o.text);
      if (text === undefined) continue;
      words.push({
        text,
        startMs: audioMs(o.start),
        endMs: audioMs(o.end),
        confidence: num(o.confidence) ?? 0,
        final: o.word_is_final !== false,
      });
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
  return turn;
}

/**
 * One error for a session that ended badly: the `Error` frame's text wins over the close reason (§6.1);
 * the row of its code in close-codes.ts gives the message, the hint and the error code (1008 auth -> exit 4).
 */
export function describeServerError(code: number | undefined, text: string | undefined): AppError {
  const detail = text !== undefined && text !== '' && text !== 'See Error message for details' ? text : undefined;
  const said = detail === undefined ? '' : ` (${detail})`;
  const info = closeCodeInfo(code, detail);
  if (code === undefined) return new AppError(info.errorCode, `the service closed the connection${said}`);
  const hint = info.hint?.(detail ?? '');
  return new AppError(info.errorCode, info.message(said, code), hint === undefined ? { closeCode: code } : { closeCode: code, hint });
}

/** A rejected WebSocket upgrade (HTTP status + body, §6.1 "Pre-upgrade HTTP rejections"). */
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
