import { describe, expect, it } from 'vitest';
import {
  createEventFormatter,
  formatClock,
  formatEvent,
  formatJsonEvent,
  formatSrtCue,
  formatTextTurn,
  formatTimestamp,
  formatVttCue,
} from '../../../src/render/formats.js';
import type { TranscriptEvent, TurnRecord } from '../../../src/transcript/records.js';
import { continuationOf } from '../../../src/render/sinks.js';
import { formatProgress } from '../../../src/render/status-line.js';
import { beginEvent, terminationEvent } from '../../support/records.js';

const time = new Date('2026-11-24T10:00:00.000Z');
const turn = (o: Partial<TurnRecord> = {}): TurnRecord => ({
  index: 0,
  sessionId: 's1',
  turnOrder: 0,
  text: 'Hello world.',
  startMs: 1200,
  endMs: 3450.4,
  words: [
    { text: 'Hello', startMs: 1200, endMs: 1500, confidence: 0.98 },
    { text: 'world.', startMs: 1600, endMs: 3450.4, confidence: 0.9 },
  ],
  endOfTurnConfidence: 0.91,
  time,
  ...o,
});

describe('timestamps', () => {
  it.each([
    [0, '00:00:00.000'],
    [1200, '00:00:01.200'],
    [61_001, '00:01:01.001'],
    [3_600_000 + 59 * 60_000 + 59_999, '01:59:59.999'],
    [-5, '00:00:00.000'],
  ])('%i ms -> %s', (ms, text) => {
    expect(formatTimestamp(ms)).toBe(text);
  });
  it('uses a comma for SRT', () => {
    expect(formatTimestamp(1200, ',')).toBe('00:00:01,200');
  });
  it('formats progress', () => {
    expect(formatProgress('a.wav', 12_000, 90_000)).toBe('▶ a.wav 00:00:12 / 00:01:30 (13%)');
    expect(formatProgress('a.wav', 95_000, 90_000)).toBe('▶ a.wav 00:01:30 / 00:01:30 (100%)');
    expect(formatProgress('standard input', 3_723_000, undefined)).toBe('▶ standard input 01:02:03');
  });
});

describe('text', () => {
  it('one line per turn, optionally with its times', () => {
    expect(formatTextTurn(turn(), false)).toBe('Hello world.\n');
    expect(formatTextTurn(turn(), true)).toBe('[00:00:01.200 -> 00:00:03.450] Hello world.\n');
  });
});

describe('captions', () => {
  it('SRT cue', () => {
    expect(formatSrtCue(turn(), 3)).toBe('3\n00:00:01,200 --> 00:00:03,450\nHello world.\n\n');
    expect(formatSrtCue(turn(), 1, 10_000)).toBe('1\n00:00:11,200 --> 00:00:13,450\nHello world.\n\n');
  });
  it('VTT cue escapes markup and never ends before it starts', () => {
    expect(formatVttCue(turn({ text: 'a <b> & c --> d', endMs: 1000 }))).toBe('00:00:01.200 --> 00:00:01.200\na &lt;b&gt; &amp; c --&gt; d\n\n');
  });
  it('continues numbering and time after the cues of an existing file', () => {
    const srt = '1\n00:00:01,000 --> 00:00:02,500\nA.\n\n2\n00:00:03,000 --> 00:01:04,250\nB.\n\n';
    expect(continuationOf('srt', srt)).toEqual({ cueNumber: 2, offsetMs: 64_250, needsHeader: false, separator: '' });
    expect(continuationOf('srt', srt.trimEnd())).toMatchObject({ separator: '\n\n' });
    expect(continuationOf('vtt', '')).toEqual({ cueNumber: 0, offsetMs: 0, needsHeader: true, separator: '' });
    expect(continuationOf('vtt', 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA.\n\n')).toMatchObject({ offsetMs: 2000, needsHeader: false });
    expect(continuationOf('text', 'line')).toMatchObject({ separator: '\n' });
  });
});

describe('NDJSON schema v1', () => {
  it('turn: numbers are numbers, times integer ms, wall-clock ISO', () => {
    const obj = JSON.parse(formatJsonEvent({ type: 'turn', turn: turn({ languageCode: 'en' }) })) as Record<string, unknown>;
    expect(obj).toEqual({
      type: 'turn',
      v: 1,
      index: 0,
      session_id: 's1',
      turn_order: 0,
      text: 'Hello world.',
      start_ms: 1200,
      end_ms: 3450,
      end_of_turn_confidence: 0.91,
      language: 'en',
      words: [
        { text: 'Hello', start_ms: 1200, end_ms: 1500, confidence: 0.98 },
        { text: 'world.', start_ms: 1600, end_ms: 3450, confidence: 0.9 },
      ],
      time: '2026-11-24T10:00:00.000Z',
    });
  });
  it('begin, partial, termination and error', () => {
    const lines = [
      formatJsonEvent({
        type: 'begin',
        sessionId: 's1',
        expiresAt: 1_800_000_000,
        sampleRateHz: 16000,
        encoding: 'pcm_s16le',
        speechModel: 'm',
        input: 'microphone',
        time,
      }),
      formatJsonEvent({ type: 'partial', sessionId: 's1', turnOrder: 2, text: 'hel', time }),
      formatJsonEvent({
        type: 'termination',
        reason: 'user',
        audioSentMs: 1234.5,
        audioDurationS: 1,
        sessionDurationS: 2,
        sessions: 1,
        reconnects: 0,
        turns: 3,
        time,
      }),
      formatJsonEvent({ type: 'error', code: 'E_AUTH', exitCode: 4, message: 'no', time }),
    ];
    for (const l of lines) expect(l.endsWith('\n') && !l.slice(0, -1).includes('\n')).toBe(true);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        type: 'begin',
        v: 1,
        session_id: 's1',
        expires_at: '2027-01-15T08:00:00.000Z',
        sample_rate: 16000,
        encoding: 'pcm_s16le',
        speech_model: 'm',
        input: 'microphone',
        time: time.toISOString(),
      },
      { type: 'partial', v: 1, session_id: 's1', turn_order: 2, text: 'hel', time: time.toISOString() },
      {
        type: 'termination',
        v: 1,
        reason: 'user',
        audio_sent_ms: 1235,
        audio_duration_seconds: 1,
        session_duration_seconds: 2,
        sessions: 1,
        reconnects: 0,
        turns: 3,
        time: time.toISOString(),
      },
      { type: 'error', v: 1, code: 'E_AUTH', exit_code: 4, message: 'no', time: time.toISOString() },
    ]);
  });
  it('partials only with --partials; text and captions carry finals only', () => {
    const partial = { type: 'partial' as const, sessionId: 's', turnOrder: 0, text: 'x', time };
    const o = { timestamps: false, partials: false, cueNumber: 1, offsetMs: 0 };
    expect(formatEvent('json', partial, o)).toBe('');
    expect(formatEvent('json', partial, { ...o, partials: true })).not.toBe('');
    expect(formatEvent('text', partial, o)).toBe('');
    expect(
      formatEvent(
        'srt',
        { type: 'termination', reason: 'user', audioSentMs: 0, audioDurationS: 0, sessionDurationS: 0, sessions: 1, reconnects: 0, turns: 0, time },
        o,
      ),
    ).toBe('');
  });
});

