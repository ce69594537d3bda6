/**
 * One WebSocket session of the double, as a state machine: after the 101 it checks auth, parameters and
 * concurrency (each failure is an Error and a close, no Begin), sends Begin after a delay, accounts the audio
 * (frame durations, rate, inactivity), answers client text messages, sends Heartbeats when asked, and on
 * Terminate flushes the turn, sends the optional SpeakerRevision and Termination, and closes 1000.
 * Citations are to docs/service.md.
 */
import { randomUUID } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import { ERROR_CLOSE_REASON, EXPIRED_MESSAGE, FrameDurationCheck, rateError, scheduleFaults } from './faults.js';
import type { FaultHost } from './faults.js';
import type { ResolvedOptions } from './options.js';
import { applyUpdatableFields, VALIDATION_PREFIX, validateQuery } from './params.js';
import type { SessionConfig } from './params.js';
import type { SessionRecord } from './records.js';
import { FORCED_EOT_CONFIDENCE, Transcriber } from './transcription.js';

export type AuthResult = { ok: true; maxSessionSeconds?: number } | { ok: false; message: string };

type Task = () => void | Promise<void>;

/** Why a session is refused right after the 101, before any validation (a concurrency limit, docs/service.md#limits). */
export interface Refusal {
  code: number;
  message: string;
}

