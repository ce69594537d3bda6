/**
 * Universal-Streaming v3 wire format: URL building, server-message parsing, close-code meanings.
 * Pure: no sockets here. See ../shared/PROTOCOL.md (§2 parameters, §3 messages, §6 close codes).
 */
import type { Auth, StreamingParams } from '../types.js';
import { AppError, ErrorCode } from '../errors.js';

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

const SEE_DOCS = 'https://www.assemblyai.com/docs/speech-to-text/universal-streaming';

/**
 * One error for a session that ended badly: the `Error` frame's text wins over the close reason (§6.1),
 * and its code decides the exit code (1008 auth -> 4; everything else -> 1).
 */
export function describeServerError(code: number | undefined, text: string | undefined): AppError {
  const detail = text !== undefined && text !== '' && text !== 'See Error message for details' ? text : undefined;
  const said = detail === undefined ? '' : ` (${detail})`;
  const concurrency = detail !== undefined && /too many concurrent sessions/i.test(detail);
  if (code === 3009 || (code === 1008 && concurrency)) {
    return new AppError(ErrorCode.server, `the service refused a new session: too many sessions started this minute${said}`, {
      closeCode: code,
      hint: 'wait a minute and try again; check that no other sessions are left open',
    });
  }
  switch (code) {
    case 1008:
    case 4001:
      return new AppError(ErrorCode.auth, `the service rejected the credentials${said}`, {
        closeCode: code,
        hint: /expired/i.test(detail ?? '')
          ? 'the temporary token has expired: mint a new one'
          : 'check ASSEMBLYAI_API_KEY (or --api-key / --token): it must be a valid key of an account with streaming access',
      });
    case 4002:
    case 4003:
      return new AppError(ErrorCode.auth, `the account cannot open a session${said}`, { closeCode: code, hint: 'check the account balance and billing at https://www.assemblyai.com/app' });
    case 3005:
      return new AppError(ErrorCode.server, `the service cancelled the session${said}`, { closeCode: code, hint: 'this is a server-side error; try again' });
    case 3006:
      return new AppError(ErrorCode.server, `the service refused the request${said}`, { closeCode: code, hint: `check the options against ${SEE_DOCS}` });
    case 3007:
      return new AppError(ErrorCode.server, `the service refused the audio${said}`, { closeCode: code, hint: 'this is a bug in live-transcribe: please report it' });
    case 3008:
      return new AppError(ErrorCode.server, `the session reached its maximum duration${said}`, { closeCode: code, hint: 'sessions last at most 3 hours (less with a temporary token); start a new one' });
    case 1006:
      return new AppError(ErrorCode.network, 'the connection to the service was lost', { closeCode: code, hint: 'check the network connection and try again' });
    case 1011:
      return new AppError(ErrorCode.server, `the service hit an internal error${said}`, { closeCode: code, hint: 'try again in a moment' });
    default:
      return new AppError(
        ErrorCode.server,
        `the service closed the connection${code === undefined ? '' : ` (code ${code})`}${said}`,
        code === undefined ? {} : { closeCode: code },
      );
  }
}

/** A rejected WebSocket upgrade (HTTP status + body, §6.1 "Pre-upgrade HTTP rejections"). */
export function describeHttpRejection(status: number, body: string): AppError {
  const detail = summarizeBody(body);
  const said = detail === '' ? '' : `: ${detail}`;
  if (status === 401) {
    return new AppError(ErrorCode.auth, `the service rejected the credentials (HTTP 401${said})`, {
      httpStatus: status,
      hint: 'check ASSEMBLYAI_API_KEY (or --api-key / --token)',
    });
  }
  if (status === 403) {
    return new AppError(ErrorCode.auth, `access forbidden (HTTP 403${said})`, {
      httpStatus: status,
      hint: 'the key may lack streaming access or this region, or a network filter blocked the request',
    });
  }
  return new AppError(ErrorCode.server, `the service refused the connection (HTTP ${status}${said})`, {
    httpStatus: status,
    hint: status === 404 ? 'check --api-host: the streaming endpoint is wss://streaming.assemblyai.com/v3/ws' : 'try again in a moment',
  });
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
