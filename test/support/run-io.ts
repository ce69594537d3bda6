/**
 * A RunIO for tests of the run's parts (src/app/): no colour, no terminal, Linux, an empty environment,
 * streams that swallow what is written unless the test gives its own.
 */
import { PassThrough } from 'node:stream';
import type { RunIO } from '../../src/app/io.js';
import type { CliIO } from '../../src/cli.js';

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

/**
 * A CliIO for runCli (src/cli.ts) in-process: what it writes to stdout and stderr collected, version 9.9.9, and a
 * home with no config file there (the settings are the flags' alone).
 */
export function fakeCliIO(): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: { write: (t: string) => ((out += t), true) } as CliIO['stdout'],
    stderr: { write: (t: string) => ((err += t), true) } as CliIO['stderr'],
    stdin: new PassThrough(),
    sameTerminal: false,
    env: {},
    stdoutColorLevel: 0,
    stderrColorLevel: 0,
    userAgent: 'test',
    platform: 'linux',
    version: '9.9.9',
    nodeVersion: 'v20.0.0',
    homedir: '/nonexistent-home-for-tests',
  };
  return { io, out: () => out, err: () => err };
}
