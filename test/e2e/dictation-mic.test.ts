/**
 * `live-transcribe dictate` from the virtual microphone into a focused X window (issue 21): speech from
 * espeak-ng played into the virtual PulseAudio microphone, recorded by the real SoX, recognized by the test
 * double (pocketsphinx), typed by xdotool into an xterm running `cat > OUT` under Xvfb. Started with
 * --toggle and stopped with --toggle, as a desktop shortcut would: the phrase is typed exactly once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ownPulseServer } from '../support/own-pulse.js';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { createPocketsphinxRecognizer } from '../support/recognizer.js';
import { makeSpeechWav, playIntoMic } from '../support/audio.js';
import { cleanEnv, runCli, TEST_KEY } from '../support/cli.js';
import { startXDesktop, type XDesktop } from '../support/xdesktop.js';

const PHRASES = ['hello world', 'good morning everyone', 'the quick brown fox jumps over the lazy dog'];
// A microphone of this file's own: it runs beside the other files (test/support/own-pulse.ts).
const pulseServer = await ownPulseServer();

let dir: string;
let wav: string;
let x: XDesktop;
let server: FakeServer | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-dictate-mic-'));
  wav = path.join(dir, 'morning.wav');
  await makeSpeechWav('good morning everyone', wav);
  x = await startXDesktop(dir);
}, 60_000);
afterAll(async () => {
  await x?.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('dictate from the microphone', () => {
  it('types the phrase once into the focused window; --toggle again stops it, exit 0', async () => {
    // The script is deliberately wrong: the text can only come from recognizing the audio received.
    server = await startFakeServer({ script: ['not what was said'], recognizer: createPocketsphinxRecognizer(PHRASES) });
    const runtime = await mkdtemp(path.join(dir, 'run-'));
    await chmod(runtime, 0o700);
    const env = cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, PULSE_SERVER: pulseServer, DISPLAY: x.display, XDG_RUNTIME_DIR: runtime });
    const mark = x.received().length;
    const dictation = runCli(['dictate', '--toggle', '--no-notify', '--api-host', server.url], env);
    await dictation.waitForStderr(/Listening\.\.\./);
    await playIntoMic(wav, pulseServer);
    await x.waitFor((t) => t.length > mark, 'the final turn to be typed');
    await dictation.waitForStdout(/\n/, 20_000);
    const stop = runCli(['dictate', '--toggle'], env);
    expect(await stop.exit()).toBe(0);
    expect(await dictation.exit()).toBe(0);
    expect(x.received().slice(mark)).toBe('Good morning everyone.');
    expect(dictation.stdout()).toBe('Good morning everyone.\n');
    expect(server.sessions).toHaveLength(1);
    expect(existsSync(path.join(runtime, 'live-transcribe-dictate.json'))).toBe(false);
  });
});
