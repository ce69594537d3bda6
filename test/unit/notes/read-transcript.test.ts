import { describe, expect, it } from 'vitest';
import { detectFormat, readTranscript } from '../../../src/notes/read-transcript.js';

describe('readTranscript', () => {
  it('NDJSON: the turns with times, speakers (as revised) and sources; other events and a cut-off line skipped', () => {
    const text = [
      '{"type":"begin","v":1,"session_id":"s"}',
      '{"type":"turn","v":1,"index":0,"text":"Hello.","start_ms":1200,"end_ms":2000,"speaker":"PENDING","source":"Others"}',
      '{"type":"turn","v":1,"index":1,"text":"Hi.","start_ms":3000,"end_ms":3500,"speaker":"B"}',
      '{"type":"speaker_revision","v":1,"turns":[{"index":0,"speaker":"A"}]}',
      '{"type":"turn","v":1,"index":2,"text":"cut',
    ].join('\n');
    expect(readTranscript(text)).toEqual({
      format: 'json',
      turns: [
        { text: 'Hello.', startMs: 1200, source: 'Others', speaker: 'A' },
        { text: 'Hi.', startMs: 3000, speaker: 'B' },
      ],
    });
  });

  it('text, with and without --timestamps', () => {
    expect(readTranscript('A: Hello.\n\nB: Hi.\n').turns).toEqual([{ text: 'A: Hello.' }, { text: 'B: Hi.' }]);
    expect(readTranscript('[00:00:01.200 -> 00:00:02.000] You: Hello.\n').turns).toEqual([{ text: 'You: Hello.', startMs: 1200 }]);
  });

  it('SRT cues, CRLF too', () => {
    const srt = '1\r\n00:00:01,200 --> 00:00:02,000\r\nA: Hello.\r\n\r\n2\r\n00:01:03,000 --> 00:01:04,000\r\nB: Hi\r\nthere.\r\n\r\n';
    expect(readTranscript(srt)).toEqual({
      format: 'srt',
      turns: [
        { text: 'A: Hello.', startMs: 1200 },
        { text: 'B: Hi there.', startMs: 63_000 },
      ],
    });
  });

  it('WebVTT: voice spans become names, entities are undone', () => {
    const vtt =
      'WEBVTT\n\n00:00:01.200 --> 00:00:02.000\n<v Speaker A>Tom &amp; Jerry &lt;3</v>\n\n00:00:03.000 --> 00:00:04.000\n<v Others B>Hi.\n\n';
    expect(readTranscript(vtt)).toEqual({
      format: 'vtt',
      turns: [
        { text: 'Speaker A: Tom & Jerry <3', startMs: 1200 },
        { text: 'Others B: Hi.', startMs: 3000 },
      ],
    });
  });

  it('tells the format by the content', () => {
    expect(detectFormat('\uFEFFWEBVTT\n')).toBe('vtt');
    expect(detectFormat('{"type":"begin"}')).toBe('json');
    expect(detectFormat('1\n00:00:00,000 --> 00:00:01,000\nx')).toBe('srt');
    expect(detectFormat('12 apples')).toBe('text');
  });
});
