/**
 * A transcript written by live-transcribe read back into turns (pure), for `live-transcribe notes FILE`:
 * NDJSON (the `turn` events, speakers revised by `speaker_revision`), text (with or without --timestamps),
 * SRT and WebVTT (voice spans become `Speaker A: `). The format is told by the content, not the name.
 */
import type { NoteTurn } from './transcript-text.js';

export type TranscriptFileFormat = 'json' | 'text' | 'srt' | 'vtt';

const CUE_TIME = /^(\d{2,}):(\d{2}):(\d{2})[.,](\d{3})\s+-->\s+/;
const TEXT_TIME = /^\[(\d{2,}):(\d{2}):(\d{2})\.(\d{3}) -> [^\]]*\]\s?/;

const toMs = (m: RegExpMatchArray): number => Number(m[1]) * 3_600_000 + Number(m[2]) * 60_000 + Number(m[3]) * 1000 + Number(m[4]);

export function detectFormat(text: string): TranscriptFileFormat {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('WEBVTT')) return 'vtt';
  if (start.startsWith('{')) return 'json';
  if (/^\d+\r?\n\d{2,}:\d{2}:\d{2},\d{3} --> /.test(start)) return 'srt';
  return 'text';
}

function readJson(text: string): NoteTurn[] {
  const turns = new Map<number, NoteTurn>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue; // a line cut off by a kill: the rest is still good
    }
    if (event.type === 'turn' && typeof event.text === 'string') {
      const index = typeof event.index === 'number' ? event.index : turns.size;
      turns.set(index, {
        text: event.text,
        ...(typeof event.start_ms === 'number' ? { startMs: event.start_ms } : {}),
        ...(typeof event.source === 'string' ? { source: event.source } : {}),
        ...(typeof event.speaker === 'string' ? { speaker: event.speaker } : {}),
      });
    } else if (event.type === 'speaker_revision' && Array.isArray(event.turns)) {
      for (const r of event.turns as Array<{ index?: unknown; speaker?: unknown }>) {
        const turn = typeof r.index === 'number' ? turns.get(r.index) : undefined;
        if (turn !== undefined && typeof r.speaker === 'string') turn.speaker = r.speaker;
      }
    }
  }
  return [...turns.values()];
}

function readText(text: string): NoteTurn[] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const m = TEXT_TIME.exec(line);
      return m === null ? { text: line.trim() } : { text: line.slice(m[0].length).trim(), startMs: toMs(m) };
    });
}

const unescapeVtt = (t: string): string => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** SRT and VTT: blocks separated by blank lines; a block with a timing line is a cue. */
function readCues(text: string, vtt: boolean): NoteTurn[] {
  const turns: NoteTurn[] = [];
  for (const block of text.replace(/\r\n/g, '\n').split(/\n{2,}/)) {
    const lines = block.split('\n');
    const at = lines.findIndex((l) => CUE_TIME.test(l));
    if (at < 0) continue;
    const m = CUE_TIME.exec(lines[at]!)!;
    let body = lines
      .slice(at + 1)
      .join(' ')
      .trim();
    if (vtt) body = unescapeVtt(body.replace(/<v\s+([^>]+)>/g, '$1: ').replace(/<\/?[^>]*>/g, ''));
    if (body !== '') turns.push({ text: body, startMs: toMs(m) });
  }
  return turns;
}

export function readTranscript(text: string): { format: TranscriptFileFormat; turns: NoteTurn[] } {
  const format = detectFormat(text);
  const body = text.replace(/^\uFEFF/, '');
  const turns = format === 'json' ? readJson(body) : format === 'text' ? readText(body) : readCues(body, format === 'vtt');
  return { format, turns };
}
