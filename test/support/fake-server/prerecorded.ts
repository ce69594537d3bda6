/**
 * The double's pre-recorded API (docs/service.md#pre-recorded-api): POST /v2/upload, POST /v2/transcript, GET and DELETE
 * /v2/transcript/{id}, on the same host as the streaming endpoint. Strict like docs/service.md#pre-recorded-api: the raw key in
 * Authorization (401 otherwise), the documented 400 bodies, `speech_models` pinned and checked, a transcript
 * that goes queued -> processing -> completed|error over configurable delays, integer-ms words and
 * `audio_duration` rounded up to the second. With a recognizer, each speech segment of the uploaded WAV (split at
 * silences) is recognized, so the transcript says what was actually in the file; without one, the script's
 * turns are used in order.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseWav, pcmLevelDbfs } from '../audio.js';
import type { Recognizer } from '../recognizer.js';
import { writeJson } from './http.js';

export interface PrerecordedOptions {
  /** Time a transcript stays `queued`. Default 100. */
  queuedMs?: number;
  /** Time from `processing` to the result. Default 300 (real: a few seconds, docs/service.md#polling). */
  processingMs?: number;
  /** Every upload answers this status with the docs/service.md#pre-recorded-errors body (e.g. 500, 403). */
  uploadStatus?: number;
  /** Every POST /v2/transcript answers this status. */
  createStatus?: number;
  /** The first N requests of any kind answer 503 (transient failures a client must retry). */
  transientFailures?: number;
  /** Every transcript ends in `error` with this text. */
  transcriptError?: string;
  /** Models the double accepts in speech_models (docs/service.md#transcript-request, December 2026). */
  acceptedModels?: string[];
}

export interface UploadRecord {
  url: string;
  bytes: Buffer;
  deleted: boolean;
}

export interface TranscriptRecord {
  id: string;
  body: Record<string, unknown>;
  status: 'queued' | 'processing' | 'completed' | 'error';
  createdAt: number;
  polls: number;
  deleted: boolean;
  result?: Record<string, unknown>;
}

/** What the double saw on its pre-recorded endpoints, for assertions. */
export interface PrerecordedRecords {
  uploads: UploadRecord[];
  transcripts: TranscriptRecord[];
  /** "METHOD path -> status", in order. */
  requests: string[];
}

const AUTH_ERROR = 'Authentication error, API token missing/invalid';
const DEFAULT_MODELS = ['assemblyai-stt-3-7', 'universal-3-5-pro', 'universal-2'];
/** Frames of this length are classified speech/silence; this much silence splits two segments. */
const FRAME_MS = 20;
const SEGMENT_GAP_MS = 600;
const MIN_AUDIO_MS = 160;

interface Segment {
  startMs: number;
  endMs: number;
  pcm: Buffer;
}

/** Speech segments of 16-bit mono PCM: runs of loud frames separated by at least SEGMENT_GAP_MS of quiet. */
function speechSegments(pcm: Buffer, rateHz: number, thresholdDbfs: number): Segment[] {
  const frameBytes = Math.max(2, Math.round((rateHz * FRAME_MS) / 1000) * 2);
  const out: Segment[] = [];
  let current: { start: number; end: number } | undefined;
  for (let off = 0; off + frameBytes <= pcm.length; off += frameBytes) {
    const ms = (off / 2 / rateHz) * 1000;
    if (pcmLevelDbfs(pcm.subarray(off, off + frameBytes)) <= thresholdDbfs) continue;
    if (current !== undefined && ms - current.end <= SEGMENT_GAP_MS) current.end = ms + FRAME_MS;
    else {
      if (current !== undefined) out.push({ startMs: current.start, endMs: current.end, pcm: Buffer.alloc(0) });
      current = { start: ms, end: ms + FRAME_MS };
    }
  }
  if (current !== undefined) out.push({ startMs: current.start, endMs: current.end, pcm: Buffer.alloc(0) });
  const byteAt = (ms: number): number => Math.min(pcm.length, Math.max(0, Math.round((ms * rateHz) / 1000)) * 2);
  // A little margin either side, as a recognizer wants some silence around speech.
  return out.map((s) => ({ ...s, pcm: pcm.subarray(byteAt(s.startMs - 200), byteAt(s.endMs + 200)) }));
}

function downmix16(pcm: Buffer, channels: number): Buffer {
  if (channels === 1) return pcm;
  const frames = Math.floor(pcm.length / (2 * channels));
  const out = Buffer.alloc(frames * 2);
  for (let i = 0; i < frames; i++) out.writeInt16LE(pcm.readInt16LE(i * 2 * channels), i * 2);
  return out;
}

function capitalise(words: string[]): string[] {
  const out = words.slice();
  if (out.length > 0) out[0] = (out[0] ?? '').charAt(0).toUpperCase() + (out[0] ?? '').slice(1);
  const last = out.length - 1;
  if (last >= 0 && !/[.!?]$/.test(out[last] ?? '')) out[last] = `${out[last] ?? ''}.`;
  return out;
}

