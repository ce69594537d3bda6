/**
 * The double's options (FakeServerOptions), their documented defaults, and the resolved form the rest of the
 * double reads (ResolvedOptions). Citations are to docs/service.md.
 */
import type { Recognizer } from '../recognizer.js';
import type { PrerecordedOptions } from './prerecorded.js';

export type { Recognizer } from '../recognizer.js';

import type { LlmGatewayOptions } from './llm-gateway.js';

export interface FakeServerOptions {
  /** The LLM Gateway's endpoints (/v1/models, /v1/chat/completions; llm-gateway.ts): its catalogue and scripted faults. */
  llm?: LlmGatewayOptions;
  /** Accepted raw API keys (`Authorization: <key>`, no Bearer). Default ['test-key-0000']. */
  apiKeys?: string[];
  /** Accepted temporary tokens (via `?token=` or `Authorization: <token>`); never expire. Default []. */
  tokens?: string[];
  /** Tokens that are past their redemption window -> Error 1008 "Unauthorized Connection: Signature has expired". */
  expiredTokens?: string[];
  /**
   * How an auth failure is reported. 'in-band' (default, observed): 101, then Error 1008 and close 1008.
   * 'http-401' / 'http-403': HTTP rejection of the upgrade with JSON body {"error":"..."} (docs/service.md#errors-and-close-codes).
   */
  authMode?: 'in-band' | 'http-401' | 'http-403';
  /** Default true: missing speech_model -> 3006 (2026-03 docs). false -> universal-3-6-pro (docs/service.md#connecting). */
  speechModelRequired?: boolean;
  /**
   * format_turns=true on universal-streaming-* (docs/service.md#turns). 'classic' (default): unformatted final, then a
   * second formatted final with the same turn_order. 'inline': every message formatted, one final.
   */
  formatMode?: 'classic' | 'inline';
  /** Delay from upgrade to Begin. Default 1200 (real service ~1200, docs/service.md#begin), or 50 with `realTimings: false`. */
  beginDelayMs?: number;
  /** Accept the socket, then do nothing at all: no Begin, no errors, no close (a hung server). */
  noBegin?: boolean;
  /** On Terminate: flush finals but never send Termination nor close. */
  noTermination?: boolean;
  /** Delay from the flushed finals to Termination. Default 900 (real 550-1300, docs/service.md#terminate-and-termination), or 50 with `realTimings: false`. */
  terminationDelayMs?: number;
  /** Default true: an extra empty final (transcript:"", words:[]) on Terminate (observed, docs/service.md#turns). */
  emptyFinalOnTerminate?: boolean;
  /**
   * Frame-duration check (docs/service.md#audio). 'strict' (default): any frame outside 50-1000 ms -> 3007.
   * 'lenient' (observed): over-long frames fail at once; short frames only after ~1 s worth of
   * consecutive short frames, so a single trailing short frame is tolerated.
   */
  frameCheck?: 'strict' | 'lenient';
  /**
   * Audio seconds received minus wall seconds since upgrade; above this -> 3007 rate error (docs/service.md#audio). Default 8.5:
   * the client promises at most 8 s ahead of real time, plus 0.5 s for jitter.
   */
  maxLeadSeconds?: number;
  /** Texts of the turns, in order (lowercase words). Default ['hello world']. Cycles when exhausted. */
  script?: string[];
  /** If given, a finished turn's final text comes from recognizing that turn's audio ("" -> script). */
  recognizer?: Recognizer;
  /** Frame RMS above this many dBFS counts as speech. Default -45. */
  speechThresholdDbfs?: number;
  /** Milliseconds of speech audio per released word in partials. Default 150. */
  wordIntervalMs?: number;
  /** After Begin, send this Error and close with its code (mid-session error, docs/service.md#errors-and-close-codes). */
  errorAfter?: { afterMs: number; code: number; message: string };
  /** After Begin, send this Error and then nothing at all: no close (docs/service.md#limits). */
  errorWithoutClose?: { afterMs: number; code: number; message: string };
  /** Begin.expires_at = now + this (default 10800, docs/service.md#limits); at expiry: Error 3008 + close 3008. May be fractional. */
  expiresInSeconds?: number;
  /** Abrupt TCP destroy this long after Begin (the client sees 1006). */
  dropAfterMs?: number;
  /** Refuse the upgrade with this HTTP status (a server that is down or overloaded). */
  refuseUpgrade?: number;
  /** The body of a refused upgrade (default {"error":"Service Unavailable"}): hostile texts (issue 19.2). */
  refuseUpgradeBody?: unknown;
  /** The close reason after an Error frame (default "See Error message for details", docs/service.md#errors-and-close-codes). */
  closeReason?: string;
  /** Options for one session (by index, from 0) over the others: faults in chosen sessions only. */
  perSession?: (
    index: number,
  ) => Omit<FakeServerOptions, 'perSession' | 'tls' | 'tokens' | 'expiredTokens' | 'concurrencyRefusal' | 'singleUseTokens'>;

