import { describe, expect, it } from 'vitest';
import * as say from '../../../src/render/usage-messages.js';

describe('the sentences a command line is refused with', () => {
  it.each([
    [say.formatUnknownChoice('--format', 'xml', ['text', 'json']), { message: 'unknown --format "xml"', hint: 'choose one of: text, json' }],
    [say.formatOutOfRange('--sample-rate', 5, 8000, 192_000, 'Hz (e.g. 16000)'), { message: '--sample-rate must be between 8000 and 192000 Hz (e.g. 16000), got 5' }],
    [say.formatNotAWholeNumber('--min-turn-silence', '1.5', 'milliseconds'), { message: '--min-turn-silence must be a whole number of milliseconds, got "1.5"' }],
    [say.formatNotADuration('--max-duration', 'soon'), { message: '--max-duration must be a positive duration in seconds (e.g. 90, 1.5, 2m), got "soon"' }],
    [say.formatNotAUnitInterval('--end-of-turn-confidence-threshold', '2'), { message: '--end-of-turn-confidence-threshold must be a number from 0 to 1, got "2"' }],
    [say.formatTurnSilenceOrder(900, 400), { message: '--min-turn-silence (900 ms) is longer than --max-turn-silence (400 ms)', hint: 'the minimum silence that ends a confident turn cannot exceed the silence that always ends one' }],
    [say.formatKeytermTooLong('x'.repeat(60)), { message: `keyterm "${'x'.repeat(20)}..." is longer than 50 characters`, hint: 'the service silently ignores such terms: shorten it' }],
    [say.formatBadSecret('--token', 'is empty'), { message: '--token is empty' }],
    [say.formatApiHostScheme('http:', 'example.com'), { message: '--api-host must be a host name or a ws:// or wss:// URL, got http://', hint: 'try --api-host wss://example.com' }],
    [say.REFUSALS.plainWsNotLoopback('example.com:8080'), { message: 'plain ws:// is only allowed to localhost', hint: 'use wss://example.com:8080 so the key is encrypted in transit' }],
  ])('%j', (actual, expected) => {
    expect(actual).toEqual(expected);
  });
});