export class PrerecordedApi {
  readonly records: PrerecordedRecords = { uploads: [], transcripts: [], requests: [] };
  private failuresLeft: number;
  private scriptIndex = 0;

  constructor(
    private readonly o: PrerecordedOptions,
    private readonly apiKeys: string[],
    private readonly recognizer: Recognizer | undefined,
    private readonly script: string[][],
    private readonly speakers: string[],
    private readonly thresholdDbfs: number,
    private readonly notify: () => void,
  ) {
    this.failuresLeft = o.transientFailures ?? 0;
  }

  /** Whether the path is one of ours; if so the request is answered. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    if (!url.pathname.startsWith('/v2/')) return false;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown): void => {
        this.records.requests.push(`${req.method ?? '?'} ${url.pathname} -> ${status}`);
        writeJson(res, status, body);
        this.notify();
      };
      try {
        this.route(req, url, Buffer.concat(chunks), reply);
      } catch {
        reply(500, { error: 'Server error, developers have been alerted.' });
      }
    });
    return true;
  }

  private route(req: IncomingMessage, url: URL, body: Buffer, reply: (status: number, body: unknown) => void): void {
    if (!this.apiKeys.includes(req.headers.authorization ?? '')) return reply(401, { error: AUTH_ERROR });
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      return reply(503, { error: 'Service Unavailable' });
    }
    const m = /^\/v2\/transcript\/([^/]+)$/.exec(url.pathname);
    if (url.pathname === '/v2/upload' && req.method === 'POST') return this.upload(body, reply);
    if (url.pathname === '/v2/transcript' && req.method === 'POST') return this.create(body, reply);
    if (m !== null && req.method === 'GET') return this.get(decodeURIComponent(m[1] ?? ''), reply);
    if (m !== null && req.method === 'DELETE') return this.remove(decodeURIComponent(m[1] ?? ''), reply);
    reply(404, { error: 'Not found' });
  }

  private upload(body: Buffer, reply: (status: number, body: unknown) => void): void {
    if (this.o.uploadStatus !== undefined)
      return reply(this.o.uploadStatus, {
        error: this.o.uploadStatus === 403 ? 'Cannot access uploaded file' : 'Server error, developers have been alerted.',
      });
    const url = `https://cdn.assemblyai.com/upload/${randomBytes(16).toString('hex')}/${randomUUID()}`;
    this.records.uploads.push({ url, bytes: body, deleted: false });
    reply(200, { upload_url: url });
  }

  /** docs/service.md#transcript-request's checks, in the order the service reports them; undefined when the request is valid. */
  private invalid(b: Record<string, unknown>): string | undefined {
    const accepted = this.o.acceptedModels ?? DEFAULT_MODELS;
    if (typeof b.audio_url !== 'string' || b.audio_url === '') return 'Transcript creation error, audio_url not found';
    if ('speech_model' in b)
      return 'speech_model is deprecated. Use "speech_models" instead. See documentation: https://www.assemblyai.com/docs/pre-recorded-audio/select-the-speech-model';
    const models = b.speech_models;
    if (models !== undefined && (!Array.isArray(models) || models.length === 0)) return 'speech_models must be a non-empty list';
    if (Array.isArray(models) && models.some((x) => typeof x !== 'string' || !accepted.includes(x)))
      return `speech_models must be one of: ${accepted.join(', ')}`;
    for (const flag of ['punctuate', 'format_text', 'speaker_labels', 'language_detection', 'redact_pii', 'filter_profanity', 'disfluencies']) {
      if (flag in b && typeof b[flag] !== 'boolean') return `${flag} must be a Boolean`;
    }
    if ('speakers_expected' in b && 'speaker_options' in b) return 'Both speaker_options and speakers_expected can not be used in the same request.';
    if (b.redact_pii_return_unredacted === true && b.redact_pii !== true)
      return '`redact_pii_return_unredacted` can only be set to True if `redact_pii` is True';
    if ('word_boost' in b) return '"word_boost" is not compatible with universal-3-pro. Use "prompt" or "keyterms_prompt" to boost accuracy.';
    if ('keyterms_prompt' in b && 'prompt' in b) return 'keyterms_prompt and prompt can not be used in the same request.';
    if ('keyterms_prompt' in b && (!Array.isArray(b.keyterms_prompt) || b.keyterms_prompt.length > 1000))
      return 'keyterms_prompt must be a list of at most 1000 terms';
    return undefined;
  }

  private create(raw: Buffer, reply: (status: number, body: unknown) => void): void {
    if (this.o.createStatus !== undefined) return reply(this.o.createStatus, { error: 'Server error, developers have been alerted.' });
    let b: Record<string, unknown>;
    try {
      b = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return reply(400, { error: 'Invalid JSON body' });
    }
    const problem = this.invalid(b);
    if (problem !== undefined) return reply(400, { error: problem });
    const record: TranscriptRecord = { id: randomUUID(), body: b, status: 'queued', createdAt: Date.now(), polls: 0, deleted: false };
    this.records.transcripts.push(record);
    const queuedMs = this.o.queuedMs ?? 100;
    setTimeout(() => {
      record.status = 'processing';
      setTimeout(() => void this.finish(record), this.o.processingMs ?? 300);
    }, queuedMs);
    reply(200, this.view(record));
  }

