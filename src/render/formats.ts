/**
 * Transcript formats (pure): text lines, NDJSON events (schema v1, see README), SRT and WebVTT cues.
 * Each function returns one self-contained piece, so a file written piece by piece is valid at every
 * moment, also when the process is killed between two pieces.
 */
import type { OutputFormat } from '../core/types.js';
import type { TranscriptEvent, TurnRecord } from '../transcript/records.js';
import {
  displaySpeaker,
  escapeVttText,
  formatSpeakerPrefix,
  formatSrtSpeakerText,
  formatVttSpeakerText,
  jsonTurnSpeaker,
  jsonWordSpeaker,
  type SpeakerTheme,
} from './speakers.js';
import { sanitize } from '../core/text.js';

const JSON_SCHEMA_VERSION = 1;

/**
 * The one clock format: hh:mm:ss, with milliseconds after `millis` when given (rounded to the
 * millisecond; without them, whole seconds so far). Negative and non-finite times show as zero.
 */
export function formatClock(ms: number, millis?: '.' | ','): string {
  const finite = Number.isFinite(ms) ? ms : 0;
  const total = Math.max(0, millis === undefined ? Math.floor(finite / 1000) * 1000 : Math.round(finite));
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(h)}:${p(m)}:${p(s)}${millis === undefined ? '' : `${millis}${p(total % 1000, 3)}`}`;
}

/** hh:mm:ss.mmm (SRT uses a comma before the milliseconds). */
export function formatTimestamp(ms: number, separator: '.' | ',' = '.'): string {
  return formatClock(ms, separator);
}

/**
 * What names the turn's voice before its text: with several sources the source (`You: `), with
 * --speaker-labels the speaker (`A: `), with both the two together (`Others A: `).
 */
function sourcePrefix(turn: Pick<TurnRecord, 'source' | 'speaker'>): string {
  if (turn.source === undefined) return '';
  return `${sanitize(turn.source).trim()}${turn.speaker === undefined ? ': ' : ' '}`;
}

/** What a text line adds to the turn's text: its language when it changed (`[de] `), its speaker's colour. */
export interface TextTurnOptions {
  showLanguage?: boolean;
  theme?: SpeakerTheme;
}

/** `[times] [lang] Source A: text`: the times with --timestamps, the language when it changed, the source and speaker. */
export function formatTextTurn(turn: TurnRecord, timestamps: boolean, extra: TextTurnOptions = {}): string {
  const language = extra.showLanguage === true && turn.languageCode !== undefined ? `[${sanitize(turn.languageCode)}] ` : '';
  const text = `${language}${sourcePrefix(turn)}${formatSpeakerPrefix(turn.speaker, extra.theme)}${sanitize(turn.text).trim()}`;
  return timestamps ? `[${formatTimestamp(turn.startMs)} -> ${formatTimestamp(turn.endMs)}] ${text}\n` : `${text}\n`;
}

/** One SRT cue; `offsetMs` shifts it after the cues of an appended-to file. */
export function formatSrtCue(turn: TurnRecord, cueNumber: number, offsetMs = 0): string {
  const start = turn.startMs + offsetMs;
  const end = Math.max(turn.endMs + offsetMs, start);
  return `${cueNumber}\n${formatTimestamp(start, ',')} --> ${formatTimestamp(end, ',')}\n${sourcePrefix(turn)}${formatSrtSpeakerText(sanitize(turn.text).trim(), turn.speaker)}\n\n`;
}

export const VTT_HEADER = 'WEBVTT\n\n';

/** One WebVTT cue: text escaped (cue text may hold tags), no "-->" inside it, a voice span for its speaker. */
export function formatVttCue(turn: TurnRecord, offsetMs = 0): string {
  const start = turn.startMs + offsetMs;
  const end = Math.max(turn.endMs + offsetMs, start);
  // With several sources the source is the cue's voice (`<v You>`, `<v Others A>`); else the speaker's, if any.
  const text =
    turn.source === undefined
      ? formatVttSpeakerText(sanitize(turn.text).trim(), turn.speaker)
      : `<v ${escapeVttText(sanitize(turn.source).trim() + (turn.speaker === undefined ? '' : ` ${displaySpeaker(turn.speaker)}`))}>${escapeVttText(sanitize(turn.text).trim())}`;
  return `${formatTimestamp(start)} --> ${formatTimestamp(end)}\n${text}\n\n`;
}

const ms = (n: number): number => Math.round(n);

/** The source of an event of one source among several (undefined with one source: its JSON is unchanged). */
function sourceOf(event: TranscriptEvent): string | undefined {
  if (event.type === 'turn') return event.turn.source;
  return 'source' in event ? event.source : undefined;
}

type EventOf<K extends TranscriptEvent['type']> = Extract<TranscriptEvent, { type: K }>;

/**
 * The fields of each NDJSON event between `type, v` and `time` (README, "JSON events"), one entry per type.
 * A new event type is one entry here (TypeScript refuses the table without it).
 */
const JSON_FIELDS: { [K in TranscriptEvent['type']]: (event: EventOf<K>) => Record<string, unknown> } = {
  begin: (e) => ({
    session_id: e.sessionId,
    expires_at: e.expiresAt === undefined ? null : new Date(e.expiresAt * 1000).toISOString(),
    sample_rate: e.sampleRateHz,
    encoding: e.encoding,
    speech_model: e.speechModel,
    input: e.input,
  }),
  partial: (e) => ({ session_id: e.sessionId, turn_order: e.turnOrder, text: sanitize(e.text) }),
  turn: ({ turn: t }) => ({
    index: t.index,
    session_id: t.sessionId,
    turn_order: t.turnOrder,
    text: sanitize(t.text).trim(),
    start_ms: ms(t.startMs),
    end_ms: ms(t.endMs),
    end_of_turn_confidence: t.endOfTurnConfidence,
    ...(t.languageCode === undefined ? {} : { language: t.languageCode }),
    ...(t.languageConfidence === undefined ? {} : { language_confidence: t.languageConfidence }),
    ...jsonTurnSpeaker(t),
    words: t.words.map((w) => ({
      text: sanitize(w.text),
      start_ms: ms(w.startMs),
      end_ms: ms(w.endMs),
      confidence: w.confidence,
      ...jsonWordSpeaker(w),
    })),
    // Issue 22: a turn of a gap recovered through the pre-recorded API.
    ...(t.recovered === true ? { recovered: true } : {}),
  }),
  speaker_revision: (e) => ({ turns: e.turns.map((t) => ({ index: t.index, speaker: t.speaker })) }),
  termination: (e) => ({
    reason: e.reason,
    audio_sent_ms: ms(e.audioSentMs),
    audio_duration_seconds: e.audioDurationS ?? null,
    session_duration_seconds: e.sessionDurationS ?? null,
    sessions: e.sessions,
    reconnects: e.reconnects,
    turns: e.turns,
  }),
  error: (e) => ({ code: e.code, exit_code: e.exitCode, message: e.message }),
  reconnecting: (e) => ({
    phase: e.phase,
    attempt: e.attempt,
    max_attempts: e.maxAttempts,
    delay_ms: ms(e.delayMs),
    reason: e.reason,
  }),
  // Issue 22 (schema v1, added): a gap of audio past the replay bound, from the spool to the transcript.
  gap: (e) => ({
    phase: e.phase,
    start_ms: ms(e.startMs),
    duration_ms: ms(e.durationMs),
    spool_file: e.file,
    ...(e.turns === undefined ? {} : { turns: e.turns }),
    ...(e.reason === undefined ? {} : { reason: e.reason }),
  }),
  reconnected: (e) => ({
    session_id: e.sessionId,
    why: e.why,
    offset_ms: ms(e.offsetMs),
    replayed_ms: ms(e.replayedMs),
    lost_ms: ms(e.lostMs),
  }),
};

/**
 * One NDJSON line: `type`, `v`, the event's fields, `source` with several sources, `time` last. Numbers are
 * numbers; times are integer ms; wall-clock times are ISO 8601.
 */
export function formatJsonEvent(event: TranscriptEvent): string {
  const fields = (JSON_FIELDS[event.type] as (e: TranscriptEvent) => Record<string, unknown>)(event);
  const time = event.type === 'turn' ? event.turn.time : event.time;
  const source = sourceOf(event);
  const obj = {
    type: event.type,
    v: JSON_SCHEMA_VERSION,
    ...fields,
    ...(source === undefined ? {} : { source: sanitize(source) }),
    time: time.toISOString(),
  };
  return `${JSON.stringify(obj)}\n`;
}

export interface FormatOptions {
  timestamps: boolean;
  partials: boolean;
  /** Speaker colours for text (stdout on a terminal); files and pipes stay plain. */
  speakerTheme?: SpeakerTheme;
}

/** Where a transcript starts: 0 for a new one, or the cues of a file appended to. */
export interface CueStart {
  cueNumber: number;
  offsetMs: number;
}

/** A format's writer: the header it opens with ('' but for VTT) and each event's text, cues numbered on. */
export interface EventFormatter {
  readonly header: string;
  format(event: TranscriptEvent): string;
}

/** The one place that numbers cues (SRT) and knows the VTT header, for stdout and files alike. */
export function createEventFormatter(format: OutputFormat, o: FormatOptions, start: CueStart = { cueNumber: 0, offsetMs: 0 }): EventFormatter {
  let cueNumber = start.cueNumber;
  /** The language of the last turn written: text shows it again only when it changes. */
  let language: string | undefined;
  // Only the fields a format reads, named, never `{ ...o }`: spreading the caller's options on every event
  // made V8 grow its young generation under a burst of turns (+3.4 MB RSS per 1000 turns, bench/turn-memory.mjs).
  const { timestamps, partials, speakerTheme } = o;
  const { offsetMs } = start;
  const options = (showLanguage: boolean): FormatOptions & CueStart & { showLanguage: boolean } =>
    speakerTheme === undefined
      ? { timestamps, partials, cueNumber, offsetMs, showLanguage }
      : { timestamps, partials, speakerTheme, cueNumber, offsetMs, showLanguage };
  return {
    header: format === 'vtt' ? VTT_HEADER : '',
    format(event) {
      if (event.type !== 'turn') return formatEvent(format, event, options(false));
      cueNumber += 1;
      const changed = event.turn.languageCode !== undefined && event.turn.languageCode !== language;
      if (event.turn.languageCode !== undefined) language = event.turn.languageCode;
      return formatEvent(format, event, options(changed));
    },
  };
}

/** What a format writes for an event ('' = nothing). Text and captions carry final turns only. */
export function formatEvent(format: OutputFormat, event: TranscriptEvent, o: FormatOptions & CueStart & { showLanguage?: boolean }): string {
  if (format === 'json') return event.type === 'partial' && !o.partials ? '' : formatJsonEvent(event);
  if (event.type !== 'turn') return '';
  if (format === 'srt') return formatSrtCue(event.turn, o.cueNumber, o.offsetMs);
  if (format === 'vtt') return formatVttCue(event.turn, o.offsetMs);
  return formatTextTurn(event.turn, o.timestamps, {
    ...(o.showLanguage === undefined ? {} : { showLanguage: o.showLanguage }),
    ...(o.speakerTheme === undefined ? {} : { theme: o.speakerTheme }),
  });
}
