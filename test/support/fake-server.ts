/**
 * Test double of AssemblyAI's Universal-Streaming v3 WebSocket server (`/v3/ws`) and its token endpoint
 * (`/v3/token`), following /work/shared/PROTOCOL.md (cited below as §N). It is meant to be as strict as
 * the real service: where the real service would close the session, so does the double.
 *
 * Transcription is scripted: the double measures the loudness of each audio frame; speech frames
 * release the words of the current scripted turn one by one (partials), and enough silence *audio*
 * ends the turn (finals). Optionally a real offline recognizer (./recognizer.ts) supplies the final
 * text from the turn's audio, so tests can prove the right audio arrived.
 *
 * Choices where PROTOCOL.md leaves behaviour open are marked "CHOICE".
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import type { Recognizer } from './recognizer.js';

export type { Recognizer } from './recognizer.js';

// ---------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------

export interface FakeServerOptions {
  /** Accepted raw API keys (`Authorization: <key>`, no Bearer). Default ['test-key-0000']. */
  apiKeys?: string[];
  /** Accepted temporary tokens (via `?token=` or `Authorization: <token>`); never expire. Default []. */
  tokens?: string[];
  /** Tokens that are past their redemption window -> Error 1008 "Unauthorized Connection: Signature has expired". */
  expiredTokens?: string[];
  /**
   * How an auth failure is reported. 'in-band' (default, observed): 101, then Error 1008 and close 1008.
   * 'http-401' / 'http-403': HTTP rejection of the upgrade with JSON body {"error":"..."} (§6.1).
   */
  authMode?: 'in-band' | 'http-401' | 'http-403';
  /** Default true: missing speech_model -> 3006 (2026-03 docs). false -> universal-3-5-pro (observed, §2.2). */
  speechModelRequired?: boolean;
  /**
   * format_turns=true on universal-streaming-* (§5.3). 'classic' (default): unformatted final, then a
   * second formatted final with the same turn_order. 'inline': every message formatted, one final.
   */
  formatMode?: 'classic' | 'inline';
  /** Delay from upgrade to Begin. Default 50 (real service ~1200, §3.1). */
  beginDelayMs?: number;
  /** Accept the socket, then do nothing at all: no Begin, no errors, no close (a hung server). */
  noBegin?: boolean;
  /** On Terminate: flush finals but never send Termination nor close. */
  noTermination?: boolean;
  /** Delay from the flushed finals to Termination. Default 50 (real 550-1300, §5.5). */
  terminationDelayMs?: number;
  /** Default true: an extra empty final (transcript:"", words:[]) on Terminate (observed, §5.2). */
  emptyFinalOnTerminate?: boolean;
  /**
   * Frame-duration check (§4.1, §9.8). 'strict' (default): any frame outside 50-1000 ms -> 3007.
   * 'lenient' (observed): over-long frames fail at once; short frames only after ~1 s worth of
   * consecutive short frames, so a single trailing short frame is tolerated.
   */
  frameCheck?: 'strict' | 'lenient';
  /** Audio seconds received minus wall seconds since upgrade; above this -> 3007 rate error (§9.9). Default 10. */
  maxLeadSeconds?: number;
  /** Texts of the turns, in order (lowercase words). Default ['hello world']. Cycles when exhausted. */
  script?: string[];
  /** If given, a finished turn's final text comes from recognizing that turn's audio ("" -> script). */
  recognizer?: Recognizer;
  /** Frame RMS above this many dBFS counts as speech. Default -45. */
  speechThresholdDbfs?: number;
  /** Milliseconds of speech audio per released word in partials. Default 150. */
  wordIntervalMs?: number;
  /** After Begin, send this Error and close with its code (mid-session error, §3.4). */
  errorAfter?: { afterMs: number; code: number; message: string };
  /** After Begin, send this Error and then nothing at all: no close (§9.24). */
  errorWithoutClose?: { afterMs: number; code: number; message: string };
  /** Begin.expires_at = now + this (default 10800, §5.7); at expiry: Error 3008 + close 3008. May be fractional. */
  expiresInSeconds?: number;
  /** Abrupt TCP destroy this long after Begin (the client sees 1006). */
  dropAfterMs?: number;
  /** Refuse the upgrade with this HTTP status (a server that is down or overloaded). */
  refuseUpgrade?: number;
  /** Options for one session (by index, from 0) over the others: faults in chosen sessions only. */
  perSession?: (index: number) => Omit<FakeServerOptions, 'perSession' | 'tls' | 'tokens' | 'expiredTokens'>;

  // --- Extensions beyond the agreed API (all optional) ---
  /** Length of one "second" of `inactivity_timeout`, so tests can use the 5 s minimum quickly. Default 1000. */
  inactivityMsPerSecond?: number;
  /** Add Begin.configuration like newer servers do (§3.1). Default false. */
  beginConfiguration?: boolean;
  /** At 3008 expiry, send Termination before the Error (the docs' reading of §5.7). Default false. */
  terminationOnExpiry?: boolean;
  /**
   * Serve TLS: `wss://` (and `https://` for /v3/token) with this PEM certificate and key; `url` then starts
   * with `wss://`. Clients must trust the certificate (e.g. NODE_EXTRA_CA_CERTS); the official JS SDK accepts
   * only wss:// (§1.1). Default: plain ws://.
   */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export interface ReceivedFrame {
  bytes: number;
  ms: number;
  /** ms since upgrade */
  atMs: number;
  data: Buffer;
}

export interface SessionRecord {
  /** The Begin id ('' if none sent). */
  id: string;
  url: string;
  path: string;
  /** Decoded query params (last value wins for repeated keys). */
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  authorized: boolean;
  /** Binary frames, including any received after Terminate or an error. */
  frames: ReceivedFrame[];
  /** Parsed client text messages, in order (raw string if unparsable). */
  texts: unknown[];
  /** Every JSON message the double sent. */
  sentMessages: unknown[];
  /** Total audio ms received. */
  audioMs: number;
  /** The client sent Terminate. */
  terminated: boolean;
  terminationSent: boolean;
  closed: boolean;
  /** The code the closing side used (1006 for a drop; for an HTTP rejection: undefined). */
  closeCode?: number;
  closedBy?: 'server' | 'client';
  /** The error the double raised, if any (for an HTTP rejection: the HTTP status). */
  error?: { code: number; message: string };
  openedAt: number;
  closedAt?: number;
}