export class Session implements FaultHost {
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
  private readonly frameCheck: FrameDurationCheck;
  private readonly transcriber: Transcriber;
  /** Audio ms received up to Terminate (later frames are ignored and not counted in Termination). */
  private audioMsAtTerminate: number | undefined;
  private inactivityTimer: NodeJS.Timeout | undefined;
  private forceEndpointTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ws: WebSocket,
    record: SessionRecord,
    readonly opts: ResolvedOptions,
    private readonly auth: AuthResult,
    private readonly notify: () => void,
    private readonly refusal?: Refusal,
  ) {
    this.record = record;
    this.frameCheck = new FrameDurationCheck(opts.frameCheck);
    this.transcriber = new Transcriber({
      opts,
      config: () => this.config,
      enqueue: (task) => this.enqueue(task),
      send: (msg) => this.send(msg),
    });
    this.listen();
    try {
      this.start();
    } catch {
      // ignore
    }
  }

  private listen(): void {
    this.ws.on('message', (data: RawData, isBinary: boolean) => {
      try {
        this.onMessage(data, isBinary);
      } catch {
        // never throw out of a socket handler
      }
      this.notify();
    });
    this.ws.on('close', (code: number) => {
      try {
        this.onClose(code);
      } catch {
        // ignore
      }
      this.notify();
    });
    this.ws.on('error', () => {
      // A 'close' always follows; nothing to do here.
    });
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
      // docs/service.md#connecting: auth failures happen after the 101, in-band.
      this.fail(1008, this.auth.message);
      return;
    }
    if (this.refusal !== undefined) {
      this.fail(this.refusal.code, this.refusal.message); // docs/service.md#limits: at connect, no Begin
      return;
    }
    if (validationError !== undefined || this.config === undefined) {
      // docs/service.md#connecting: sent after the upgrade and before Begin, then close 3006.
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
    const begin: Record<string, unknown> = { type: 'Begin', id, expires_at: Math.floor(Date.now() / 1000 + sessionSeconds) };
    if (this.opts.beginConfiguration)
      begin.configuration = { ...beginConfiguration(cfg), ...(this.opts.beginModel === undefined ? {} : { model: this.opts.beginModel }) };
    this.record.id = id;
    this.send(begin);
    this.beginSent = true;
    this.beginAt = Date.now();
    scheduleFaults(this.opts, this, sessionSeconds);
    if (cfg.heartbeat || this.opts.heartbeatAlways) this.setTimer(() => this.heartbeat(), this.opts.heartbeatIntervalMs);
    this.pump();
  }

  /** docs/service.md#other-messages: every heartbeatIntervalMs while the session is live and not terminated. */
  private heartbeat(): void {
    if (this.ended || this.record.terminated) return;
    const totalDurationMs = Math.max(1, Date.now() - this.record.openedAt);
    const audioMs = Math.round(this.record.audioMs);
    this.send({
      type: 'Heartbeat',
      total_audio_received_ms: audioMs,
      total_duration_ms: totalDurationMs,
      realtime_factor: Math.round((audioMs / totalDurationMs) * 10_000) / 10_000,
      max_speech_probability: this.transcriber.takeMaxSpeechProbability(),
    });
    this.setTimer(() => this.heartbeat(), this.opts.heartbeatIntervalMs);
  }

  /** docs/service.md#limits: at expires_at, Error 3008 and close 3008 (optionally after a Termination). */
  expire(): void {
    if (this.ended) return;
    if (this.opts.terminationOnExpiry && !this.record.terminationSent) this.sendTermination();
    this.fail(3008, EXPIRED_MESSAGE);
  }

  /** docs/service.md#errors-and-close-codes: Error frame, then close with the same code and the generic reason. No Termination after it. */
  fail(code: number, message: string): void {
    if (this.ended) return;
    this.errorWithoutClosing(code, message);
    this.closeByServer(code, this.opts.closeReason ?? ERROR_CLOSE_REASON);
  }

  /** docs/service.md#limits: an Error frame with no close; the double then goes silent and leaves the socket open. */
  errorWithoutClosing(code: number, message: string): void {
    if (this.ended) return;
    this.ended = true;
    this.clearTimers();
    this.record.error = { code, message };
    this.send({ type: 'Error', error_code: code, error: message });
  }

  /** Abrupt TCP destroy: no close frame, the client sees 1006. */
  drop(): void {
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

  setTimer(fn: () => void, ms: number): NodeJS.Timeout {
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        try {
          fn();
        } catch {
          // never throw out of a timer
        }
        this.notify();
      },
      Math.max(0, ms),
    );
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

  /** Inactivity (docs/service.md#limits): no audio or text for N "seconds" -> 3006, no Termination. */
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
    // docs/service.md#audio: ms = bytes / (rate × bytes_per_sample) × 1000, from the *declared* rate and encoding.
    if (cfg.encoding === 'pcm_s16le') return (bytes / (cfg.sampleRate * 2)) * 1000;
    if (cfg.encoding === 'pcm_mulaw') return (bytes / cfg.sampleRate) * 1000;
    return 0; // CHOICE: compressed encodings are not decoded; their frames count 0 ms and are not checked.
  }

  private onAudio(buf: Buffer): void {
    const ms = this.frameDurationMs(buf.length);
    this.record.frames.push({ bytes: buf.length, ms, atMs: Date.now() - this.record.openedAt, data: Buffer.from(buf) });
    this.record.audioMs += ms;
    // Ignored: after an error, after Terminate (docs/service.md#terminate-and-termination), on a hung server; audio before Begin is fine (docs/service.md#begin).
    const cfg = this.config;
    if (this.ended || this.record.terminated || this.opts.noBegin || cfg === undefined) return;
    this.touchInactivity();
    if (cfg.encoding !== 'pcm_s16le' && cfg.encoding !== 'pcm_mulaw') return;
    const refused = this.frameCheck.check(ms) ?? rateError(this.record, this.opts.maxLeadSeconds);
    if (refused !== undefined) {
      this.fail(3007, refused);
      return;
    }
    this.transcriber.transcribe(buf, ms);
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
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('type' in parsed)) {
      // docs/service.md#client-messages, docs example '[]'. CHOICE: JSON without a type is undocumented (docs/service.md#client-messages); treated alike.
      this.fail(3006, `${VALIDATION_PREFIX}Invalid Message: ${text}`);
      return;
    }
    this.onClientMessage(parsed as Record<string, unknown>);
  }

  private onClientMessage(msg: Record<string, unknown>): void {
    switch (msg.type) {
      case 'Terminate':
        this.onTerminate();
        return;
      case 'ForceEndpoint':
        this.onForceEndpoint();
        return;
      case 'KeepAlive':
        return; // docs/service.md#client-messages: resets inactivity (done above), no reply
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
      // docs/service.md#client-messages: an invalid value is fatal.
      this.fail(3006, e instanceof Error ? e.message : String(e));
      return;
    }
    this.config = next; // applied silently, no acknowledgement
  }

  private onForceEndpoint(): void {
    if (this.forceEndpointTimer !== undefined) return;
    this.forceEndpointTimer = this.setTimer(() => {
      this.forceEndpointTimer = undefined;
      // CHOICE (docs/service.md#client-messages): with no speech in progress, ForceEndpoint does nothing.
      if (!this.ended && !this.record.terminated) this.transcriber.finalizeTurn(FORCED_EOT_CONFIDENCE);
    }, this.opts.forceEndpointDelayMs);
  }

  /** docs/service.md#terminate-and-termination: flush, optional empty final, SpeakerRevision, Termination, close 1000 "Session Ended". */
  private onTerminate(): void {
    this.record.terminated = true;
    this.audioMsAtTerminate = this.record.audioMs;
    this.clearTimer(this.inactivityTimer);
    this.inactivityTimer = undefined;
    this.clearTimer(this.forceEndpointTimer);
    this.forceEndpointTimer = undefined;
    this.transcriber.finalizeTurn(FORCED_EOT_CONFIDENCE);
    if (this.opts.emptyFinalOnTerminate) this.transcriber.queueEmptyFinal();
    this.enqueue(() => this.delay(this.opts.terminationDelayMs));
    this.enqueue(() => {
      if (this.opts.noTermination) return;
      // docs/service.md#turns, docs/service.md#terminate-and-termination: "immediately before Termination".
      if (this.config?.speakerLabels === true || this.opts.speakerRevisionAlways) this.send(this.transcriber.speakerRevision());
      this.sendTermination();
      this.closeByServer(1000, 'Session Ended');
    });
  }

  private sendTermination(): void {
    const audioSeconds = Math.round((this.audioMsAtTerminate ?? this.record.audioMs) / 1000);
    // docs/service.md#terminate-and-termination: roughly the wall time from Begin, an integer (observed: 0.6 s idle -> 1, 6.6 s -> 7).
    const sessionSeconds = Math.ceil((Date.now() - (this.beginAt || this.record.openedAt)) / 1000);
    this.send({ type: 'Termination', audio_duration_seconds: audioSeconds, session_duration_seconds: sessionSeconds });
    this.record.terminationSent = true;
  }
}

/** docs/service.md#begin: Begin.configuration as newer servers send it (only these 8 keys). */
function beginConfiguration(cfg: SessionConfig): Record<string, unknown> {
  const universalStreaming = cfg.speechModel.startsWith('universal-streaming-') || cfg.speechModel === 'whisper-rt';
  return {
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
