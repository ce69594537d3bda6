/**
 * Small mistakes at the command line (issue 11, item 12), through the real binary: a mistyped
 * subcommand, `help` as a subcommand, and the whole --api-host value in its refusal.
 */
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli, TEST_KEY } from '../support/cli.js';

const env = (extra: Record<string, string> = {}): Record<string, string> => cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, ...extra });

describe('small messages (item 12)', () => {
  it.each([
    ['doctr', 'doctor'],
    ['hlep', 'help'],
    ['docter', 'doctor'],
  ])('`live-transcribe %s` suggests %s, exit 2', async (word, suggestion) => {
    const cli = runCli([word], env());
    expect(await cli.exit()).toBe(2);
    expect(cli.stderr()).toBe(`error: unknown command '${word}'\n(Did you mean ${suggestion}?)\n  run live-transcribe --help for usage\n`);
  });

  it('`help all` and `help doctor` print the help, exit 0', async () => {
    const main = runCli(['help', 'all'], env());
    expect(await main.exit()).toBe(0);
    expect(main.stdout()).toMatch(/^Usage: live-transcribe \[options\]/);
    expect(main.stdout()).toMatch(/--api-host <host>/);
    expect(main.stderr()).toBe('');
    const doctor = runCli(['help', 'doctor'], env());
    expect(await doctor.exit()).toBe(0);
    expect(doctor.stdout()).toMatch(/^Usage: live-transcribe doctor/);
  });

  it('--api-host http://... shows the whole value, why, and the ws:// / wss:// alternative', async () => {
    const cli = runCli(['--api-host', 'http://127.0.0.1:1'], env());
    expect(await cli.exit()).toBe(2);
    expect(cli.stderr()).toContain('--api-host must be a host name or a ws:// or wss:// URL, got "http://127.0.0.1:1"');
    expect(cli.stderr()).toContain(
      'http:// is not a WebSocket URL: try --api-host wss://127.0.0.1:1 (or ws://127.0.0.1:1 for a local server without TLS)',
    );
  });
});
