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
  jsonSpeakerRevision,
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

/** One NDJSON line. Numbers are numbers; times are integer ms; wall-clock times are ISO 8601. */
export function formatJsonEvent(event: TranscriptEvent): string {
  const v = JSON_SCHEMA_VERSION;
  let obj: Record<string, unknown>;
  switch (event.type) {
    case 'begin':
      obj = {
        type: 'begin',
        v,
        session_id: event.sessionId,
        expires_at: event.expiresAt === undefined ? null : new Date(event.expiresAt * 1000).toISOString(),
        sample_rate: event.sampleRateHz,
        encoding: event.encoding,
        speech_model: event.speechModel,
        input: event.input,
        time: event.time.toISOString(),
      };
      break;
    case 'partial':
      obj = {
        type: 'partial',
        v,
        session_id: event.sessionId,
        turn_order: event.turnOrder,
        text: sanitize(event.text),
        time: event.time.toISOString(),
      };
      break;
    case 'turn': {
      const t = event.turn;
      obj = {
        type: 'turn',
        v,
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
        time: t.time.toISOString(),
      };
      break;
    }
    case 'speaker_revision':
      obj = jsonSpeakerRevision(event, v, event.time);
      break;
    case 'termination':
      obj = {
        type: 'termination',
        v,
        reason: event.reason,
        audio_sent_ms: ms(event.audioSentMs),
        audio_duration_seconds: event.audioDurationS ?? null,
        session_duration_seconds: event.sessionDurationS ?? null,
        sessions: event.sessions,
        reconnects: event.reconnects,
        turns: event.turns,
        time: event.time.toISOString(),
      };
      break;
    case 'error':
      obj = { type: 'error', v, code: event.code, exit_code: event.exitCode, message: event.message, time: event.time.toISOString() };
      break;
    case 'reconnecting':
      obj = {
        type: 'reconnecting',
        v,
        phase: event.phase,
        attempt: event.attempt,
        max_attempts: event.maxAttempts,
        delay_ms: ms(event.delayMs),
        reason: event.reason,
        time: event.time.toISOString(),
      };
      break;
    case 'gap':
      // Issue 22 (schema v1, added): a gap of audio past the replay bound, from the spool to the transcript.
      obj = {
        type: 'gap',
        v,
        phase: event.phase,
        start_ms: ms(event.startMs),
        duration_ms: ms(event.durationMs),
        spool_file: event.file,
        ...(event.turns === undefined ? {} : { turns: event.turns }),
        ...(event.reason === undefined ? {} : { reason: event.reason }),
        time: event.time.toISOString(),
      };
      break;
    case 'reconnected':
      obj = {
        type: 'reconnected',
        v,
        session_id: event.sessionId,
        why: event.why,
        offset_ms: ms(event.offsetMs),
        replayed_ms: ms(event.replayedMs),
        lost_ms: ms(event.lostMs),
        time: event.time.toISOString(),
      };
      break;
  }
  const source = sourceOf(event);
  if (source !== undefined) {
    // `source` just before `time`, which stays the last field.
    const { time, ...fields } = obj;
    obj = { ...fields, source: sanitize(source), time };
  }
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
