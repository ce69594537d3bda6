/**
 * The silent-microphone warning (issue 11, item 8), through the real binary and a fake SoX: none at the
 * pauses of a microphone that was heard, once for a microphone silent from the start.
 */
import { describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { cleanEnv, runCli, TEST_KEY } from '../support/cli.js';
import { closeAfterEach, joinWavs, makeSilenceWav, makeSpeechFixtures, useTempDir } from '../support/e2e-files.js';
import { makeFakeSoxDir } from '../support/fake-sox.js';

let server: FakeServer | undefined;
const { f } = useTempDir('lt-silence-warning-', async (t) => {
  await makeSpeechFixtures(t, { 'hello.wav': 'hello world', 'b.wav': 'good morning everyone' });
  await makeSilenceWav(t.f('silence6.wav'), 6);
  // Phrases with 6 s of digital silence between them: pauses longer than the 4 s silence warning.
  await joinWavs([t.f('hello.wav'), t.f('silence6.wav'), t.f('b.wav'), t.f('silence6.wav'), t.f('hello.wav')], t.f('pauses.wav'));
});
const env = (): Record<string, string> => cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY });
closeAfterEach(() => {
  const open = [server];
  server = undefined;
  return open;
});

describe('pauses of a microphone that was heard (issue 11.8)', () => {
  it('no silent-microphone warning at 6 s pauses between phrases of a digitally silent source', async () => {
    const sox = await makeFakeSoxDir('stream-file', { rawPath: f('pauses.wav'), afterFile: 'silence' });
    server = await startFakeServer({ script: ['hello world', 'good morning everyone', 'hello world'] });
    const cli = runCli(['--api-host', server.url], { ...env(), PATH: `${sox}:${process.env.PATH ?? ''}` });
    await cli.waitForStdout(/Hello world\.\nGood morning everyone\.\nHello world\.\n/, 40_000);
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(0);
    expect(cli.stderr()).not.toMatch(/no sound/);
  });

  it('a microphone silent from the start is still warned about, once', async () => {
    const sox = await makeFakeSoxDir('exit-on-sigint-after');
    server = await startFakeServer();
    const cli = runCli(['--api-host', server.url], { ...env(), PATH: `${sox}:${process.env.PATH ?? ''}` });
    await cli.waitForStderr(/warning: no sound from .* for \d+ s/, 15_000);
    cli.signal('SIGINT');
    // Issue 14: a silent microphone gives no final turn: exit 5, nothing was said.
    expect(await cli.exit()).toBe(5);
    expect(cli.stderr().match(/no sound/g)).toHaveLength(1);
  });
});
