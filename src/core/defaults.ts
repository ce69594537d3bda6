/**
 * Every built-in default in one place: config.ts resolves flags against these, doctor and the streaming
 * layer read them from here rather than writing them again. Imports nothing.
 */
export const DEFAULT_HOST = 'streaming.assemblyai.com';
export const DEFAULT_SPEECH_MODEL = 'universal-streaming-english';
export const DEFAULT_SAMPLE_RATE_HZ = 16_000;
/** Bound on connecting: the WebSocket handshake plus waiting for `Begin` (~1.2 s on the live service). */
export const DEFAULT_CONNECT_TIMEOUT_S = 15;
/** New sessions tried per outage before giving up (README: "default 6"). */
export const DEFAULT_RECONNECT_ATTEMPTS = 6;
/** Sessions tried when the very first one cannot open: a wrong host should fail fast, not back off 6 times. */
export const DEFAULT_START_ATTEMPTS = 2;
/**
 * Issue 22: a file (`-i FILE`) that ends during an outage waits this long for a new session, so that its last
 * audio (the replay buffer) is transcribed live; then that audio goes to the spool (exit 6, the file named).
 * With --keep-recording there is no such bound: the run waits like an outage, while the spool has room.
 */
export const END_OF_INPUT_RECONNECT_WAIT_MS = 10_000;