describe('formatClock: one clock for timestamps and the status line', () => {
  it.each([
    [0, undefined, '00:00:00'],
    [999.6, undefined, '00:00:00'],
    [999.6, '.', '00:00:01.000'],
    [61_001, ',', '00:01:01,001'],
    [3_723_456, undefined, '01:02:03'],
    [3_723_456, '.', '01:02:03.456'],
    [-5, '.', '00:00:00.000'],
    [Number.NaN, undefined, '00:00:00'],
    [Number.POSITIVE_INFINITY, '.', '00:00:00.000'],
  ] as [number, '.' | ',' | undefined, string][])('%d ms (millis %j) -> %s', (ms, millis, expected) => {
    expect(formatClock(ms, millis)).toBe(expected);
  });
});

describe('createEventFormatter: the VTT header and cue numbers, for stdout and files', () => {
  const turnEvent = (i: number): TranscriptEvent => ({
    type: 'turn',
    turn: turn({ index: i, startMs: i * 1000, endMs: i * 1000 + 500, text: `t${i}` }),
  });
  const partial: TranscriptEvent = { type: 'partial', sessionId: 's1', turnOrder: 0, text: 'par', time };
  it.each([
    ['vtt', { cueNumber: 0, offsetMs: 0 }, 'WEBVTT\n\n', '00:00:01.000 --> 00:00:01.500\nt1\n\n00:00:02.000 --> 00:00:02.500\nt2\n\n'],
    ['srt', { cueNumber: 0, offsetMs: 0 }, '', '1\n00:00:01,000 --> 00:00:01,500\nt1\n\n2\n00:00:02,000 --> 00:00:02,500\nt2\n\n'],
    ['srt', { cueNumber: 7, offsetMs: 60_000 }, '', '8\n00:01:01,000 --> 00:01:01,500\nt1\n\n9\n00:01:02,000 --> 00:01:02,500\nt2\n\n'],
    ['text', { cueNumber: 0, offsetMs: 0 }, '', 't1\nt2\n'],
  ] as const)('%s from %j', (format, start, header, body) => {
    const f = createEventFormatter(format, { timestamps: false, partials: false }, start);
    expect(f.header).toBe(header);
    expect([turnEvent(1), partial, turnEvent(2)].map((e) => f.format(e)).join('')).toBe(body);
  });
});

