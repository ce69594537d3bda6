/**
 * Issue 19.8, the last of the smaller faults, through the real binary: a config file that used to spin for a
 * minute, config errors that echoed the file's control characters, a host that accepts TCP and never answers
 * (45 s to fail), and Ctrl+C during an outage (exit 1, nothing said about the audio never transcribed).
 */
import { writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { cleanEnv, runCli, TEST_KEY } from '../support/cli.js';
import { closeAfterEach, joinWavs, makeSilenceWav, makeSpeechFixtures, useTempDir } from '../support/e2e-files.js';
import { makeFakeSoxDir } from '../support/fake-sox.js';

let server: FakeServer | undefined;
const { f } = useTempDir('lt-bounds-', async (t) => {
  await makeSpeechFixtures(t, { 'hello.wav': 'hello world' });
  await makeSilenceWav(t.f('silence4.wav'), 4);
  await joinWavs([t.f('hello.wav'), t.f('silence4.wav')], t.f('long.wav'));
});
closeAfterEach(() => {
  const open = [server];
  server = undefined;
  return open;
});
const env = (extra: Record<string, string> = {}): Record<string, string> => cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, ...extra });

describe('config files (issue 19.8)', () => {
  it('a 50,000-part table name is refused at once, not after a minute and out of memory', async () => {
    const config = f('deep.toml');
    await writeFile(config, `[${Array.from({ length: 50_000 }, () => 'a').join('.')}]\nx = 1\n`);
    const cli = runCli(['--config', config, '-i', f('hello.wav')], env());
    // The bound: quadratic indexing took about a minute here; the file is read and refused in well under a second.
    expect(await cli.exit(15_000), cli.stderr()).toBe(2);
    expect(cli.stderr()).toContain('deep.toml line 1: unknown table [a]');
  });

  it('a syntax error quotes the line with its control characters shown as "?", never sent to the terminal', async () => {
    const config = f('bad.toml');
    await writeFile(config, 'quiet = true\n\u001b[2J\u001b[31mformat = = "srt"\u0007\n');
    const cli = runCli(['--config', config, '-i', f('hello.wav')], env());
    expect(await cli.exit(15_000), cli.stderr()).toBe(2);
    expect(cli.stderr()).toMatch(/bad\.toml line 2 column \d+: /);
    expect(cli.stderr()).toContain('?[2J?[31mformat = = "srt"?');
    expect(cli.stderr()).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('a host that accepts TCP and never answers (issue 19.8)', () => {
  let silent: Server | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await new Promise<void>((resolve) => (silent === undefined ? resolve() : silent.close(() => resolve())));
    silent = undefined;
  });

  it('fails within seconds, says so, and does not try again', async () => {
    silent = createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const cli = runCli(['--api-host', `ws://127.0.0.1:${port}`, '-i', f('hello.wav')], env());
    // The bound: 3 x 15 s before; one handshake of 5 s now.
    expect(await cli.exit(15_000), cli.stderr()).toBe(1);
    expect(cli.stderr()).toContain('error: the service did not answer the connection within 5 s');
    expect(cli.stderr()).toContain('check --api-host');
    expect(cli.stderr()).not.toMatch(/trying again/);
    expect(sockets.length).toBe(1);
  });
});

describe('Ctrl+C during an outage (issue 19.8)', () => {
  it('exit 6, and says how much audio was never transcribed', async () => {
    // The first session drops 4 s after Begin (after "hello world"); every later one is refused, so the
    // connection is still down when Ctrl+C comes.
    server = await startFakeServer({ perSession: (i) => (i === 0 ? { dropAfterMs: 4000 } : { refuseUpgrade: 503 }) });
    const sox = await makeFakeSoxDir('stream-file', { rawPath: f('hello.wav'), afterFile: 'silence' });
    const cli = runCli(['--api-host', server.url], env({ PATH: `${sox}:${process.env.PATH ?? ''}` }));
    await cli.waitForStdout(/Hello world\.\n/, 20_000);
    await cli.waitForStderr(/reconnecting in/, 20_000);
    cli.signal('SIGINT');
    expect(await cli.exit(20_000), cli.stderr()).toBe(6);
    const said = /stopped while the connection was down: (\d+\.\d) s of audio were never transcribed and are missing from the transcript/.exec(
      cli.stderr(),
    );
    expect(said, cli.stderr()).not.toBeNull();
    expect(Number(said![1])).toBeGreaterThan(0);
    expect(cli.stdout()).toBe('Hello world.\n');
    expect((await server.waitForSessionClosed(0)).closed).toBe(true);
  });

  it('a file that ends while reconnecting waits for the next session, but Ctrl+C ends the wait: exit 6, said', async () => {
    // The first session drops 1.5 s after Begin, before the 5 s file ends (it is sent in real time); every
    // later one is refused. The 7th retry comes at least 7.9 s after the drop, when the file has ended and
    // the run waits for a session to replay its audio to; at least 16 s of backoff are still to come.
    server = await startFakeServer({ perSession: (i) => (i === 0 ? { dropAfterMs: 1500 } : { refuseUpgrade: 503 }) });
    const cli = runCli(['--api-host', server.url, '-i', f('long.wav'), '--reconnect-attempts', '10'], env());
    await cli.waitForStderr(/attempt 7\b/, 30_000);
    cli.signal('SIGINT');
    // The bound: the rest of the retry budget is not waited out.
    expect(await cli.exit(8_000), cli.stderr()).toBe(6);
    expect(cli.stderr()).toMatch(/stopped while the connection was down: \d+\.\d s of audio were never transcribed/);
  }, 60_000);
});
