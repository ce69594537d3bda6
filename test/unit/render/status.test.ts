/**
 * The status output's spinner (ora) on a terminal: its frames take the colour decided for stderr (the theme
 * given, options/color.ts), not chalk's own detection, which ignores NO_COLOR.
 */
import { Chalk } from 'chalk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStatus } from '../../../src/render/status.js';
import { waitUntil } from '../../support/wait.js';

/** A terminal stream that records what is written. */
function terminalStream() {
  let written = '';
  const stream = {
    isTTY: true,
    columns: 80,
    write: (t: string) => ((written += t), true),
    cursorTo: () => true,
    moveCursor: () => true,
    clearLine: () => true,
    on: () => stream,
    once: () => stream,
    removeListener: () => stream,
  };
  return { stream: stream as unknown as NodeJS.WritableStream, written: () => written };
}

/** A colour escape (SGR foreground), not the cursor and line-clearing ones ora also writes. */
const COLOUR = /\u001b\[3\dm/;

describe('the spinner takes the stream colour decided for the run', () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each([
    [0, false],
    [1, true],
  ] as const)('level %i: coloured frames %s', async (level, coloured) => {
    // ora draws only on an interactive terminal outside CI (is-interactive reads the environment).
    vi.stubEnv('CI', undefined);
    vi.stubEnv('TERM', 'xterm-256color');
    const out = terminalStream();
    const status = createStatus({
      write: () => undefined,
      stream: out.stream,
      interactive: true,
      quiet: false,
      chalk: new Chalk({ level }),
      scrub: (t) => t,
    });
    await status.spin('Connecting to the service');
    try {
      await waitUntil(() => out.written().includes('Connecting to the service'), { timeoutMs: 5000, what: 'a spinner frame' });
    } finally {
      status.stopSpinner();
    }
    expect(COLOUR.test(out.written())).toBe(coloured);
  });
});