export interface FakeServer {
  /** 'ws://127.0.0.1:PORT' ('wss://…' with the `tls` option; no path: the client adds /v3/ws). */
  url: string;
  port: number;
  sessions: SessionRecord[];
  /** Resolves when pred holds (checked on every event); rejects after timeoutMs (default 10000) with a descriptive error. */
  waitFor(pred: (s: SessionRecord[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Waits for sessions[index] (default 0) to be closed. */
  waitForSessionClosed(index?: number, timeoutMs?: number): Promise<SessionRecord>;
  /**
   * Sends a scripted JSON message (normally a `Turn`) on session #index at once, outside the script (e.g. a
   * benchmark timing finals). Sent only after Begin and while the session is live; recorded in sentMessages.
   * Returns whether it was sent.
   */
  sendTurn(sessionIndex: number, message: Record<string, unknown>): boolean;
  /** Terminates all sockets and the server. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// Protocol constants
// ---------------------------------------------------------------------------------------------------

/** The server's full enum, as quoted in a live 3006 error (§2.2). */
const SPEECH_MODELS = [
  'universal-streaming-english',
  'universal-streaming-multilingual',
  'whisper-rt',
  'u3-rt-pro',
  'u3-rt-pro-beta-1',
  'u3-rt-agent',
  'universal-3-5-pro',
  'universal-3-6-pro',
  'universal-3-6',
  'universal-3-7-preview',
  '_universal-3-5-notetaker',
] as const;
/** The model used when speech_model is missing and not required (observed 2026-08/09, §2.2). */
const OBSERVED_DEFAULT_MODEL = 'universal-3-5-pro';
const ENCODINGS = ['pcm_s16le', 'pcm_mulaw', 'opus', 'ogg_opus', 'aac'] as const;
type Encoding = (typeof ENCODINGS)[number];

const VALIDATION_PREFIX = 'User Input Validation Error: ';
/** Observed reason on every error close (§6.1). */
const ERROR_CLOSE_REASON = 'See Error message for details';
const MIN_FRAME_MS = 50;
const MAX_FRAME_MS = 1000;
/** Lenient mode: 20 ms frames were rejected at the 49th frame (~977 ms, §4.1): the limit lies in (960, 980]. */
const LENIENT_SHORT_RUN_LIMIT_MS = 975;
/** §5.4: at least 80 ms of speech is needed before silence can end a turn. */
const MIN_TURN_SPEECH_MS = 80;
/** CHOICE: ForceEndpoint answers after this long (real p50 267 ms, §4.3; kept short for fast tests). */
const FORCE_ENDPOINT_DELAY_MS = 50;
/**
 * CHOICE: the scripted "model" is confident a turn has ended when it hears silence after speech. With
 * end_of_turn_confidence_threshold below this, min_turn_silence ends the turn (semantic path); at or
 * above it (e.g. 1), max_turn_silence does (acoustic path), per §5.4.
 */
const MODEL_EOT_CONFIDENCE = 0.9;
const ACOUSTIC_EOT_CONFIDENCE = 0.3;
const FORCED_EOT_CONFIDENCE = 0.5;
const WORD_CONFIDENCE = 0.95;
const DEFAULT_MAX_SESSION_SECONDS = 10800;

// ---------------------------------------------------------------------------------------------------
// Parameter validation (§2, §9.4)
// ---------------------------------------------------------------------------------------------------

class ValidationError extends Error {}

function invalid(param: string, detail: string): ValidationError {
  return new ValidationError(`${VALIDATION_PREFIX}Invalid '${param}': ${detail}`);
}

/** Pydantic-style enum message: "Input should be 'a', 'b' or 'c'". */
function enumMessage(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  const last = quoted.pop();
  return `Input should be ${quoted.join(', ')} or ${last ?? ''}`;
}

function parseIntValue(param: string, raw: unknown, min?: number, max?: number): number {
  let n: number;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw invalid(param, 'Input should be a finite number');
    if (!Number.isInteger(raw)) throw invalid(param, 'Input should be a valid integer, got a number with a fractional part');
    n = raw;
  } else if (typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw)) {
    n = Number(raw.trim());
  } else if (typeof raw === 'string') {
    throw invalid(param, 'Input should be a valid integer, unable to parse string as an integer');
  } else {
    throw invalid(param, 'Input should be a valid integer');
  }
  if (min !== undefined && n < min) throw invalid(param, `Input should be greater than or equal to ${min}`);
  if (max !== undefined && n > max) throw invalid(param, `Input should be less than or equal to ${max}`);
  return n;
}

function parseNumberValue(param: string, raw: unknown, min: number, max: number): number {
  let n: number;
  if (typeof raw === 'number') {
    n = raw;
  } else if (typeof raw === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(raw)) {
    n = Number(raw.trim());
  } else if (typeof raw === 'string') {
    throw invalid(param, 'Input should be a valid number, unable to parse string as a number');
  } else {
    throw invalid(param, 'Input should be a valid number');
  }
  if (!Number.isFinite(n)) throw invalid(param, 'Input should be a finite number');
  if (n < min) throw invalid(param, `Input should be greater than or equal to ${min}`);
  if (n > max) throw invalid(param, `Input should be less than or equal to ${max}`);
  return n;
}

/** Booleans: true/false in any case (the JS SDK sends `true`, the Python SDK `True`, §2.1). */
function parseBoolValue(param: string, raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    const v = raw.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  throw invalid(param, 'Input should be a valid boolean, unable to interpret input');
}

/**
 * keyterms_prompt: a JSON-encoded array of strings in the query (§2.1), a real array in
 * UpdateConfiguration (§4.2). At most 100 items; terms over 50 chars are dropped silently (§2.2).
 */
function parseKeyterms(raw: unknown, fromQuery: boolean): string[] {
  let value: unknown = raw;
  if (fromQuery) {
    if (typeof raw !== 'string') throw invalid('keyterms_prompt', 'Input should be a valid list');
    try {
      value = JSON.parse(raw);
    } catch {
      throw invalid('keyterms_prompt', 'Value error, keyterms_prompt must be a JSON-encoded list of strings');
    }
  }
  if (!Array.isArray(value)) throw invalid('keyterms_prompt', 'Input should be a valid list');
  if (value.some((t) => typeof t !== 'string')) throw invalid('keyterms_prompt', 'Input should be a valid string');
  if (value.length > 100) throw invalid('keyterms_prompt', 'Value error, Max 100 items');
  return (value as string[]).filter((t) => t.length <= 50);
}

function parseLimitedString(param: string, raw: unknown, maxLength: number): string {
  if (typeof raw !== 'string') throw invalid(param, 'Input should be a valid string');
  if (raw.length > maxLength) {
    throw invalid(param, `Value error, ${param} exceeds maximum length of ${maxLength} characters (got ${raw.length})`);
  }
  return raw;
}

interface SessionConfig {
  speechModel: string;
  encoding: Encoding;
  sampleRate: number;
  formatTurns: boolean;
  endOfTurnConfidenceThreshold: number;
  minTurnSilence: number;
  maxTurnSilence: number;
  vadThreshold: number;
  keyterms: string[];
  prompt?: string;
  agentContext?: string;
  filterProfanity: boolean;
  inactivityTimeout?: number;
  languageDetection: boolean;
  speakerLabels: boolean;
  maxSpeakers?: number;
  redactPii: boolean;
}

/**
 * Fields settable both at connect time and through UpdateConfiguration (§4.2). `source` values are
 * strings from the query or JSON values from UpdateConfiguration; null/undefined means "not set".
 */
function applyUpdatableFields(cfg: SessionConfig, source: Record<string, unknown>, fromQuery: boolean): void {
  const has = (k: string): boolean => source[k] !== undefined && source[k] !== null;
  if (has('format_turns')) cfg.formatTurns = parseBoolValue('format_turns', source.format_turns);
  if (has('end_of_turn_confidence_threshold')) {
    cfg.endOfTurnConfidenceThreshold = parseNumberValue('end_of_turn_confidence_threshold', source.end_of_turn_confidence_threshold, 0, 1);
  }
  if (has('vad_threshold')) cfg.vadThreshold = parseNumberValue('vad_threshold', source.vad_threshold, 0, 1);
  if (has('min_turn_silence')) cfg.minTurnSilence = parseIntValue('min_turn_silence', source.min_turn_silence, 0);
  if (has('max_turn_silence')) cfg.maxTurnSilence = parseIntValue('max_turn_silence', source.max_turn_silence, 0);
  if (has('keyterms_prompt')) cfg.keyterms = parseKeyterms(source.keyterms_prompt, fromQuery);
  if (has('prompt')) cfg.prompt = parseLimitedString('prompt', source.prompt, 1750);
  if (has('agent_context')) cfg.agentContext = parseLimitedString('agent_context', source.agent_context, 1750);
  if (has('filter_profanity')) cfg.filterProfanity = parseBoolValue('filter_profanity', source.filter_profanity);
  // CHOICE: the old name min_end_of_turn_silence_when_confident is treated as an unknown (ignored)
  // parameter, so a client still sending it is caught by its turn timing (§2.1: "not verified").
}

/** Connect-time validation (§9.4). Throws ValidationError with the full Error text. */
function validateQuery(query: Record<string, string>, speechModelRequired: boolean): SessionConfig {
  let speechModel = query.speech_model;
  if (speechModel === undefined) {
    // CHOICE: the text for a missing speech_model is not documented; pydantic's "Field required".
    if (speechModelRequired) throw invalid('speech_model', 'Field required');
    speechModel = OBSERVED_DEFAULT_MODEL;
  } else if (!(SPEECH_MODELS as readonly string[]).includes(speechModel)) {
    throw invalid('speech_model', enumMessage(SPEECH_MODELS));
  }

  const encodingRaw = query.encoding ?? 'pcm_s16le';
  if (!(ENCODINGS as readonly string[]).includes(encodingRaw)) {
    // Observed text is "…'flac' is not a valid Encoding" with no "Invalid '<param>'" part (§3.4).
    throw new ValidationError(`${VALIDATION_PREFIX}'${encodingRaw}' is not a valid Encoding`);
  }
  const encoding = encodingRaw as Encoding;

  let sampleRate = 16000;
  if (query.sample_rate === undefined) {
    // §9.4: required for PCM ([PY] requires it unless the encoding is compressed).
    if (encoding === 'pcm_s16le' || encoding === 'pcm_mulaw') throw invalid('sample_rate', 'Field required');
  } else {
    sampleRate = parseIntValue('sample_rate', query.sample_rate);
    if (sampleRate < 8000) throw invalid('sample_rate', 'Value error, sample_rate must be at least 8,000 Hz');
  }

  const cfg: SessionConfig = {
    speechModel,
    encoding,
    sampleRate,
    formatTurns: false,
    endOfTurnConfidenceThreshold: 0.4,
    minTurnSilence: 400,
    maxTurnSilence: 1280,
    vadThreshold: 0.4,
    keyterms: [],
    filterProfanity: false,
    languageDetection: false,
    speakerLabels: false,
    redactPii: false,
  };
  applyUpdatableFields(cfg, query, true);
  if (query.inactivity_timeout !== undefined) {
    cfg.inactivityTimeout = parseIntValue('inactivity_timeout', query.inactivity_timeout, 5, 3600);
  }
  if (query.language_detection !== undefined) cfg.languageDetection = parseBoolValue('language_detection', query.language_detection);
  if (query.speaker_labels !== undefined) cfg.speakerLabels = parseBoolValue('speaker_labels', query.speaker_labels);
  if (query.max_speakers !== undefined) cfg.maxSpeakers = parseIntValue('max_speakers', query.max_speakers, 1, 10);
  if (query.redact_pii !== undefined) cfg.redactPii = parseBoolValue('redact_pii', query.redact_pii);
  for (const flag of ['session_heartbeat', 'continuous_partials', 'include_partial_turns']) {
    const v = query[flag];
    if (v !== undefined) parseBoolValue(flag, v); // validated, otherwise not modelled
  }
  // Everything else is ignored, as the real server does with unknown/misspelled names (§2.1).
  return cfg;
}

// ---------------------------------------------------------------------------------------------------
// Audio helpers
// ---------------------------------------------------------------------------------------------------

/** G.711 µ-law byte -> 16-bit linear sample. */
function mulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return sign !== 0 ? -magnitude : magnitude;
}

function rmsDbfs(pcm16: Buffer): number {
  const n = Math.floor(pcm16.length / 2);
  if (n === 0) return -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const s = pcm16.readInt16LE(i * 2);
    sum += s * s;
  }
  const rms = Math.sqrt(sum / n) / 32768;
  return rms > 0 ? 20 * Math.log10(rms) : -Infinity;
}

