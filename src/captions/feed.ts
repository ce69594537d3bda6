/**
 * What the captions page is told (issue 20): the run's transcript events as page messages, the ones that
 * matter later (finals, speaker revisions, the end) kept with a sequence number so that a page that reconnects
 * asks for what it missed (`RUN.SEQ`) and gets exactly that, with no duplicates. Partials are not kept: only
 * the latest one, sent to a page that joins. Pure (no I/O).
 */
import { randomBytes } from 'node:crypto';
import { speakerColourIndex } from '../render/speakers.js';
import { createEventFormatter } from '../render/formats.js';
import { sanitize } from '../core/text.js';
import type { TranscriptEvent, TurnRecord } from '../transcript/records.js';
import { PENDING_SPEAKER } from '../transcript/speakers.js';

/** One line of the page: a final turn. */
export interface FinalMessage {
  t: 'final';
  /** The turn's run-wide index. */
  i: number;
  text: string;
  speaker?: string;
  /** The speaker's colour: an index into the page's palette, -1 while not known. */
  c?: number;
  source?: string;
  /** The language, when it changed (as the terminal shows it). */
  lang?: string;
  startMs: number;
  endMs: number;
}

export type PageMessage =
  | FinalMessage
  | { t: 'partial'; text: string; source?: string }
  | { t: 'speakers'; turns: { i: number; speaker: string; c: number }[] }
  | { t: 'end'; ok: boolean; message?: string }
  /** The first message of every stream: which run this is (a page open across two runs starts on the new one). */
  | { t: 'run'; run: string };

export interface KeptMessage {
  seq: number;
  message: PageMessage;
}

export interface Feed {
  readonly runId: string;
  /** Turns a transcript event into a page message (kept, or the live partial); undefined when the page shows nothing of it. */
  add(event: TranscriptEvent): { seq?: number; message: PageMessage } | undefined;
  /** The run's end: once. */
  end(ok: boolean, message?: string): KeptMessage | undefined;
  /** What a page that last saw `since` (`RUN.SEQ`, or none) needs: everything after it, or all of this run. */
  catchUp(since: string | undefined): { reset: boolean; kept: KeptMessage[]; partials: PageMessage[] };
  /** The transcript so far as a file of this format. */
  transcript(format: 'text' | 'srt' | 'vtt'): string;
}

export function newRunId(): string {
  return randomBytes(6).toString('hex');
}

/** What the page shows for a speaker: `?` while not known yet (a later `speakers` message settles it). */
function shownSpeaker(speaker: string): string {
  return speaker === PENDING_SPEAKER ? '?' : speaker;
}

/** The speaker's colour, the terminal's palette order (-1: not known yet, shown dim). */
function colourOf(speaker: string): number {
  return speaker === PENDING_SPEAKER ? -1 : speakerColourIndex(speaker);
}

export function createFeed(runId: string = newRunId()): Feed {
  const kept: KeptMessage[] = [];
  const turns = new Map<number, TurnRecord>();
  /** The live partial of each source ('' key with one source). */
  const partials = new Map<string, PageMessage>();
  let language: string | undefined;
  let ended = false;
  const keep = (message: PageMessage): KeptMessage => {
    const entry = { seq: kept.length + 1, message };
    kept.push(entry);
    return entry;
  };
  const finalOf = (turn: TurnRecord): FinalMessage => {
    const changed = turn.languageCode !== undefined && turn.languageCode !== language;
    if (turn.languageCode !== undefined) language = turn.languageCode;
    return {
      t: 'final',
      i: turn.index,
      text: sanitize(turn.text).trim(),
      ...(turn.speaker === undefined ? {} : { speaker: shownSpeaker(turn.speaker), c: colourOf(turn.speaker) }),
      ...(turn.source === undefined ? {} : { source: sanitize(turn.source).trim() }),
      ...(changed && turn.languageCode !== undefined ? { lang: sanitize(turn.languageCode) } : {}),
      startMs: Math.round(turn.startMs),
      endMs: Math.round(turn.endMs),
    };
  };
  return {
    runId,
    add(event) {
      if (ended) return undefined;
      if (event.type === 'partial') {
        const message: PageMessage = {
          t: 'partial',
          text: sanitize(event.text).trim(),
          ...(event.source === undefined ? {} : { source: sanitize(event.source).trim() }),
        };
        partials.set(event.source ?? '', message);
        return { message };
      }
      if (event.type === 'turn') {
        if (event.turn.text.trim() === '') return undefined;
        turns.set(event.turn.index, { ...event.turn });
        partials.delete(event.turn.source ?? '');
        return keep(finalOf(event.turn));
      }
      if (event.type === 'speaker_revision') {
        const changed = event.turns.filter((r) => turns.has(r.index));
        for (const r of changed) turns.set(r.index, { ...turns.get(r.index)!, speaker: r.speaker });
        if (changed.length === 0) return undefined;
        return keep({ t: 'speakers', turns: changed.map((r) => ({ i: r.index, speaker: shownSpeaker(r.speaker), c: colourOf(r.speaker) })) });
      }
      return undefined;
    },
    end(ok, message) {
      if (ended) return undefined;
      ended = true;
      partials.clear();
      return keep({ t: 'end', ok, ...(message === undefined ? {} : { message }) });
    },
    catchUp(since) {
      const live = [...partials.values()].filter((p) => p.t === 'partial' && p.text !== '');
      const match = since === undefined ? null : /^([0-9a-f]+)\.(\d+)$/.exec(since);
      if (match === null || match[1] !== runId) return { reset: true, kept: [...kept], partials: live };
      const seen = Number(match[2]);
      return { reset: false, kept: kept.filter((k) => k.seq > seen), partials: live };
    },
    transcript(format) {
      const formatter = createEventFormatter(format, { timestamps: false, partials: false });
      let out = formatter.header;
      for (const turn of [...turns.values()].sort((a, b) => a.index - b.index)) out += formatter.format({ type: 'turn', turn });
      return out;
    },
  };
}
