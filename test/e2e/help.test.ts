/**
 * --help fits the terminal it is shown on: 80 columns in a pipe, the terminal's width on a terminal (tmux),
 * words never cut, every option of the program shown; the same for `doctor --help`.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createProgram } from '../../src/cli.js';
import { BIN, cleanEnv, runCli } from '../support/cli.js';
import { startTmux } from '../support/tmux.js';

type HelpName = 'main' | 'all' | 'doctor';
const layout = createRequire(import.meta.url)('../../bin/help.cjs') as { renderHelp: (help: unknown, width: number) => string };
const built = JSON.parse(readFileSync(new URL('../../dist/help.json', import.meta.url), 'utf8')) as Record<HelpName, unknown>;
const ARGS: Record<HelpName, string[]> = { main: ['--help'], all: ['--help', 'all'], doctor: ['doctor', '--help'] };

const expected = (name: HelpName, width: number): string => layout.renderHelp(built[name], width);
const lines = (text: string): string[] => text.replace(/\n$/, '').split('\n');
/** The words of a help text, whatever the layout: no `\` continuations, no `#` comment marks. */
const words = (text: string): string[] =>
  text
    .split(/\s+/)
    .filter((w) => w !== '' && w !== '\\' && w !== '#')
    .sort();

async function helpInPipe(name: HelpName): Promise<string> {
  const cli = runCli(ARGS[name], cleanEnv());
  expect(await cli.exit()).toBe(0);
  expect(cli.stderr()).toBe('');
  return cli.stdout();
}

describe('--help in a pipe', () => {
  it('--help all is laid out for 80 columns, and shows every option of the program', async () => {
    const help = await helpInPipe('all');
    expect(help).toBe(expected('all', 80));
    expect(lines(help).filter((l) => l.length > 80)).toEqual([]);
    const flags = createProgram('0.0.0').options.map((o) => o.flags);
    expect(flags.length).toBeGreaterThan(30);
    for (const flag of flags) expect(help).toContain(flag);
    expect(help).toMatch(/^Examples:$/m);
    expect(help).toMatch(/^Exit codes:$/m);
  });

  it('the plain --help fits a first screen: the essentials, and where the rest is', async () => {
    const help = await helpInPipe('main');
    expect(help).toBe(expected('main', 80));
    expect(lines(help).length).toBeLessThanOrEqual(30);
    expect(lines(help).filter((l) => l.length > 80)).toEqual([]);
    for (const flag of [
      '-k, --api-key <key>',
      '-i, --input <file|->',
      '--device <name>',
      '-o, --output <file>',
      '--format <fmt>',
      '--max-duration <s>',
    ])
      expect(help).toContain(flag);
    expect(help).toContain('live-transcribe --help all');
  });

  it('help all and help doctor serve the same texts without loading the program', async () => {
    for (const [argv, name] of [
      [['help', 'all'], 'all'],
      [['help', 'doctor'], 'doctor'],
      [['help'], 'main'],
    ] as const) {
      const cli = runCli([...argv], cleanEnv());
      expect(await cli.exit()).toBe(0);
      expect(cli.stdout()).toBe(expected(name, 80));
    }
  });

  it('help with an unknown word: unknown command, exit 2', async () => {
    const cli = runCli(['help', 'foo'], cleanEnv());
    expect(await cli.exit()).toBe(2);
    expect(cli.stdout()).toBe('');
    expect(cli.stderr()).toMatch(/^error: unknown command foo/);
  });

  it('doctor --help too', async () => {
    const help = await helpInPipe('doctor');
    expect(help).toBe(expected('doctor', 80));
    expect(help).toMatch(/^Usage: live-transcribe doctor \[options\]$/m);
    for (const flag of ['--device <name>', '-r, --sample-rate <hz>', '--api-host <host>', '-k, --api-key <key>', '--token <token>', '--no-color']) {
      expect(help).toContain(flag);
    }
    expect(lines(help).filter((l) => l.length > 80)).toEqual([]);
  });

  it('a narrow layout has the same words as a wide one: none is cut', () => {
    for (const name of ['main', 'all', 'doctor'] as const) {
      const wide = words(expected(name, 1000));
      for (const width of [40, 60, 80, 120]) expect(words(expected(name, width))).toEqual(wide);
      // Only a word longer than the room left for it may stick out, at 40 columns; from 60 on, none does.
      for (const width of [60, 80, 120]) expect(lines(expected(name, width)).filter((l) => l.length > width)).toEqual([]);
    }
  });
});

describe.each([60, 120])('--help on a terminal of %i columns', (cols) => {
  it.each(['main', 'all', 'doctor'] as const)('%s: laid out for the terminal, no line wrapped by it', async (name) => {
    const want = lines(expected(name, cols));
    const tmux = await startTmux([process.execPath, BIN, ...ARGS[name]].map((a) => `'${a}'`).join(' '), {
      cols,
      rows: want.length + 4,
      env: cleanEnv(),
    });
    try {
      expect(await tmux.waitForExit(15_000)).toBe(0);
      const screen = lines(await tmux.capture());
      // Each line of the layout is one row of the screen: the terminal wrapped none of them.
      expect(screen.slice(0, want.length)).toEqual(want);
      expect(screen[want.length]).toBe('[exit:0]');
      expect(want.filter((l) => l.length > cols)).toEqual([]);
      expect(want.length).toBeLessThan(lines(expected(name, 40)).length);
    } finally {
      await tmux.kill();
    }
  });
});