function capitalise(word: string): string {
  return word.length > 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word;
}

/** The double's "formatting": capital first letter; a final also gets a full stop. */
function formatTexts(texts: string[], final: boolean): string[] {
  const out = texts.slice();
  if (out.length === 0) return out;
  out[0] = capitalise(out[0] ?? '');
  const lastIndex = out.length - 1;
  const last = out[lastIndex] ?? '';
  if (final && !/[.!?]$/.test(last)) out[lastIndex] = `${last}.`;
  return out;
}

function splitWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

// ---------------------------------------------------------------------------------------------------
// Session
// ---------------------------------------------------------------------------------------------------

interface ResolvedOptions {
  apiKeys: string[];
  authMode: 'in-band' | 'http-401' | 'http-403';
  speechModelRequired: boolean;
  formatMode: 'classic' | 'inline';
  beginDelayMs: number;
  noBegin: boolean;
  noTermination: boolean;
  terminationDelayMs: number;
  emptyFinalOnTerminate: boolean;
  frameCheck: 'strict' | 'lenient';
  maxLeadSeconds: number;
  script: string[][];
  recognizer: Recognizer | undefined;
  speechThresholdDbfs: number;
  wordIntervalMs: number;
  errorAfter: { afterMs: number; code: number; message: string } | undefined;
  errorWithoutClose: { afterMs: number; code: number; message: string } | undefined;
  expiresInSeconds: number;
  dropAfterMs: number | undefined;
  inactivityMsPerSecond: number;
  beginConfiguration: boolean;
  terminationOnExpiry: boolean;
  tls: { cert: string | Buffer; key: string | Buffer } | undefined;
  refuseUpgrade: number | undefined;
  perSession: FakeServerOptions['perSession'];
  raw: FakeServerOptions;
}

type AuthResult = { ok: true; maxSessionSeconds?: number } | { ok: false; message: string };

interface TimedWord {
  text: string;
  start: number;
  end: number;
}

/** The turn in progress: it exists from its first speech frame until it is finalized. */
interface TurnState {
  scriptWords: string[];
  released: TimedWord[];
  /** Speech audio ms in this turn (drives word release). */
  speechMs: number;
  /** Consecutive silence audio ms since the last speech frame. */
  silenceMs: number;
  /** Stream time where the next word to release started, if known. */
  pendingWordStart: number | null;
  firstSpeechStart: number;
  lastSpeechEnd: number;
  /** PCM16 audio of the turn (one frame of pre-roll, then every frame), for the recognizer. */
  audio: Buffer[];
}

type Task = () => void | Promise<void>;

