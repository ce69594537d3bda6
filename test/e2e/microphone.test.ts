/**
 * The whole chain with real parts: speech from espeak-ng played into a virtual PulseAudio microphone,
 * recorded by the real SoX through node-record-lpcm16, streamed by the built bin to the test double,
 * which recognizes the audio it received (pocketsphinx) and answers with what was actually said.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ownPulseServer } from '../support/own-pulse.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { createPocketsphinxRecognizer } from '../support/recognizer.js';
import { makeSpeechWav, pcmLevelDbfs, playIntoMic } from '../support/audio.js';
import { cleanEnv, runCli, TEST_KEY } from '../support/cli.js';

const PHRASES = ['hello world', 'good morning everyone', 'the quick brown fox jumps over the lazy dog'];
// A microphone of this file's own: it runs beside the other files (test/support/own-pulse.ts).
const pulseServer = await ownPulseServer();

let dir: string;
let wav: string;
let server: FakeServer | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-mic-'));
  wav = path.join(dir, 'morning.wav');
  await makeSpeechWav('good morning everyone', wav);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.each([
  ['the default device', [] as string[]],
  ['a device named with --device', ['--device', 'virtmic.monitor']],
])('real SoX recording from %s', (_name, args) => {
  it('transcribes what was spoken, in 50 ms frames, and ends the session cleanly', async () => {
    // The script is deliberately wrong: the text can only come from recognizing the audio received.
    server = await startFakeServer({ script: ['not what was said'], recognizer: createPocketsphinxRecognizer(PHRASES) });
    const cli = runCli(['--api-host', server.url, ...args], cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, PULSE_SERVER: pulseServer }));
    await cli.waitForStderr(/Listening\.\.\./);
    await playIntoMic(wav, pulseServer);
    await cli.waitForStdout(/\n/, 20_000);
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(0);
    const session = await server.waitForSessionClosed(0);

    expect(cli.stdout()).toBe('Good morning everyone.\n');
    expect(cli.stderr()).toMatch(/Session ended: \d+ s of audio processed/);
    expect(session.terminated).toBe(true);
    expect(new Set(session.frames.map((f) => f.bytes))).toEqual(new Set([1600]));
    // The speech reached the double at speech level; the silence around it did not look like speech.
    const levels = session.frames.map((f) => pcmLevelDbfs(f.data));
    expect(Math.max(...levels)).toBeGreaterThan(-35);
    expect(Math.min(...levels)).toBeLessThan(-60);
    expect(cli.stderr()).not.toMatch(/error/i);
  });
});

describe('--device reaches SoX', () => {
  it("a device that does not exist: named as missing (issue 24.8), SoX's message shown, exit 3", async () => {
    server = await startFakeServer();
    const cli = runCli(
      ['--api-host', server.url, '--device', 'no-such-source'],
      cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, PULSE_SERVER: pulseServer }),
    );
    expect(await cli.exit()).toBe(3);
    expect(cli.stderr()).toMatch(/error: no such recording device: no-such-source/);
    expect(cli.stderr()).toMatch(/sox FAIL/);
    expect(cli.stdout()).toBe('');
    // SoX fails while the session starts: the one session opened is still terminated.
    const session = await server.waitForSessionClosed(0);
    expect(server.sessions).toHaveLength(1);
    expect(session.texts).toEqual([{ type: 'Terminate' }]);
    expect(session.terminated).toBe(true);
  });
});