  // --- Extensions beyond the agreed API (all optional) ---
  /** Delay from ForceEndpoint to the turn's final. Default 270 (real p50 267 ms, docs/service.md#client-messages), or 50 with `realTimings: false`. */
  forceEndpointDelayMs?: number;
  /**
   * The real service's timings where no explicit option says otherwise: Begin 1200 ms, Termination 900 ms
   * after the flushed finals, ForceEndpoint 270 ms. Default true (issue 19: tests run at the service's timings).
   * `false` gives the fast figures (50 ms each); a test that asks for them says in a comment why it may.
   */
  realTimings?: boolean;
  /** Interval of Heartbeat messages (docs/service.md#other-messages) when the client asks `session_heartbeat=true`. Default 5000. */
  heartbeatIntervalMs?: number;
  /** Send Heartbeats even if the client did not ask for them (a client must ignore them). Default false. */
  heartbeatAlways?: boolean;
  /**
   * With speaker_labels=true: the labels of the turns, cycled per turn (turn N gets speakers[N % length]).
   * Default ['A']. A turn with less than `pendingSpeakerBelowMs` of speech is labelled 'PENDING' (docs/service.md#turns) and
   * settled by the SpeakerRevision sent before Termination (docs/service.md#turns).
   */
  speakers?: string[];
  /**
   * With language_detection=true: the language_code of the turns, cycled per turn (turn N gets
   * languages[N % length]). Default ['en'] (docs/service.md#turns).
   */
  languages?: string[];
  /** Speech shorter than this makes a turn's speaker 'PENDING' (docs/service.md#turns: "too short to attribute"). Default 200. */
  pendingSpeakerBelowMs?: number;
  /** Send SpeakerRevision before Termination even without speaker_labels=true (a client must ignore it). Default false. */
  speakerRevisionAlways?: boolean;
  /**
   * Concurrency refusal at connect (docs/service.md#limits): session attempts number afterSessions+1 .. afterSessions+count
   * (count default 1) get, after the 101, Error `code` "Unauthorized Connection: Too many concurrent sessions"
   * and a close with that code; no Begin.
   */
  concurrencyRefusal?: { code: 3009 | 1008; afterSessions: number; count?: number };
  /** Temporary tokens are single-use (docs/service.md#reconnecting-and-rollover): a reused token gets Error 1008 and close 1008. Default false. */
  singleUseTokens?: boolean;
  /** Length of one "second" of `inactivity_timeout`, so tests can use the 5 s minimum quickly. Default 1000. */
  inactivityMsPerSecond?: number;
  /** Add Begin.configuration like newer servers do (docs/service.md#begin). Default false. */
  beginConfiguration?: boolean;
  /** Begin.configuration.model as this name instead of the model asked for (a service that substituted one). */
  beginModel?: string;
  /** At 3008 expiry, send Termination before the Error (the docs' reading of docs/service.md#limits). Default false. */
  terminationOnExpiry?: boolean;
  /**
   * Serve TLS: `wss://` (and `https://` for /v3/token) with this PEM certificate and key; `url` then starts
   * with `wss://`. Clients must trust the certificate (e.g. NODE_EXTRA_CA_CERTS); the official JS SDK accepts
   * only wss:// (docs/service.md#connecting). Default: plain ws://.
   */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** The pre-recorded API on the same host (docs/service.md#pre-recorded-api, test/support/fake-server/prerecorded.ts): delays and faults. */
  prerecorded?: PrerecordedOptions;
}

/** The real service's timings (docs/service.md#begin, docs/service.md#client-messages, docs/service.md#terminate-and-termination): the default. */
export const REAL_TIMINGS = { beginDelayMs: 1200, terminationDelayMs: 900, forceEndpointDelayMs: 270 } as const;
/** The fast figures, with `realTimings: false` only (tests of the double itself, or that never reach Begin). */
export const FAST_TIMINGS = { beginDelayMs: 50, terminationDelayMs: 50, forceEndpointDelayMs: 50 } as const;
export const DEFAULT_MAX_LEAD_SECONDS = 8.5;
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5000;
export const DEFAULT_MAX_SESSION_SECONDS = 10800;

type Fault = { afterMs: number; code: number; message: string };

/** Every option with its default applied (`raw` keeps what the test passed, for perSession merging). */
export interface ResolvedOptions {
  apiKeys: string[];
  authMode: 'in-band' | 'http-401' | 'http-403';
  speechModelRequired: boolean;
  formatMode: 'classic' | 'inline';
  beginDelayMs: number;
  noBegin: boolean;
  noTermination: boolean;
  terminationDelayMs: number;
  forceEndpointDelayMs: number;
  emptyFinalOnTerminate: boolean;
  frameCheck: 'strict' | 'lenient';
  maxLeadSeconds: number;
  script: string[][];
  recognizer: Recognizer | undefined;
  speechThresholdDbfs: number;
  wordIntervalMs: number;
  errorAfter: Fault | undefined;
  errorWithoutClose: Fault | undefined;
  expiresInSeconds: number;
  dropAfterMs: number | undefined;
  inactivityMsPerSecond: number;
  beginConfiguration: boolean;
  beginModel: string | undefined;
  terminationOnExpiry: boolean;
  heartbeatIntervalMs: number;
  heartbeatAlways: boolean;
  speakers: string[];
  languages: string[];
  pendingSpeakerBelowMs: number;
  speakerRevisionAlways: boolean;
  concurrencyRefusal: { code: 3009 | 1008; afterSessions: number; count: number } | undefined;
  singleUseTokens: boolean;
  tls: { cert: string | Buffer; key: string | Buffer } | undefined;
  refuseUpgrade: number | undefined;
  refuseUpgradeBody: unknown;
  closeReason: string | undefined;
  perSession: FakeServerOptions['perSession'];
  raw: FakeServerOptions;
}

export function splitWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

function resolveTimings(o: FakeServerOptions): Pick<ResolvedOptions, 'beginDelayMs' | 'terminationDelayMs' | 'forceEndpointDelayMs'> {
  const base = o.realTimings === false ? FAST_TIMINGS : REAL_TIMINGS;
  return {
    beginDelayMs: o.beginDelayMs ?? base.beginDelayMs,
    terminationDelayMs: o.terminationDelayMs ?? base.terminationDelayMs,
    forceEndpointDelayMs: o.forceEndpointDelayMs ?? base.forceEndpointDelayMs,
  };
}

export function resolveOptions(o: FakeServerOptions): ResolvedOptions {
  const script = (o.script && o.script.length > 0 ? o.script : ['hello world']).map(splitWords);
  const refusal = o.concurrencyRefusal;
  return {
    apiKeys: o.apiKeys ?? ['test-key-0000'],
    authMode: o.authMode ?? 'in-band',
    speechModelRequired: o.speechModelRequired ?? true,
    formatMode: o.formatMode ?? 'classic',
    ...resolveTimings(o),
    noBegin: o.noBegin ?? false,
    noTermination: o.noTermination ?? false,
    emptyFinalOnTerminate: o.emptyFinalOnTerminate ?? true,
    frameCheck: o.frameCheck ?? 'strict',
    maxLeadSeconds: o.maxLeadSeconds ?? DEFAULT_MAX_LEAD_SECONDS,
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
    beginModel: o.beginModel,
    terminationOnExpiry: o.terminationOnExpiry ?? false,
    heartbeatIntervalMs: Math.max(1, o.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS),
    heartbeatAlways: o.heartbeatAlways ?? false,
    speakers: o.speakers !== undefined && o.speakers.length > 0 ? o.speakers : ['A'],
    languages: o.languages !== undefined && o.languages.length > 0 ? o.languages : ['en'],
    pendingSpeakerBelowMs: o.pendingSpeakerBelowMs ?? 200,
    speakerRevisionAlways: o.speakerRevisionAlways ?? false,
    concurrencyRefusal: refusal === undefined ? undefined : { ...refusal, count: refusal.count ?? 1 },
    singleUseTokens: o.singleUseTokens ?? false,
    tls: o.tls,
    refuseUpgrade: o.refuseUpgrade,
    refuseUpgradeBody: o.refuseUpgradeBody,
    closeReason: o.closeReason,
    perSession: o.perSession,
    raw: o,
  };
}
