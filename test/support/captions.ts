/**
 * Strict checkers for SRT and WebVTT: they throw on anything a picky player would reject (numbering,
 * timestamp syntax, end before start, cues going back in time, empty cues, missing blank lines), and
 * return the cues. A file cut off between two cues must still pass.
 */
export interface Cue {
  number?: number;
  startMs: number;
  endMs: number;
  text: string;
}

const toMs = (h: string, m: string, s: string, ms: string): number => ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(ms);

export function parseSrtStrict(content: string): Cue[] {
  if (content === '') return [];
  if (!content.endsWith('\n\n')) throw new Error(`SRT does not end with a blank line: ${JSON.stringify(content.slice(-40))}`);
  const blocks = content.slice(0, -2).split('\n\n');
  const cues: Cue[] = [];
  blocks.forEach((block, i) => {
    const lines = block.split('\n');
    if (lines.length < 3) throw new Error(`SRT cue ${i + 1} has ${lines.length} lines: ${JSON.stringify(block)}`);
    if (!/^\d+$/.test(lines[0]!) || Number(lines[0]) !== i + 1) throw new Error(`SRT cue ${i + 1} is numbered ${JSON.stringify(lines[0])}`);
    const t = /^(\d{2}):([0-5]\d):([0-5]\d),(\d{3}) --> (\d{2}):([0-5]\d):([0-5]\d),(\d{3})$/.exec(lines[1]!);
    if (t === null) throw new Error(`SRT cue ${i + 1} has a bad time line ${JSON.stringify(lines[1])}`);
    const startMs = toMs(t[1]!, t[2]!, t[3]!, t[4]!);
    const endMs = toMs(t[5]!, t[6]!, t[7]!, t[8]!);
    checkTimes(cues, startMs, endMs, i);
    const text = lines.slice(2).join('\n');
    if (text.trim() === '') throw new Error(`SRT cue ${i + 1} is empty`);
    cues.push({ number: i + 1, startMs, endMs, text });
  });
  return cues;
}

export function parseVttStrict(content: string): Cue[] {
  if (!content.startsWith('WEBVTT\n\n') && content !== 'WEBVTT\n')
    throw new Error(`VTT does not start with a WEBVTT header: ${JSON.stringify(content.slice(0, 20))}`);
  const body = content.slice('WEBVTT\n\n'.length);
  if (body === '') return [];
  if (!body.endsWith('\n\n')) throw new Error(`VTT does not end with a blank line: ${JSON.stringify(body.slice(-40))}`);
  const cues: Cue[] = [];
  body
    .slice(0, -2)
    .split('\n\n')
    .forEach((block, i) => {
      const lines = block.split('\n');
      const t = /^(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3}) --> (\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})$/.exec(lines[0]!);
      if (t === null) throw new Error(`VTT cue ${i + 1} has a bad time line ${JSON.stringify(lines[0])}`);
      const startMs = toMs(t[1]!, t[2]!, t[3]!, t[4]!);
      const endMs = toMs(t[5]!, t[6]!, t[7]!, t[8]!);
      checkTimes(cues, startMs, endMs, i);
      const text = lines.slice(1).join('\n');
      if (text.trim() === '' || text.includes('-->')) throw new Error(`VTT cue ${i + 1} has bad text ${JSON.stringify(text)}`);
      if (/<(?!\/?[cibuv]\b|\/?ruby|\/?rt|\/?lang)/.test(text) || /&(?!amp;|lt;|gt;|nbsp;|lrm;|rlm;)/.test(text))
        throw new Error(`VTT cue ${i + 1} has unescaped markup ${JSON.stringify(text)}`);
      cues.push({ startMs, endMs, text });
    });
  return cues;
}

function checkTimes(previous: Cue[], startMs: number, endMs: number, i: number): void {
  if (endMs < startMs) throw new Error(`cue ${i + 1} ends (${endMs}) before it starts (${startMs})`);
  const last = previous[previous.length - 1];
  if (last !== undefined && startMs < last.startMs) throw new Error(`cue ${i + 1} starts (${startMs}) before cue ${i} (${last.startMs})`);
}

/** NDJSON: every line a JSON object. */
export function parseNdjsonStrict(content: string): Record<string, unknown>[] {
  if (content === '') return [];
  if (!content.endsWith('\n')) throw new Error('NDJSON does not end with a newline');
  return content
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      const value = JSON.parse(line) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`line ${i + 1} is not an object`);
      return value as Record<string, unknown>;
    });
}