class Session {
  readonly record: SessionRecord;
  private readonly timers = new Set<NodeJS.Timeout>();
  private config: SessionConfig | undefined;
  /** No more processing or output (error raised, dropped, or socket closed). */
  private ended = false;
  private beginSent = false;
  private beginAt = 0;
  /** Outgoing Turn/Termination work, serialized so an async recognizer cannot reorder messages; runs only after Begin. */
  private readonly queue: Task[] = [];
  private pumping = false;
  /** Audio timeline (ms from the first audio byte, §3.2) of the processed audio. */
  private streamMs = 0;
  private pcmCarry: Buffer | undefined;
  private shortRunMs = 0;
  private turn: TurnState | undefined;
  private turnOrder = 0;
  /** Audio ms received up to Terminate (later frames are ignored and not counted in Termination). */
  private audioMsAtTerminate: number | undefined;
  private preRoll: Buffer | undefined;
  private inactivityTimer: NodeJS.Timeout | undefined;
  private forceEndpointTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ws: WebSocket,
    record: SessionRecord,
    private readonly opts: ResolvedOptions,
    private readonly auth: AuthResult,
    private readonly notify: () => void,
  ) {
    this.record = record;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      try {
        this.onMessage(data, isBinary);
      } catch {
        // never throw out of a socket handler
      }
      this.notify();
    });
    ws.on('close', (code: number) => {
      try {
        this.onClose(code);
      } catch {
        // ignore
      }
      this.notify();
    });
    ws.on('error', () => {
      // A 'close' always follows; nothing to do here.
    });
    try {
      this.start();
    } catch {
      // ignore
    }
  }

  private start(): void {
    let validationError: string | undefined;
    if (this.auth.ok) {
      try {
        this.config = validateQuery(this.record.query, this.opts.speechModelRequired);
      } catch (e) {
        validationError = e instanceof Error ? e.message : String(e);
      }
    }
    if (this.opts.noBegin) return; // a hung server: not even errors
    if (!this.auth.ok) {
      // §9.3: auth failures happen after the 101, in-band.
      this.fail(1008, this.auth.message);
      return;
    }
    if (validationError !== undefined || this.config === undefined) {
      // §9.4: sent after the upgrade and before Begin, then close 3006.
      this.fail(3006, validationError ?? `${VALIDATION_PREFIX}Invalid parameters`);
      return;
    }
    this.touchInactivity();
    this.setTimer(() => this.sendBegin(), this.opts.beginDelayMs);
  }

  // ------------------------------------------------------------------ lifecycle

  private sendBegin(): void {
    if (this.ended) return;
    const cfg = this.config;
    if (cfg === undefined) return;
    const sessionSeconds = Math.min(this.opts.expiresInSeconds, this.auth.ok ? (this.auth.maxSessionSeconds ?? Infinity) : Infinity);
    const id = randomUUID();
    const begin: Record<string, unknown> = {
      type: 'Begin',
      id,
      expires_at: Math.floor(Date.now() / 1000 + sessionSeconds),
    };
    if (this.opts.beginConfiguration) {
      const universalStreaming = cfg.speechModel.startsWith('universal-streaming-') || cfg.speechModel === 'whisper-rt';
      begin.configuration = {
        model: cfg.speechModel,
        mode: universalStreaming ? null : 'balanced',
        api_version: '2025-05-12',
        speaker_labels: cfg.speakerLabels,
        redact_pii: cfg.redactPii,
        filter_profanity: cfg.filterProfanity,
        domain: null,
        voice_focus: null,
      };
    }
    this.record.id = id;
    this.send(begin);
    this.beginSent = true;
    this.beginAt = Date.now();

    this.setTimer(() => this.expire(), sessionSeconds * 1000);
    const { errorAfter, errorWithoutClose, dropAfterMs } = this.opts;
    if (errorAfter) this.setTimer(() => this.fail(errorAfter.code, errorAfter.message), errorAfter.afterMs);
    if (errorWithoutClose) {
      this.setTimer(() => this.errorWithoutClosing(errorWithoutClose.code, errorWithoutClose.message), errorWithoutClose.afterMs);
    }
    if (dropAfterMs !== undefined) this.setTimer(() => this.drop(), dropAfterMs);
    this.pump();
  }

  /** §5.7: at expires_at, Error 3008 and close 3008 (optionally after a Termination). */
  private expire(): void {
    if (this.ended) return;
    if (this.opts.terminationOnExpiry && !this.record.terminationSent) this.sendTermination();
    this.fail(3008, 'Session Expired: Maximum session duration exceeded');
  }

  /** §9.25: Error frame, then close with the same code and the generic reason. No Termination after it. */
  private fail(code: number, message: string): void {
    if (this.ended) return;
    this.ended = true;
    this.clearTimers();
    this.record.error = { code, message };
    this.send({ type: 'Error', error_code: code, error: message });
    this.closeByServer(code, ERROR_CLOSE_REASON);
  }

  /** §9.24: an Error frame with no close; the double then goes silent and leaves the socket open. */
  private errorWithoutClosing(code: number, message: string): void {
    if (this.ended) return;
    this.ended = true;
    this.clearTimers();
    this.record.error = { code, message };
    this.send({ type: 'Error', error_code: code, error: message });
  }

  /** Abrupt TCP destroy: no close frame, the client sees 1006. */
  private drop(): void {
    if (this.ended) return;
    this.ended = true;
    this.clearTimers();
    this.record.closedBy = 'server';
    this.record.closeCode = 1006;
    this.ws.terminate();
  }

  private closeByServer(code: number, reason: string): void {
    if (this.record.closedBy === undefined) {
      this.record.closedBy = 'server';
      this.record.closeCode = code;
    }
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate(); // e.g. a code `ws` refuses to send
    }
  }

  /** FakeServer.sendTurn(): a message from the test, outside the script, once Begin is out. */
  sendScripted(msg: Record<string, unknown>): boolean {
    if (this.ended || !this.beginSent || this.ws.readyState !== this.ws.OPEN) return false;
    const before = this.record.sentMessages.length;
    this.send(msg);
    return this.record.sentMessages.length > before;
  }

  /** Called by FakeServer.close(). */
  shutdown(): void {
    this.ended = true;
    this.clearTimers();
    if (!this.record.closed && this.record.closedBy === undefined) {
      this.record.closedBy = 'server';
      this.record.closeCode = 1006;
    }
    this.ws.terminate();
  }

  private onClose(code: number): void {
    this.ended = true;
    this.clearTimers();
    this.record.closed = true;
    this.record.closedAt = Date.now();
    if (this.record.closedBy === undefined) {
      this.record.closedBy = 'client';
      this.record.closeCode = code;
    }
  }

  // ------------------------------------------------------------------ timers and output

  private setTimer(fn: () => void, ms: number): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      try {
        fn();
      } catch {
        // never throw out of a timer
      }
      this.notify();
    }, Math.max(0, ms));
    this.timers.add(t);
    return t;
  }

  private clearTimer(t: NodeJS.Timeout | undefined): void {
    if (t === undefined) return;
    clearTimeout(t);
    this.timers.delete(t);
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.inactivityTimer = undefined;
    this.forceEndpointTimer = undefined;
  }

  /** Send a JSON message. Once the session has ended only Error frames go out (see fail()). */
  private send(msg: Record<string, unknown>): void {
    if (this.ended && msg.type !== 'Error') return;
    if (this.ws.readyState !== this.ws.OPEN) return;
    try {
      this.ws.send(JSON.stringify(msg));
      this.record.sentMessages.push(msg);
    } catch {
      // socket went away
    }
  }

  /** Queue output work; it runs in order, after Begin, synchronously unless a task returns a promise. */
  private enqueue(task: Task): void {
    this.queue.push(task);
    this.pump();
  }

  private pump(): void {
    if (this.pumping || !this.beginSent) return;
    this.pumping = true;
    while (this.queue.length > 0) {
      if (this.ended) {
        this.queue.length = 0;
        break;
      }
      const task = this.queue.shift();
      if (task === undefined) break;
      let result: void | Promise<void>;
      try {
        result = task();
      } catch {
        result = undefined;
      }
      if (result instanceof Promise) {
        result
          .catch(() => undefined)
          .finally(() => {
            this.pumping = false;
            this.notify();
            this.pump();
          });
        return;
      }
    }
    this.pumping = false;
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.setTimer(resolve, ms); // cleared (never resolves) if the session ends meanwhile
    });
  }

  // ------------------------------------------------------------------ input

  private onMessage(data: RawData, isBinary: boolean): void {
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (isBinary) this.onAudio(buf);
    else this.onText(buf.toString('utf8'));
  }

  /** Inactivity (§5.6): no audio or text for N "seconds" -> 3006, no Termination. */
  private touchInactivity(): void {
    const n = this.config?.inactivityTimeout;
    if (n === undefined || this.ended || this.record.terminated) return;
    this.clearTimer(this.inactivityTimer);
    this.inactivityTimer = this.setTimer(() => {
      this.fail(3006, `${VALIDATION_PREFIX}Session terminated due to inactivity: No messages received for ${n} seconds`);
    }, n * this.opts.inactivityMsPerSecond);
  }

  private frameDurationMs(bytes: number): number {
    const cfg = this.config;
    if (cfg === undefined) return 0;
    // §4.1: ms = bytes / (rate × bytes_per_sample) × 1000, from the *declared* rate and encoding.
    if (cfg.encoding === 'pcm_s16le') return (bytes / (cfg.sampleRate * 2)) * 1000;
    if (cfg.encoding === 'pcm_mulaw') return (bytes / cfg.sampleRate) * 1000;
    return 0; // CHOICE: compressed encodings are not decoded; their frames count 0 ms and are not checked.
  }

  private onAudio(buf: Buffer): void {
    const ms = this.frameDurationMs(buf.length);
    this.record.frames.push({ bytes: buf.length, ms, atMs: Date.now() - this.record.openedAt, data: Buffer.from(buf) });
    this.record.audioMs += ms;
    // Ignored: after an error, after Terminate (§9.15), on a hung server; audio before Begin is fine (§9.7).
    const cfg = this.config;
    if (this.ended || this.record.terminated || this.opts.noBegin || cfg === undefined) return;
    this.touchInactivity();
    if (cfg.encoding !== 'pcm_s16le' && cfg.encoding !== 'pcm_mulaw') return;
    if (!this.checkFrameDuration(ms)) return;
    if (!this.checkRate()) return;
    this.transcribe(buf, ms);
  }

  /** §9.8. Returns false if the session was failed. */
  private checkFrameDuration(ms: number): boolean {
    const eps = 1e-9;
    const tooShort = ms < MIN_FRAME_MS - eps;
    const tooLong = ms > MAX_FRAME_MS + eps;
    const message = `Input Duration Error: Input Duration Violation: ${ms.toFixed(1)} ms. Expected between ${MIN_FRAME_MS} and ${MAX_FRAME_MS} ms`;
    if (tooLong) {
      this.fail(3007, message);
      return false;
    }
    if (!tooShort) {
      this.shortRunMs = 0;
      return true;
    }
    if (this.opts.frameCheck === 'strict') {
      this.fail(3007, message);
      return false;
    }
    // Lenient (observed): only a run of ~1 s of consecutive short frames is rejected.
    this.shortRunMs += ms;
    if (this.shortRunMs >= LENIENT_SHORT_RUN_LIMIT_MS) {
      this.fail(3007, message);
      return false;
    }
    return true;
  }

  /** §9.9: audio received may not run more than maxLeadSeconds ahead of wall time since the upgrade. */
  private checkRate(): boolean {
    const wallSeconds = (Date.now() - this.record.openedAt) / 1000;
    const audioSeconds = this.record.audioMs / 1000;
    if (audioSeconds - wallSeconds > this.opts.maxLeadSeconds) {
      this.fail(
        3007,
        `Input Duration Error: Audio Transmission Rate Exceeded: Received ${audioSeconds.toFixed(1)} sec. audio in ${wallSeconds.toFixed(6)} sec`,
      );
      return false;
    }
    return true;
  }

  private onText(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      this.record.texts.push(text);
      if (this.isIgnoringInput()) return;
      // CHOICE: the parser message is JavaScript's, not Python's (clients must not parse it anyway).
      this.fail(3006, `${VALIDATION_PREFIX}Invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    this.record.texts.push(parsed);
    if (this.isIgnoringInput()) return;
    this.touchInactivity();
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      this.fail(3006, `${VALIDATION_PREFIX}Invalid Message: ${text}`); // §4.6, docs example '[]'
      return;
    }
    const msg = parsed as Record<string, unknown>;
    if (!('type' in msg)) {
      // CHOICE: undocumented (§10.11); treated like any non-message JSON.
      this.fail(3006, `${VALIDATION_PREFIX}Invalid Message: ${text}`);
      return;
    }
    switch (msg.type) {
      case 'Terminate':
        this.onTerminate();
        return;
      case 'ForceEndpoint':
        this.onForceEndpoint();
        return;
      case 'KeepAlive':
        return; // §4.4: resets inactivity (done above), no reply
      case 'UpdateConfiguration':
        this.onUpdateConfiguration(msg);
        return;
      default:
        this.fail(3006, `${VALIDATION_PREFIX}Invalid Message Type: ${typeof msg.type === 'string' ? msg.type : JSON.stringify(msg.type)}`);
    }
  }

  private isIgnoringInput(): boolean {
    return this.ended || this.record.terminated || this.opts.noBegin || this.config === undefined;
  }

  private onUpdateConfiguration(msg: Record<string, unknown>): void {
    const cfg = this.config;
    if (cfg === undefined) return;
    const next: SessionConfig = { ...cfg, keyterms: cfg.keyterms.slice() };
    try {
      applyUpdatableFields(next, msg, false);
    } catch (e) {
      // §4.2: an invalid value is fatal.
      this.fail(3006, e instanceof Error ? e.message : String(e));
      return;
    }
    this.config = next; // applied silently, no acknowledgement
  }

  private onForceEndpoint(): void {
    if (this.forceEndpointTimer !== undefined) return;
    this.forceEndpointTimer = this.setTimer(() => {
      this.forceEndpointTimer = undefined;
      // CHOICE (§10.11): with no speech in progress, ForceEndpoint does nothing.
      if (!this.ended && !this.record.terminated && this.turn !== undefined) this.finalizeTurn(FORCED_EOT_CONFIDENCE);
    }, FORCE_ENDPOINT_DELAY_MS);
  }

  /** §5.5 / §9.15: flush, optional empty final, Termination, close 1000 "Session Ended". */
  private onTerminate(): void {
    this.record.terminated = true;
    this.audioMsAtTerminate = this.record.audioMs;
    this.clearTimer(this.inactivityTimer);
    this.inactivityTimer = undefined;
    this.clearTimer(this.forceEndpointTimer);
    this.forceEndpointTimer = undefined;
    if (this.turn !== undefined) this.finalizeTurn(FORCED_EOT_CONFIDENCE);
    if (this.opts.emptyFinalOnTerminate) {
      // CHOICE (§11.6): the empty final carries the current (next unused) turn_order.
      const order = this.turnOrder;
      const formatted = this.formatting() === 'inline';
      this.enqueue(() => this.sendTurn(order, [], { endOfTurn: true, formatted, confidence: 0, utterance: '' }));
    }
    this.enqueue(() => this.delay(this.opts.terminationDelayMs));
    this.enqueue(() => {
      if (this.opts.noTermination) return;
      this.sendTermination();
      this.closeByServer(1000, 'Session Ended');
    });
  }

  private sendTermination(): void {
    const audioSeconds = Math.round((this.audioMsAtTerminate ?? this.record.audioMs) / 1000);
    // §3.3: roughly the wall time from Begin, an integer (observed: 0.6 s idle -> 1, 6.6 s -> 7).
    const sessionSeconds = Math.ceil((Date.now() - (this.beginAt || this.record.openedAt)) / 1000);
    this.send({ type: 'Termination', audio_duration_seconds: audioSeconds, session_duration_seconds: sessionSeconds });
    this.record.terminationSent = true;
  }

  // ------------------------------------------------------------------ scripted transcription

  /** 'none': unformatted; 'classic': double final; 'inline': everything formatted (§5.3). */
  private formatting(): 'none' | 'classic' | 'inline' {
    const cfg = this.config;
    if (cfg === undefined) return 'none';
    if (cfg.speechModel.startsWith('universal-streaming-')) return cfg.formatTurns ? this.opts.formatMode : 'none';
    if (cfg.speechModel === 'whisper-rt') return cfg.formatTurns ? 'inline' : 'none';
    return 'inline'; // the u3 / universal-3.x family is always formatted
  }

  /** Decode one frame to aligned PCM16 (odd s16le byte counts carry over to the next frame). */
  private toPcm16(buf: Buffer): Buffer {
    const cfg = this.config;
    if (cfg?.encoding === 'pcm_mulaw') {
      const out = Buffer.alloc(buf.length * 2);
      for (let i = 0; i < buf.length; i++) out.writeInt16LE(mulawToLinear(buf[i] ?? 0xff), i * 2);
      return out;
    }
    const joined = this.pcmCarry !== undefined ? Buffer.concat([this.pcmCarry, buf]) : buf;
    const usable = joined.length - (joined.length % 2);
    this.pcmCarry = usable < joined.length ? Buffer.from(joined.subarray(usable)) : undefined;
    return Buffer.from(joined.subarray(0, usable));
  }

  private transcribe(buf: Buffer, ms: number): void {
    const cfg = this.config;
    if (cfg === undefined) return;
    const pcm = this.toPcm16(buf);
    const isSpeech = rmsDbfs(pcm) > this.opts.speechThresholdDbfs;
    const frameStart = this.streamMs;
    const frameEnd = frameStart + ms;
    this.streamMs = frameEnd;

    let turn = this.turn;
    if (turn === undefined) {
      if (!isSpeech) {
        this.preRoll = pcm;
        return;
      }
      const script = this.opts.script;
      turn = {
        // CHOICE: the script cycles when exhausted (turn N uses script[N % length]).
        scriptWords: script[this.turnOrder % script.length] ?? [],
        released: [],
        speechMs: 0,
        silenceMs: 0,
        pendingWordStart: null,
        firstSpeechStart: frameStart,
        lastSpeechEnd: frameEnd,
        audio: this.preRoll !== undefined ? [this.preRoll] : [],
      };
      this.turn = turn;
      this.preRoll = undefined;
    }
    turn.audio.push(pcm);

    if (isSpeech) {
      turn.silenceMs = 0;
      turn.lastSpeechEnd = frameEnd;
      if (turn.pendingWordStart === null) turn.pendingWordStart = frameStart;
      const speechBefore = turn.speechMs;
      turn.speechMs += ms;
      const interval = this.opts.wordIntervalMs;
      // Every wordIntervalMs of speech releases the next scripted word, one partial per word (§9.16).
      while (turn.released.length < turn.scriptWords.length && turn.speechMs >= (turn.released.length + 1) * interval) {
        const releaseAt = frameStart + ((turn.released.length + 1) * interval - speechBefore);
        const word: TimedWord = {
          text: turn.scriptWords[turn.released.length] ?? '',
          start: Math.round(turn.pendingWordStart ?? frameStart),
          end: Math.round(releaseAt),
        };
        turn.released.push(word);
        turn.pendingWordStart = releaseAt < frameEnd ? releaseAt : null;
        this.queuePartial(turn);
      }
      return;
    }

    turn.silenceMs += ms;
    const confident = MODEL_EOT_CONFIDENCE > cfg.endOfTurnConfidenceThreshold;
    const needed = confident ? cfg.minTurnSilence : cfg.maxTurnSilence;
    if (turn.silenceMs < needed) return;
    if (turn.speechMs < MIN_TURN_SPEECH_MS && turn.released.length === 0) {
      // A blip shorter than 80 ms is not a turn (§5.4): forget it, keep the script position.
      this.turn = undefined;
      this.preRoll = pcm;
      return;
    }
    this.finalizeTurn(confident ? MODEL_EOT_CONFIDENCE : ACOUSTIC_EOT_CONFIDENCE);
    this.preRoll = pcm;
  }

  private queuePartial(turn: TurnState): void {
    const order = this.turnOrder;
    const words = turn.released.map((w, i, all) => ({ ...w, final: i < all.length - 1 }));
    const formatted = this.formatting() === 'inline';
    // Low end-of-turn confidence while words keep coming.
    const confidence = Math.min(0.2, 0.01 * words.length);
    this.enqueue(() => this.sendTurn(order, words, { endOfTurn: false, formatted, confidence, utterance: '' }));
  }

  /** End the turn in progress: emit its final(s) and move to the next turn_order. */
  private finalizeTurn(confidence: number): void {
    const turn = this.turn;
    const cfg = this.config;
    if (turn === undefined || cfg === undefined) return;
    this.turn = undefined;
    const order = this.turnOrder++;
    const formatting = this.formatting();
    const emit = (texts: string[], recognized = false): void => this.sendFinals(order, turn, texts, formatting, confidence, recognized);
    const recognizer = this.opts.recognizer;
    if (recognizer === undefined) {
      this.enqueue(() => emit(turn.scriptWords));
      return;
    }
    const audio = Buffer.concat(turn.audio);
    this.enqueue(async () => {
      let texts = turn.scriptWords;
      let recognized = false;
      try {
        const heard = splitWords(await recognizer(audio, cfg.sampleRate));
        if (heard.length > 0) {
          texts = heard;
          recognized = true;
        }
      } catch {
        // fall back to the script
      }
      emit(texts, recognized);
    });
  }

  /**
   * Timestamps for the final's words. Like the real service, the final's words span the whole speech of
   * the turn (its last word ends with the speech, or later: §3.2). Recognized words share the speech span;
   * scripted words keep the times they were released with, the rest share what is left.
   */
  private timeWords(turn: TurnState, texts: string[], recognized: boolean): TimedWord[] {
    const out: TimedWord[] = [];
    const known = recognized ? 0 : Math.min(texts.length, turn.released.length);
    for (let i = 0; i < known; i++) {
      const r = turn.released[i];
      out.push({ text: texts[i] ?? '', start: r?.start ?? 0, end: r?.end ?? 0 });
    }
    const rest = texts.length - known;
    if (rest > 0) {
      const base = known > 0 ? (out[known - 1]?.end ?? turn.firstSpeechStart) : turn.firstSpeechStart;
      const span = Math.max(0, turn.lastSpeechEnd - base);
      for (let i = 0; i < rest; i++) {
        out.push({
          text: texts[known + i] ?? '',
          start: Math.round(base + (span * i) / rest),
          end: Math.round(base + (span * (i + 1)) / rest),
        });
      }
    }
    const last = out[out.length - 1];
    if (last !== undefined) last.end = Math.max(last.end, Math.round(turn.lastSpeechEnd));
    return out;
  }

  private sendFinals(order: number, turn: TurnState, texts: string[], formatting: 'none' | 'classic' | 'inline', confidence: number, recognized: boolean): void {
    const timed = this.timeWords(turn, texts, recognized).map((w) => ({ ...w, final: true }));
    if (formatting === 'inline') {
      const words = withTexts(timed, formatTexts(texts, true));
      this.sendTurn(order, words, { endOfTurn: true, formatted: true, confidence, utterance: joinTexts(words) });
      return;
    }
    // The unformatted final carries the utterance (§3.2).
    this.sendTurn(order, timed, { endOfTurn: true, formatted: false, confidence, utterance: joinTexts(timed) });
    if (formatting === 'classic') {
      // §5.3 classic: a second final, same turn_order, formatted, utterance "".
      const words = withTexts(timed, formatTexts(texts, true));
      this.sendTurn(order, words, { endOfTurn: true, formatted: true, confidence, utterance: '' });
    }
  }

  /** A Turn message with every required field (§3.2); `transcript` holds finalized words only. */
  private sendTurn(
    order: number,
    words: Array<TimedWord & { final: boolean }>,
    o: { endOfTurn: boolean; formatted: boolean; confidence: number; utterance: string },
  ): void {
    const cfg = this.config;
    const texts = o.formatted && !o.endOfTurn ? formatTexts(words.map((w) => w.text), false) : words.map((w) => w.text);
    const diarize = o.endOfTurn && cfg?.speakerLabels === true && words.length > 0;
    const wireWords = words.map((w, i) => {
      const out: Record<string, unknown> = {
        start: w.start,
        end: w.end,
        text: texts[i] ?? w.text,
        confidence: WORD_CONFIDENCE,
        word_is_final: w.final,
      };
      if (diarize) out.speaker = 'A';
      return out;
    });
    const transcript = wireWords
      .filter((w) => w.word_is_final === true)
      .map((w) => w.text)
      .join(' ');
    const msg: Record<string, unknown> = {
      turn_order: order,
      turn_is_formatted: o.formatted,
      end_of_turn: o.endOfTurn,
      transcript,
      end_of_turn_confidence: o.confidence,
      words: wireWords,
      utterance: o.utterance,
    };
    // §9.19: language and speaker fields only on finals, and only when asked for.
    if (o.endOfTurn && words.length > 0 && cfg?.languageDetection === true) {
      msg.language_code = 'en';
      msg.language_confidence = 0.99;
    }
    if (diarize) msg.speaker_label = 'A';
    msg.type = 'Turn';
    this.send(msg);
  }
}

function withTexts(words: Array<TimedWord & { final: boolean }>, texts: string[]): Array<TimedWord & { final: boolean }> {
  return words.map((w, i) => ({ ...w, text: texts[i] ?? w.text }));
}

function joinTexts(words: TimedWord[]): string {
  return words.map((w) => w.text).join(' ');
}

// ---------------------------------------------------------------------------------------------------
// HTTP: token endpoint, upgrade routing
// ---------------------------------------------------------------------------------------------------

interface MintedToken {
  expiresAt: number;
  maxSessionSeconds: number;
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** Reject an upgrade at HTTP level (before any 101). */
function rejectUpgrade(socket: Duplex, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  try {
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
        'Content-Type: application/json\r\n' +
        `Content-Length: ${Buffer.byteLength(payload)}\r\n` +
        'Connection: close\r\n\r\n' +
        payload,
    );
  } catch {
    socket.destroy();
  }
}

/** FastAPI-style 422 item (observed on /v3/token, §1.3). */
function intQueryError(name: string, raw: string | null, min: number, max: number): Record<string, unknown> | undefined {
  if (raw === null) return { type: 'missing', loc: ['query', name], msg: 'Field required', input: null };
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
    return { type: 'int_parsing', loc: ['query', name], msg: 'Input should be a valid integer, unable to parse string as an integer', input: raw };
  }
  const n = Number(raw.trim());
  if (n < min) {
    return { type: 'greater_than_equal', loc: ['query', name], msg: `Input should be greater than or equal to ${min}`, input: raw, ctx: { ge: min } };
  }
  if (n > max) {
    return { type: 'less_than_equal', loc: ['query', name], msg: `Input should be less than or equal to ${max}`, input: raw, ctx: { le: max } };
  }
  return undefined;
}

class FakeServerImpl {
  readonly sessions: SessionRecord[] = [];
  private readonly live: Session[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly minted = new Map<string, MintedToken>();
  private readonly http: HttpServer | HttpsServer;
  private readonly wss: WebSocketServer;
  /** Requests that were not sessions (404s etc.), for timeout diagnostics. */
  private readonly otherRequests: string[] = [];
  port = 0;

  constructor(
    private readonly opts: ResolvedOptions,
    private readonly staticTokens: Set<string>,
    private readonly expiredTokens: Set<string>,
  ) {
    // Accept whatever extensions the client offers, like a real server; the offer is in the record's headers.
    this.wss = new WebSocketServer({ noServer: true, perMessageDeflate: true });
    const onHttpRequest = (req: IncomingMessage, res: ServerResponse): void => {
      try {
        this.onRequest(req, res);
      } catch {
        try {
          writeJson(res, 500, { error: 'fake server error' });
        } catch {
          res.destroy();
        }
      }
    };
    this.http = opts.tls === undefined ? createServer(onHttpRequest) : createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, onHttpRequest);
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => undefined);
      try {
        this.onUpgrade(req, socket, head);
      } catch {
        socket.destroy();
      }
      this.notify();
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(0, '127.0.0.1', () => {
        this.port = (this.http.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  notify(): void {
    for (const w of [...this.waiters]) w();
  }

  // ---------------------------------------------------------------- /v3/token (§1.3, §9.26)

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/v3/token') {
      this.onToken(req, res, url);
      return;
    }
    this.otherRequests.push(`${req.method ?? '?'} ${req.url ?? ''} -> ${url.pathname === '/v3/ws' ? 426 : 404}`);
    if (url.pathname === '/v3/ws') writeJson(res, 426, { detail: 'Upgrade Required' });
    else writeJson(res, 404, { detail: 'Not Found' });
    this.notify();
  }

  private onToken(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (req.method !== 'GET') {
      writeJson(res, 405, { detail: 'Method Not Allowed' });
      return;
    }
    const errors: Array<Record<string, unknown>> = [];
    const authorization = req.headers.authorization;
    if (authorization === undefined) {
      // Observed: a missing header is a 422, not a 401.
      errors.push({ type: 'missing', loc: ['header', 'authorization'], msg: 'Field required', input: null });
    }
    const expiresErr = intQueryError('expires_in_seconds', url.searchParams.get('expires_in_seconds'), 1, 600);
    if (expiresErr) errors.push(expiresErr);
    const maxRaw = url.searchParams.get('max_session_duration_seconds');
    const maxErr = maxRaw === null ? undefined : intQueryError('max_session_duration_seconds', maxRaw, 60, 10800);
    if (maxErr) errors.push(maxErr);
    if (errors.length > 0) {
      writeJson(res, 422, { detail: errors });
      return;
    }
    // The token endpoint accepts the raw key and also "Bearer <key>" (observed, §1.3).
    const key = (authorization ?? '').replace(/^Bearer\s+/i, '');
    if (!this.opts.apiKeys.includes(key)) {
      // CHOICE: the status for a wrong key is unknown (§10.5); 401 with the documented {error} body.
      writeJson(res, 401, { error: 'Invalid API key' });
      return;
    }
    const expiresIn = Number((url.searchParams.get('expires_in_seconds') ?? '').trim());
    const maxSession = maxRaw === null ? DEFAULT_MAX_SESSION_SECONDS : Number(maxRaw.trim());
    // Real tokens are opaque ~2.5 KB strings starting "AQI" (§1.3).
    const token = `AQI${randomBytes(1890).toString('base64url')}`;
    this.minted.set(token, { expiresAt: Date.now() + expiresIn * 1000, maxSessionSeconds: maxSession });
    writeJson(res, 200, { token, expires_in_seconds: expiresIn });
  }

  // ---------------------------------------------------------------- /v3/ws

  /** 'valid' (with the token's cap), 'expired', or 'unknown'. Tokens are reusable within their window (§1.3). */
  private checkToken(value: string): { state: 'valid'; maxSessionSeconds?: number } | { state: 'expired' } | { state: 'unknown' } {
    if (this.staticTokens.has(value)) return { state: 'valid' };
    if (this.expiredTokens.has(value)) return { state: 'expired' };
    const minted = this.minted.get(value);
    if (minted === undefined) return { state: 'unknown' };
    if (Date.now() > minted.expiresAt) return { state: 'expired' };
    return { state: 'valid', maxSessionSeconds: minted.maxSessionSeconds };
  }

  /** §9.2: raw key or token in Authorization, or ?token=. "Bearer …" is just an invalid key. */
  private authenticate(req: IncomingMessage, url: URL): AuthResult {
    const header = req.headers.authorization;
    const queryToken = url.searchParams.get('token');
    let expired = false;
    if (header !== undefined && header !== '') {
      if (this.opts.apiKeys.includes(header)) return { ok: true };
      const t = this.checkToken(header);
      if (t.state === 'valid') return { ok: true, maxSessionSeconds: t.maxSessionSeconds };
      if (t.state === 'expired') expired = true;
    }
    if (queryToken !== null && queryToken !== '') {
      // CHOICE: ?token= takes temporary tokens only, not raw API keys.
      const t = this.checkToken(queryToken);
      if (t.state === 'valid') return { ok: true, maxSessionSeconds: t.maxSessionSeconds };
      if (t.state === 'expired') expired = true;
    }
    if (expired) return { ok: false, message: 'Unauthorized Connection: Signature has expired' };
    if ((header === undefined || header === '') && (queryToken === null || queryToken === '')) {
      return { ok: false, message: 'Unauthorized Connection: Missing Authorization header' };
    }
    return { ok: false, message: 'Unauthorized Connection: Invalid API key' };
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/v3/ws') {
      this.otherRequests.push(`upgrade ${req.url ?? ''} -> 404`);
      rejectUpgrade(socket, 404, { detail: 'Not Found' });
      return;
    }
    const auth = this.authenticate(req, url);
    const index = this.sessions.length;
    const opts = this.opts.perSession === undefined ? this.opts : resolveOptions({ ...this.opts.raw, ...this.opts.perSession(index) });
    const record: SessionRecord = {
      id: '',
      url: req.url ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams), // URLSearchParams decodes '+' and %20 (§2.1)
      headers: { ...req.headers },
      authorized: auth.ok,
      frames: [],
      texts: [],
      sentMessages: [],
      audioMs: 0,
      terminated: false,
      terminationSent: false,
      closed: false,
      openedAt: Date.now(),
    };
    this.sessions.push(record);

    if (opts.refuseUpgrade !== undefined) {
      record.error = { code: opts.refuseUpgrade, message: 'refused' };
      record.closed = true;
      record.closedBy = 'server';
      record.closedAt = Date.now();
      rejectUpgrade(socket, opts.refuseUpgrade, { error: 'Service Unavailable' });
      this.notify();
      return;
    }
    if (!auth.ok && this.opts.authMode !== 'in-band') {
      // §6.1: pre-upgrade rejection, body {"error": "..."}.
      const status = this.opts.authMode === 'http-403' ? 403 : 401;
      record.error = { code: status, message: auth.message };
      record.closed = true;
      record.closedBy = 'server';
      record.closedAt = Date.now();
      rejectUpgrade(socket, status, { error: auth.message });
      return;
    }

    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new Session(ws, record, opts, auth, () => this.notify());
      this.live.push(session);
      this.notify();
    });
  }

  // ---------------------------------------------------------------- test helpers

  private describe(): string {
    const lines = this.sessions.map((s, i) => {
      const sent = s.sentMessages.map((m) => {
        const o = m as Record<string, unknown>;
        if (o.type === 'Turn') return `Turn(${String(o.turn_order)},${o.end_of_turn === true ? 'final' : 'partial'},"${String(o.transcript)}")`;
        if (o.type === 'Error') return `Error(${String(o.error_code)})`;
        return String(o.type);
      });
      const texts = s.texts.map((t) => (typeof t === 'object' && t !== null ? String((t as Record<string, unknown>).type) : JSON.stringify(t)));
      return (
        `  #${i} ${s.url} authorized=${s.authorized} id=${s.id || '-'} frames=${s.frames.length} audioMs=${Math.round(s.audioMs)} ` +
        `texts=[${texts.join(',')}] sent=[${sent.join(',')}] terminated=${s.terminated} terminationSent=${s.terminationSent} ` +
        `closed=${s.closed} closeCode=${String(s.closeCode)} closedBy=${String(s.closedBy)}` +
        (s.error ? ` error=${s.error.code} "${s.error.message}"` : '')
      );
    });
    if (lines.length === 0) lines.push('  (no sessions)');
    if (this.otherRequests.length > 0) lines.push(`  other requests: ${this.otherRequests.join('; ')}`);
    return lines.join('\n');
  }

  waitFor(pred: (s: SessionRecord[]) => boolean, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        try {
          return pred(this.sessions);
        } catch {
          return false;
        }
      };
      if (check()) {
        resolve();
        return;
      }
      const waiter = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`fake-server waitFor: condition not met within ${timeoutMs} ms. Sessions:\n${this.describe()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  sendTurn(index: number, message: Record<string, unknown>): boolean {
    const record = this.sessions[index];
    const session = record === undefined ? undefined : this.live.find((s) => s.record === record);
    const sent = session?.sendScripted(message) ?? false;
    if (sent) this.notify();
    return sent;
  }

  async waitForSessionClosed(index = 0, timeoutMs = 10_000): Promise<SessionRecord> {
    try {
      await this.waitFor((s) => s[index]?.closed === true, timeoutMs);
    } catch (e) {
      throw new Error(`fake-server waitForSessionClosed(${index}): ${e instanceof Error ? e.message : String(e)}`);
    }
    const record = this.sessions[index];
    if (record === undefined) throw new Error(`fake-server: no session #${index}`);
    return record;
  }

  async close(): Promise<void> {
    for (const s of this.live) s.shutdown();
    for (const w of [...this.waiters]) this.waiters.delete(w);
    await new Promise<void>((resolve) => {
      this.wss.close(() => resolve());
    });
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }
}

