/**
 * A RunIO for tests of the run's parts (src/app/): no colour, no terminal, Linux, an empty environment,
 * streams that swallow what is written unless the test gives its own.
 */
import type { RunIO } from '../../src/app/io.js';

/** A stream that takes every write and never fails. */
export const silentStream: RunIO['stdout'] = { write: () => true, on: () => undefined };

export function fakeRunIO(o: Partial<RunIO> = {}): RunIO {
  return {
    stdout: silentStream,
    stderr: silentStream,
    stdin: process.stdin,
    sameTerminal: false,
    env: {},
    stdoutColorLevel: 0,
    stderrColorLevel: 0,
    userAgent: 'live-transcribe-test',
    platform: 'linux',
    ...o,
  };
}