describe('several sources (issue 13): the source names each turn', () => {
  const labelled = turn({ source: 'Others' });
  it('text: `Label: text`, also after the timestamps', () => {
    expect(formatTextTurn(labelled, false)).toBe('Others: Hello world.\n');
    expect(formatTextTurn(labelled, true)).toBe('[00:00:01.200 -> 00:00:03.450] Others: Hello world.\n');
  });
  it('SRT: the label before the text; VTT: the label as the voice, escaped', () => {
    expect(formatSrtCue(labelled, 3)).toBe('3\n00:00:01,200 --> 00:00:03,450\nOthers: Hello world.\n\n');
    expect(formatVttCue(labelled)).toBe('00:00:01.200 --> 00:00:03.450\n<v Others>Hello world.\n\n');
    expect(formatVttCue(turn({ source: 'A<b>' }))).toContain('<v A&lt;b&gt;>Hello world.');
  });
  it("JSON: `source` on turns, partials, begin and a source's termination; absent with one source", () => {
    const parse = (e: TranscriptEvent): Record<string, unknown> => JSON.parse(formatJsonEvent(e)) as Record<string, unknown>;
    expect(parse({ type: 'turn', turn: labelled }).source).toBe('Others');
    expect(parse({ type: 'turn', turn: turn() })).not.toHaveProperty('source');
    expect(parse({ type: 'partial', sessionId: 's', turnOrder: 0, text: 'hi', source: 'You', time }).source).toBe('You');
    expect(parse(beginEvent({ input: 'system-audio', source: 'Others', time })).source).toBe('Others');
    const end = terminationEvent({ time });
    expect(parse({ ...end, source: 'You' }).source).toBe('You');
    expect(parse(end)).not.toHaveProperty('source');
  });
});

describe('speakers and languages in each format (issue 12)', () => {
  const a = turn({
    speaker: 'A',
    languageCode: 'de',
    languageConfidence: 0.8,
    words: [{ text: 'Hallo.', startMs: 1200, endMs: 1500, confidence: 0.9, speaker: 'A', speakerConfidence: 0.7 }],
  });

  it('text: the speaker before the text, the language only when it changes', () => {
    const f = createEventFormatter('text', { timestamps: false, partials: false });
    const lines = [a, { ...a, speaker: 'PENDING' }, { ...a, languageCode: 'en', speaker: 'B2' }].map((t) => f.format({ type: 'turn', turn: t }));
    expect(lines).toEqual(['[de] A: Hello world.\n', '?: Hello world.\n', '[en] B2: Hello world.\n']);
  });

  it('text on a terminal: the label in its colour', () => {
    const theme = {
      cyan: (t: string) => `<c>${t}</c>`,
      magenta: (t: string) => `<m>${t}</m>`,
      yellow: (t: string) => t,
      green: (t: string) => t,
      blue: (t: string) => t,
      cyanBright: (t: string) => t,
      dim: (t: string) => `<d>${t}</d>`,
    };
    const f = createEventFormatter('text', { timestamps: true, partials: false, speakerTheme: theme });
    expect(f.format({ type: 'turn', turn: { ...a, languageCode: undefined } as TurnRecord })).toBe(
      '[00:00:01.200 -> 00:00:03.450] <c>A</c>: Hello world.\n',
    );
    expect(formatTextTurn({ ...a, speaker: 'B' }, false, { theme })).toBe('<m>B</m>: Hello world.\n');
  });

  it('SRT prefixes, VTT uses a voice span', () => {
    expect(formatSrtCue(a, 1)).toBe('1\n00:00:01,200 --> 00:00:03,450\nA: Hello world.\n\n');
    expect(formatVttCue({ ...a, text: 'a < b' })).toBe('00:00:01.200 --> 00:00:03.450\n<v Speaker A>a &lt; b</v>\n\n');
  });

  it('JSON: speaker and language_confidence on the turn, speaker fields on words; speaker_revision events', () => {
    const line = JSON.parse(formatJsonEvent({ type: 'turn', turn: a })) as Record<string, unknown>;
    expect(line).toMatchObject({ speaker: 'A', language: 'de', language_confidence: 0.8, words: [{ speaker: 'A', speaker_confidence: 0.7 }] });
    expect(JSON.parse(formatJsonEvent({ type: 'speaker_revision', turns: [{ index: 3, speaker: 'B' }], time }))).toEqual({
      type: 'speaker_revision',
      v: 1,
      turns: [{ index: 3, speaker: 'B' }],
      time: time.toISOString(),
    });
    expect(
      formatEvent(
        'text',
        { type: 'speaker_revision', turns: [{ index: 3, speaker: 'B' }], time },
        { timestamps: false, partials: false, cueNumber: 1, offsetMs: 0 },
      ),
    ).toBe('');
  });

  it('without speakers, nothing changes', () => {
    expect(JSON.parse(formatJsonEvent({ type: 'turn', turn: turn() }))).not.toHaveProperty('speaker');
    expect(formatTextTurn(turn(), false)).toBe('Hello world.\n');
  });
});

describe('source and speaker together (issues 12 and 13)', () => {
  const both = turn({ source: 'Others', speaker: 'A' });
  it('text and SRT: `Others A: text`; VTT: the voice `Others A`', () => {
    expect(formatTextTurn(both, false)).toBe('Others A: Hello world.\n');
    expect(formatSrtCue(both, 1)).toBe('1\n00:00:01,200 --> 00:00:03,450\nOthers A: Hello world.\n\n');
    expect(formatVttCue(both)).toBe('00:00:01.200 --> 00:00:03.450\n<v Others A>Hello world.\n\n');
    expect(formatTextTurn(turn({ source: 'Others', speaker: 'PENDING' }), false)).toBe('Others ?: Hello world.\n');
  });
});
