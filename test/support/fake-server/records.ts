/** What the double records about each session, and the handle tests get from startFakeServer(). */
import type { LlmRequestRecord } from './llm-gateway.js';
import type { PrerecordedRecords } from './prerecorded.js';

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
  /** What the pre-recorded endpoints (/v2/upload, /v2/transcript) saw (fake-server/prerecorded.ts). */
  prerecorded: PrerecordedRecords;
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
  /** Every request to the LLM Gateway's endpoints, in order (empty: nothing was sent). */
  llmRequests: LlmRequestRecord[];
  /** Terminates all sockets and the server. */
  close(): Promise<void>;
}
