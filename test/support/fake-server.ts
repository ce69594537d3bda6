/**
 * Test double of AssemblyAI's Universal-Streaming v3 WebSocket server (`/v3/ws`) and its token endpoint
 * (`/v3/token`), following docs/service.md (cited by its sections). It is meant to be as strict as the real
 * service: where the real service would close the session, so does the double. Choices where the service's
 * documentation leaves behaviour open are marked "CHOICE".
 *
 * This file is the public entry; the double is split by concern under ./fake-server/:
 * - options.ts       FakeServerOptions, their defaults (the real timings, or fast with `realTimings: false`)
 * - params.ts        query / UpdateConfiguration validation -> Error 3006
 * - session.ts       the per-socket state machine: Begin, audio accounting, Heartbeat, Terminate, close
 * - transcription.ts scripted and recognized turns, partials, the formatted twin, speakers, SpeechStarted
 * - faults.ts        3007 frame/rate checks, expiry, concurrency refusals, scheduled errors and drops
 * - http.ts          the upgrade (HTTP rejections, auth), /v3/token and tokens
 * - llm-gateway.ts   the LLM Gateway (docs/service.md#llm-gateway): /v1/models, /v1/chat/completions, its faults and request log
 * - server.ts        the listener, the session records and the test helpers
 * - prerecorded.ts   the pre-recorded API (docs/service.md#pre-recorded-api): /v2/upload, /v2/transcript, polling, delete
 *
 * Transcription is scripted: speech frames release the words of the current scripted turn one by one
 * (partials), and enough silence *audio* ends the turn (finals). Optionally a real offline recognizer
 * (./recognizer.ts) supplies the final text from the turn's audio, so tests can prove the right audio arrived.
 */
export { startFakeServer } from './fake-server/server.js';
export type { FakeServerOptions } from './fake-server/options.js';
export { DEFAULT_MAX_LEAD_SECONDS, FAST_TIMINGS, REAL_TIMINGS } from './fake-server/options.js';
export type { FakeServer, ReceivedFrame, SessionRecord } from './fake-server/records.js';
export type { Recognizer } from './recognizer.js';
export { SPEECH_MODELS } from './fake-server/params.js';
export { TOO_MANY_SESSIONS_MESSAGE } from './fake-server/faults.js';
export { TOKEN_USED_MESSAGE } from './fake-server/http.js';
export { DEFAULT_LLM_MODELS, EU_LLM_MODELS, type LlmFault, type LlmRequestRecord } from './fake-server/llm-gateway.js';
export type { PrerecordedOptions, PrerecordedRecords, TranscriptRecord } from './fake-server/prerecorded.js';
