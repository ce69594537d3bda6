/**
 * The microphone, seen and heard, with the real virtual microphone: devices listed and named, the monitors
 * of outputs marked (virtmic's and the virtual speakers', virtspk), the silent-microphone warning (once, and
 * cleared when sound comes back), --save-audio equal to what the service received, and `doctor` with and
 * without SoX, with and without a key, offline.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ownPulseServer } from '../support/own-pulse.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { makeSpeechWav, parseWav, playIntoMic } from '../support/audio.js';
import { makeNoSoxPath } from '../support/fake-sox.js';
import { cleanEnv, runCli, TEST_KEY } from '../support/cli.js';

// A microphone of this file's own: it runs beside the other files (test/support/own-pulse.ts).
const pulseServer = await ownPulseServer();
let dir: string;
let speech: string;
let server: FakeServer | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-mic-visible-'));
  speech = path.join(dir, 'speech.wav');
  await makeSpeechWav('hello world', speech);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const micEnv = (extra: Record<string, string> = {}): Record<string, string> =>
  cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, PULSE_SERVER: pulseServer, ...extra });

describe('devices', () => {
  it('--list-devices shows the virtual microphone in the form --device accepts', async () => {
    const cli = runCli(['--list-devices'], micEnv());
    expect(await cli.exit()).toBe(0);
    expect(cli.stdout()).toMatch(/PulseAudio \/ PipeWire sources:/);
    expect(cli.stdout()).toMatch(/^\* virtmic\.monitor .*default/m);
    const json = runCli(['--list-devices', '--format', 'json'], micEnv());
    expect(await json.exit()).toBe(0);
    const listing = JSON.parse(json.stdout()) as { devices: { name: string; driver: string; isDefault?: boolean; isMonitor?: boolean }[] };
    expect(listing.devices).toContainEqual(
      expect.objectContaining({ name: 'virtmic.monitor', driver: 'pulseaudio', isDefault: true, isMonitor: true }),
    );
  });

  it('--list-devices marks the monitors of outputs, names the output, and suggests --system-audio', async () => {
    const cli = runCli(['--list-devices'], micEnv());
    expect(await cli.exit()).toBe(0);
    expect(cli.stdout()).toMatch(/^\* virtmic\.monitor .*\(default, monitor of virtmic\)$/m);
    expect(cli.stdout()).toMatch(/^  virtspk\.monitor .*Virtual_speakers.*\(monitor of virtspk\)$/m);
    expect(cli.stdout().trimEnd().split('\n').at(-1)).toMatch(
      /^To add what this computer plays: live-transcribe --system-audio \(.*--system-device NAME/,
    );
    const json = runCli(['--list-devices', '--format', 'json'], micEnv());
    expect(await json.exit()).toBe(0);
    const listing = JSON.parse(json.stdout()) as { devices: { name: string; isDefault?: boolean; isMonitor?: boolean; monitorOf?: string }[] };
    const speakers = listing.devices.find((d) => d.name === 'virtspk.monitor');
    expect(speakers).toMatchObject({ isMonitor: true, monitorOf: 'virtspk' });
    expect(speakers?.isDefault).toBeUndefined();
    expect(
      listing.devices
        .filter((d) => d.isMonitor === true)
        .map((d) => d.name)
        .sort(),
    ).toEqual(['virtmic.monitor', 'virtspk.monitor']);
  });

  it('names the device in use on stderr at start', async () => {
    server = await startFakeServer();
    const cli = runCli(['--api-host', server.url, '--device', 'virtmic.monitor'], micEnv());
    await cli.waitForStderr(/Listening/);
    expect(cli.stderr()).toMatch(/Recording from .*(virtmic|Monitor)/);
    cli.signal('SIGINT');
    // Issue 14: stopped before anything was said (no final turn): exit 5.
    expect(await cli.exit()).toBe(5);
  });
});

describe('silent microphone', () => {
  it('warns once after a few seconds of silence from the start, naming the device, and clears when sound arrives', async () => {
    server = await startFakeServer();
    const cli = runCli(['--api-host', server.url], micEnv());
    await cli.waitForStderr(/Listening/);
    // Nothing played yet: a microphone that has delivered no sound at all gets the warning after 4 s. (Once sound
    // has been heard, pauses no longer warn: test/e2e/silence-warning.test.ts, issue 11.8.)
    await cli.waitForStderr(/warning: no sound from .* for \d+ s/, 15_000);
    await playIntoMic(speech, pulseServer);
    await cli.waitForStderr(/Sound is arriving from .* again\./, 10_000);
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(0);
    expect(cli.stderr().match(/warning: no sound/g)).toHaveLength(1);
    expect(cli.stderr()).toMatch(/muted|default|permission|monitor/i); // a likely cause is given
  });
});

describe('--save-audio', () => {
  it('keeps exactly what the service received, as a valid WAV', async () => {
    server = await startFakeServer();
    const saved = path.join(dir, 'saved.wav');
    const cli = runCli(['--api-host', server.url, '--save-audio', saved], micEnv());
    await cli.waitForStderr(/Listening/);
    await playIntoMic(speech, pulseServer);
    await cli.waitForStdout(/Hello world\.\n/, 15_000);
    cli.signal('SIGINT');
    expect(await cli.exit()).toBe(0);
    expect(cli.stderr()).toMatch(/Audio saved: .*saved\.wav \(\d+\.\d s\)/);
    const session = await server.waitForSessionClosed(0);
    const wav = parseWav(await readFile(saved));
    expect(wav.sampleRateHz).toBe(16000);
    expect(wav.channels).toBe(1);
    expect(wav.pcm.equals(Buffer.concat(session.frames.map((f) => f.data)))).toBe(true);
  });

  it('refuses to replace an existing file without --force, before connecting', async () => {
    server = await startFakeServer();
    const existing = path.join(dir, 'existing.wav');
    await writeFile(existing, 'keep me');
    const cli = runCli(['--api-host', server.url, '--save-audio', existing], micEnv());
    expect(await cli.exit()).toBe(2);
    expect(cli.stderr()).toMatch(/exists/);
    expect(await readFile(existing, 'utf8')).toBe('keep me');
    expect(server.sessions).toHaveLength(0);
  });
});

describe('doctor', () => {
  it('offline, with SoX, a key and a silent microphone: SoX passes, the key is not tried, the silent microphone and DNS are problems, exit 1, key never printed', async () => {
    const cli = runCli(['doctor', '--api-host', 'streaming.assemblyai.invalid'], micEnv());
    expect(await cli.exit(30_000)).toBe(1);
    const out = cli.stdout();
    expect(out).toMatch(/ok +Node\.js +v\d+/);
    expect(out).toMatch(/ok +SoX +SoX 14\.\d+\.\d+; audio drivers: .*pulseaudio/);
    // Nothing plays into the virtual microphone: SoX records only its dither, which doctor calls a problem.
    expect(out).toMatch(/problem +microphone +recorded \d+ ms from the default device: digital silence \(level -\d+ dBFS, peak -\d+ dBFS\)/);
    expect(out).toMatch(/skipped +API key .*not shown.*not checked with the service: needs streaming\.assemblyai\.invalid to resolve/);
    expect(out).toMatch(/problem +DNS +cannot resolve streaming\.assemblyai\.invalid/);
    expect(out).toMatch(/fix: /);
    expect(out).toMatch(/^2 problems: microphone, DNS\.$/m);
    expect(out + cli.stderr()).not.toContain(TEST_KEY);
  });

  it('without SoX and without a key: says so, with how to fix each', async () => {
    const cli = runCli(
      ['doctor', '--api-host', 'streaming.assemblyai.invalid'],
      cleanEnv({ PATH: await makeNoSoxPath(), PULSE_SERVER: pulseServer }),
    );
    expect(await cli.exit(30_000)).toBe(1);
    const out = cli.stdout();
    expect(out).toMatch(/problem +SoX .*not found/i);
    expect(out).toMatch(/apt-get install sox/);
    expect(out).toMatch(/problem +API key +no API key/);
    expect(out).toMatch(/\d problems: .*SoX.*API key/);
  });

  it('doctor --help, and usage errors exit 2', async () => {
    const help = runCli(['doctor', '--help'], cleanEnv());
    expect(await help.exit()).toBe(0);
    expect(help.stdout()).toMatch(/Usage: live-transcribe doctor/);
    const bad = runCli(['doctor', '--bogus'], cleanEnv());
    expect(await bad.exit()).toBe(2);
  });
});
