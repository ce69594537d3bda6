import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { fakeCliIO } from '../support/run-io.js';

describe('runCli: one parse for the main program and doctor', () => {
  it.each([
    [['--version'], 0, /^9\.9\.9\n$/, /^$/],
    [['--help'], 0, /^Usage: live-transcribe \[options\][\s\S]*--device <name> +recording device[\s\S]*More: live-transcribe --help all/, /^$/],
    [
      ['--help', 'all'],
      0,
      /^Usage: live-transcribe \[options\][\s\S]*^Key:$[\s\S]*--device <name> +recording device[\s\S]*^Model tuning \(rarely needed\):$[\s\S]*Exit codes:/m,
      /^$/,
    ],
    [['help', 'all'], 0, /^Usage: live-transcribe \[options\][\s\S]*Exit codes:/, /^$/],
    [
      ['help', 'foo'],
      2,
      /^$/,
      /^error: unknown command foo: help takes all, doctor, config or completion\n  run live-transcribe --help for usage\n$/,
    ],
    [['help', 'docter'], 2, /^$/, /^error: unknown command docter \(did you mean doctor\?\)/],
    [['help', 'config'], 0, /^Usage: live-transcribe config \[options\][\s\S]*--init/, /^$/],
    [
      ['doctor', '--help'],
      0,
      /^Usage: live-transcribe doctor \[options\][\s\S]*--device <name> +the recording device to test[\s\S]*Exit codes: 0 all checks passed/,
      /^$/,
    ],
    [['--bogus'], 2, /^$/, /^error: unknown option '--bogus'\n  run live-transcribe --help for usage\n$/],
    [['doctor', '--bogus'], 2, /^$/, /^error: unknown option '--bogus'\n  run live-transcribe doctor --help for usage\n$/],
    [['doctor', 'extra'], 2, /^$/, /too many arguments[\s\S]*run live-transcribe doctor --help for usage\n$/],
    [['doctor', '-r', '5'], 2, /^$/, /^error: --sample-rate must be between 8000 and 96000 Hz \(e\.g\. 16000\), got 5\n$/],
    [['doctor', '--api-host', 'http://x'], 2, /^$/, /^error: --api-host must be a host name or a ws:\/\/ or wss:\/\/ URL/],
    [['help'], 0, /^Usage: live-transcribe \[options\][\s\S]*Commands:[\s\S]*config[\s\S]*completion/, /^$/],
    [['help', 'doctor'], 0, /^Usage: live-transcribe doctor \[options\]/, /^$/],
    [['config', '--path'], 0, /^\/nonexistent-home-for-tests\/\.config\/live-transcribe\/config\.toml\n$/, /^$/],
    [['completion', 'bash'], 0, /complete -F _live_transcribe 'live-transcribe'/, /^$/],
    [['--stop-phrase', ' ?! ', '-k', 'abcdefgh12345'], 2, /^$/, /^error: --stop-phrase " \?! " has no words\n/],
    [['--list-devices', '--format', 'srt'], 2, /^$/, /^error: --list-devices prints text or json \(--format json\)\n$/],
  ] as [string[], number, RegExp, RegExp][])('%j exits %i', async (argv, code, stdout, stderr) => {
    const { io, out, err } = fakeCliIO();
    expect(await runCli(argv, io)).toBe(code);
    expect(out()).toMatch(stdout);
    expect(err()).toMatch(stderr);
  });

  it('declares the shared options in both programs, with the same flags', async () => {
    const main = fakeCliIO();
    const doctor = fakeCliIO();
    await runCli(['--help', 'all'], main.io);
    await runCli(['doctor', '--help'], doctor.io);
    for (const flag of ['--device <name>', '-r, --sample-rate <hz>', '--api-host <host>', '-k, --api-key <key>', '--token <token>', '--no-color']) {
      expect(main.out()).toContain(flag);
      expect(doctor.out()).toContain(flag);
    }
  });
});

describe('colour: decided in one place per stream', () => {
  /** A terminal that supports colour (FORCE_COLOR would say so too), with NO_COLOR set or not. */
  function colourIO(env: Record<string, string>): ReturnType<typeof fakeCliIO> {
    const fake = fakeCliIO();
    fake.io.env = env;
    fake.io.stdoutColorLevel = 3;
    fake.io.stderrColorLevel = 3;
    return fake;
  }
  const ESC = '\u001b[';

  it.each([
    [['config', '--config', '/nonexistent/missing.toml']],
    [['--config', '/nonexistent/missing.toml']],
    [['--sample-rate', '5', '-k', 'abcdefgh12345']],
  ])("NO_COLOR=1 turns off the colour of %j's error, whatever the stream supports", async (argv) => {
    const plain = colourIO({ NO_COLOR: '1' });
    expect(await runCli(argv, plain.io)).toBe(2);
    expect(plain.err()).toMatch(/^error: /);
    expect(plain.err()).not.toContain(ESC);
    const coloured = colourIO({});
    expect(await runCli(argv, coloured.io)).toBe(2);
    expect(coloured.err()).toContain(ESC);
  });
});

describe('colour: a run and a command decide alike (options/color.ts)', () => {
  const ESC = '\u001b[';
  /** The edge's streams, supporting `level`, with `env`; streams a run can write to (they take error listeners). */
  function edgeIO(level: 0 | 3, env: Record<string, string>): ReturnType<typeof fakeCliIO> {
    const fake = fakeCliIO();
    fake.io.env = env;
    fake.io.stdoutColorLevel = level;
    fake.io.stderrColorLevel = level;
    for (const s of [fake.io.stdout, fake.io.stderr]) Object.assign(s, { on: () => s });
    return fake;
  }
  const plainText = (t: string): string => t.replaceAll(/\u001b\[\d+m/g, '');
  // A run that fails before connecting (its error goes through the run's outputs), and two commands' errors.
  const RUN = ['-i', '/nonexistent/missing.wav', '-k', 'abcdefgh12345'];
  const COMMANDS = [
    ['--config', '/nonexistent/missing.toml'],
    ['doctor', '--config', '/nonexistent/missing.toml'],
  ];

  it.each<{ level: 0 | 3; env: Record<string, string>; flags: string[]; coloured: boolean }>([
    { level: 3, env: {}, flags: [], coloured: true },
    { level: 3, env: { NO_COLOR: '1' }, flags: [], coloured: false },
    { level: 3, env: {}, flags: ['--no-color'], coloured: false },
    { level: 0, env: {}, flags: [], coloured: false },
  ])('stream level $level, env $env, flags $flags: coloured $coloured, for the run and each command', async ({ level, env, flags, coloured }) => {
    const run = edgeIO(level, env);
    expect(await runCli([...RUN, ...flags], run.io)).toBe(2);
    expect(plainText(run.err())).toMatch(/^error: the input file \/nonexistent\/missing\.wav does not exist/m);
    expect(run.err().includes(ESC)).toBe(coloured);
    for (const argv of COMMANDS) {
      const command = edgeIO(level, env);
      expect(await runCli([...argv, ...flags], command.io)).toBe(2);
      expect(plainText(command.err())).toMatch(/^error: config file \/nonexistent\/missing\.toml does not exist/);
      expect(command.err().includes(ESC), argv.join(' ')).toBe(coloured);
    }
  });
});
