import { describe, expect, it } from 'vitest';
import * as say from '../../../src/render/usage-messages.js';

describe('the sentences a command line is refused with', () => {
  it.each([
    [say.formatUnknownChoice('--format', 'xml', ['text', 'json']), { message: 'unknown --format "xml"', hint: 'choose one of: text, json' }],
    [
      say.formatOutOfRange('--sample-rate', 5, 8000, 192_000, 'Hz (e.g. 16000)'),
      { message: '--sample-rate must be between 8000 and 192000 Hz (e.g. 16000), got 5' },
    ],
    [
      say.formatNotAWholeNumber('--min-turn-silence', '1.5', 'milliseconds'),
      { message: '--min-turn-silence must be a whole number of milliseconds, got "1.5"' },
    ],
    [
      say.formatNotADuration('--max-duration', 'soon'),
      { message: '--max-duration must be a positive duration in seconds (e.g. 90, 1.5, 2m), got "soon"' },
    ],
    [
      say.formatNotAUnitInterval('--end-of-turn-confidence-threshold', '2'),
      { message: '--end-of-turn-confidence-threshold must be a number from 0 to 1, got "2"' },
    ],
    [
      say.formatTurnSilenceOrder(900, 400),
      {
        message: '--min-turn-silence (900 ms) is longer than --max-turn-silence (400 ms)',
        hint: 'the minimum silence that ends a confident turn cannot exceed the silence that always ends one',
      },
    ],
    [
      say.formatKeytermTooLong('x'.repeat(60)),
      { message: `keyterm "${'x'.repeat(20)}..." is longer than 50 characters`, hint: 'the service silently ignores such terms: shorten it' },
    ],
    [say.formatBadSecret('--token', 'is empty'), { message: '--token is empty' }],
    [
      say.formatApiHostScheme('http://example.com', 'http:', 'example.com', false),
      {
        message: '--api-host must be a host name or a ws:// or wss:// URL, got "http://example.com"',
        hint: 'http:// is not a WebSocket URL: try --api-host wss://example.com',
      },
    ],
    [
      say.formatApiHostScheme('https://127.0.0.1:1', 'https:', '127.0.0.1:1', true),
      {
        message: '--api-host must be a host name or a ws:// or wss:// URL, got "https://127.0.0.1:1"',
        hint: 'https:// is not a WebSocket URL: try --api-host wss://127.0.0.1:1 (or ws://127.0.0.1:1 for a local server without TLS)',
      },
    ],
    [
      say.formatApiHostScheme('ftp://h', 'ftp:', 'h', false),
      { message: '--api-host must be a host name or a ws:// or wss:// URL, got "ftp://h"', hint: 'try --api-host wss://h' },
    ],
    [
      say.REFUSALS.plainWsNotLoopback('example.com:8080'),
      { message: 'plain ws:// is only allowed to localhost', hint: 'use wss://example.com:8080 so the key is encrypted in transit' },
    ],
  ])('%j', (actual, expected) => {
    expect(actual).toEqual(expected);
  });
});

describe('formatUnknownOutputExtension (issue 11.4)', () => {
  it('names the extension (or its absence) and lists the known ones and --format', () => {
    expect(say.formatUnknownOutputExtension('out.docx')).toEqual({
      message: '--output out.docx: unknown extension .docx',
      hint: 'name the file .txt, .jsonl (or .ndjson), .srt or .vtt, or say the format with --format text|json|srt|vtt',
    });
    expect(say.formatUnknownOutputExtension('dir.d/notes').message).toBe('--output dir.d/notes has no extension to tell the format from');
  });
});