function resolveOptions(o: FakeServerOptions): ResolvedOptions {
  const script = (o.script && o.script.length > 0 ? o.script : ['hello world']).map(splitWords);
  return {
    apiKeys: o.apiKeys ?? ['test-key-0000'],
    authMode: o.authMode ?? 'in-band',
    speechModelRequired: o.speechModelRequired ?? true,
    formatMode: o.formatMode ?? 'classic',
    beginDelayMs: o.beginDelayMs ?? 50,
    noBegin: o.noBegin ?? false,
    noTermination: o.noTermination ?? false,
    terminationDelayMs: o.terminationDelayMs ?? 50,
    emptyFinalOnTerminate: o.emptyFinalOnTerminate ?? true,
    frameCheck: o.frameCheck ?? 'strict',
    maxLeadSeconds: o.maxLeadSeconds ?? 10,
    script,
    recognizer: o.recognizer,
    speechThresholdDbfs: o.speechThresholdDbfs ?? -45,
    wordIntervalMs: Math.max(1, o.wordIntervalMs ?? 150),
    errorAfter: o.errorAfter,
    errorWithoutClose: o.errorWithoutClose,
    expiresInSeconds: o.expiresInSeconds ?? DEFAULT_MAX_SESSION_SECONDS,
    dropAfterMs: o.dropAfterMs,
    inactivityMsPerSecond: o.inactivityMsPerSecond ?? 1000,
    beginConfiguration: o.beginConfiguration ?? false,
    terminationOnExpiry: o.terminationOnExpiry ?? false,
    tls: o.tls,
    refuseUpgrade: o.refuseUpgrade,
    perSession: o.perSession,
    raw: o,
  };
}

export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const impl = new FakeServerImpl(resolveOptions(options), new Set(options.tokens ?? []), new Set(options.expiredTokens ?? []));
  await impl.listen();
  return {
    url: `${options.tls === undefined ? 'ws' : 'wss'}://127.0.0.1:${impl.port}`,
    port: impl.port,
    sessions: impl.sessions,
    waitFor: (pred, timeoutMs) => impl.waitFor(pred, timeoutMs),
    waitForSessionClosed: (index, timeoutMs) => impl.waitForSessionClosed(index, timeoutMs),
    sendTurn: (index, message) => impl.sendTurn(index, message),
    close: () => impl.close(),
  };
}
