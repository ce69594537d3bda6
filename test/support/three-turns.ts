/**
 * The set-up of the end-to-end files that run three spoken turns through the real binary and the double
 * (service, service-options, outputs): the fixtures in a temp folder made once per file, a double started per
 * test with the three phrases as its script (closed after each test), and the runs they all make.
 */
import { expect } from 'vitest';
import { startFakeServer, type FakeServer, type FakeServerOptions } from './fake-server.js';
import { closeAfterEach, makeSpokenTurns, useTempDir } from './e2e-files.js';
import { keyEnv, runCli } from './cli.js';
import { parseNdjsonStrict } from './captions.js';

/** What the three turns say, as the double's script. */
export const THREE_TURNS_SCRIPT = ['hello world', 'good morning everyone', 'the quick brown fox'];

type Json = Record<string, unknown>;

/** The turn events of NDJSON output. */
export const turnsOf = (stdout: string): Json[] => parseNdjsonStrict(stdout).filter((e) => e.type === 'turn') as Json[];

export interface ThreeTurns {
  /** A path in the file's temp folder. */
  f(name: string): string;
  /** The three phrases, 1 s of silence between them. */
  readonly multi: string;
  /** The first phrase alone ('hello world'). */
  readonly hello: string;
  /** This test's double (the three phrases its script, `options` on top); closed after the test. */
  start(options?: FakeServerOptions): Promise<FakeServer>;
  /** Closes this test's double now (before the test starts another). */
  closeServer(): Promise<void>;
  /** The three-turn file through a new double: exit code, output, and what the double saw. */
  transcribe(
    options: FakeServerOptions,
    args: string[],
    environment?: Record<string, string>,
    input?: string,
  ): Promise<{ code: number; stdout: string; stderr: string; sessions: FakeServer['sessions'] }>;
  /** The same with one short phrase, for what needs only one turn (the query, a warning): a third of the time. */
  transcribe1(
    options: FakeServerOptions,
    args: string[],
    environment?: Record<string, string>,
  ): Promise<{ code: number; stdout: string; stderr: string; sessions: FakeServer['sessions'] }>;
  /** A run refused before any connection (the double saw no session): its exit code and stderr. */
  refused(args: string[]): Promise<{ code: number; stderr: string }>;
}

/** The three turns made in a temp folder `prefix...` for this test file, and a double per test. */
export function useThreeTurns(prefix: string): ThreeTurns {
  let multi = '';
  let server: FakeServer | undefined;
  const { f } = useTempDir(prefix, async (t) => {
    multi = await makeSpokenTurns(
      t.dir,
      [
        ['hello.wav', 'hello world'],
        ['b.wav', 'good morning everyone'],
        ['c.wav', 'the quick brown fox'],
      ],
      1,
      'three-turns.wav',
    );
  });
  closeAfterEach(() => {
    const open = [server];
    server = undefined;
    return open;
  });

  async function start(options: FakeServerOptions = {}): Promise<FakeServer> {
    server = await startFakeServer({ script: THREE_TURNS_SCRIPT, ...options });
    return server;
  }
  async function closeServer(): Promise<void> {
    await server?.close();
    server = undefined;
  }
  async function transcribe(options: FakeServerOptions, args: string[], environment = keyEnv(), input = multi) {
    const s = await start(options);
    const cli = runCli(['--api-host', s.url, '-i', input, ...args], environment);
    const code = await cli.exit(60_000);
    return { code, stdout: cli.stdout(), stderr: cli.stderr(), sessions: s.sessions };
  }
  async function refused(args: string[]) {
    const s = await start();
    const cli = runCli(['--api-host', s.url, '-i', multi, ...args], keyEnv());
    const code = await cli.exit(20_000);
    expect(s.sessions).toHaveLength(0);
    return { code, stderr: cli.stderr() };
  }
  return {
    f,
    get multi() {
      return multi;
    },
    get hello() {
      return f('hello.wav');
    },
    start,
    closeServer,
    transcribe,
    transcribe1: (options, args, environment = keyEnv()) => transcribe(options, args, environment, f('hello.wav')),
    refused,
  };
}