  private async finish(record: TranscriptRecord): Promise<void> {
    const fail = (error: string): void => {
      record.status = 'error';
      record.result = { error };
      this.notify();
    };
    if (this.o.transcriptError !== undefined) return fail(this.o.transcriptError);
    const upload = this.records.uploads.find((u) => u.url === record.body.audio_url && !u.deleted);
    if (upload === undefined)
      return fail(
        `Download error, unable to download ${String(record.body.audio_url)}. Please make sure the file exists and is accessible from the internet.`,
      );
    let wav;
    try {
      wav = parseWav(upload.bytes);
    } catch {
      return fail('File does not appear to contain audio. File type is application/octet-stream (data).');
    }
    if (wav.bitsPerSample !== 16) return fail('Transcoding failed. Unsupported sample format.');
    const pcm = downmix16(wav.pcm, wav.channels);
    const durationMs = (pcm.length / 2 / wav.sampleRateHz) * 1000;
    if (durationMs < MIN_AUDIO_MS) return fail('Audio duration is too short.');
    record.result = await this.transcribe(pcm, wav.sampleRateHz, durationMs, record.body.speaker_labels === true);
    record.status = 'completed';
    this.notify();
  }

  private async transcribe(pcm: Buffer, rateHz: number, durationMs: number, speakers: boolean): Promise<Record<string, unknown>> {
    const words: Array<Record<string, unknown>> = [];
    const utterances: Array<Record<string, unknown>> = [];
    for (const [i, seg] of speechSegments(pcm, rateHz, this.thresholdDbfs).entries()) {
      let said = this.recognizer === undefined ? '' : await this.recognizer(seg.pcm, rateHz);
      if (this.recognizer === undefined) said = (this.script[this.scriptIndex++ % this.script.length] ?? []).join(' ');
      const texts = capitalise(said.split(/\s+/).filter((w) => w.length > 0));
      if (texts.length === 0) continue;
      const speaker = speakers ? (this.speakers[i % this.speakers.length] ?? 'A') : null;
      const step = (seg.endMs - seg.startMs) / texts.length;
      const segWords = texts.map((text, k) => ({
        text,
        start: Math.round(seg.startMs + k * step),
        end: Math.round(seg.startMs + (k + 1) * step),
        confidence: 0.95,
        speaker,
      }));
      words.push(...segWords);
      const first = segWords[0];
      const last = segWords[segWords.length - 1];
      if (speaker !== null && first !== undefined && last !== undefined) {
        utterances.push({ speaker, text: texts.join(' '), confidence: 0.95, start: first.start, end: last.end, words: segWords });
      }
    }
    return {
      text: words.map((w) => String(w.text)).join(' '),
      words,
      utterances: speakers ? utterances : null,
      confidence: words.length > 0 ? 0.95 : 0,
      audio_duration: Math.ceil(durationMs / 1000),
    };
  }

  private view(r: TranscriptRecord): Record<string, unknown> {
    const b = r.body;
    return {
      id: r.id,
      status: r.status,
      audio_url: b.audio_url,
      speech_models: b.speech_models ?? DEFAULT_MODELS.slice(0, 1),
      speech_model_used: r.status === 'completed' ? ((b.speech_models as string[] | undefined)?.[0] ?? DEFAULT_MODELS[0]) : null,
      language_code: typeof b.language_code === 'string' ? (b.language_code === 'en' ? 'en_us' : b.language_code) : 'en_us',
      speaker_labels: b.speaker_labels === true,
      text: null,
      words: null,
      utterances: null,
      confidence: null,
      audio_duration: null,
      error: undefined,
      project_id: 1,
      ...(r.result ?? {}),
    };
  }

  private get(id: string, reply: (status: number, body: unknown) => void): void {
    const r = this.records.transcripts.find((t) => t.id === id);
    if (r === undefined) return reply(400, { error: 'Transcript lookup error, transcript id not found' });
    r.polls++;
    reply(200, this.view(r));
  }

  private remove(id: string, reply: (status: number, body: unknown) => void): void {
    const r = this.records.transcripts.find((t) => t.id === id);
    if (r === undefined) return reply(400, { error: 'Transcript lookup error, transcript id not found' });
    r.deleted = true;
    const upload = this.records.uploads.find((u) => u.url === r.body.audio_url);
    if (upload !== undefined) {
      upload.deleted = true;
      upload.bytes = Buffer.alloc(0);
    }
    reply(200, { ...this.view(r), text: 'Deleted by user.', words: null, utterances: null, audio_url: 'http://deleted_by_user' });
  }
}
