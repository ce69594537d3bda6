/** The sentence of a file that ends during an outage (issue 22): what the run waits for, and how long. */
import { describe, expect, it } from 'vitest';
import { END_OF_INPUT_RECONNECT_WAIT_MS } from '../../../src/core/defaults.js';
import { formatEndOfInputOffline } from '../../../src/render/recovery-messages.js';

describe('formatEndOfInputOffline', () => {
  it('bounded: says how long, what happens then, and what waits longer', () => {
    const line = formatEndOfInputOffline(END_OF_INPUT_RECONNECT_WAIT_MS);
    expect(line).toBe(
      'the input ended while the service is unreachable: waiting up to 10 s for it to transcribe the rest, else it is kept on disk (--keep-recording waits longer; Ctrl+C stops now)',
    );
  });

  it('with --keep-recording: no bound but the spool, and Ctrl+C', () => {
    expect(formatEndOfInputOffline(undefined)).toMatch(
      /waiting for it to transcribe the rest \(--keep-recording: for as long as the spool has room; Ctrl\+C keeps the rest on disk\)$/,
    );
  });
});
