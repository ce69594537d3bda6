/**
 * `live-transcribe dictate` under a real Wayland compositor (issue 21): sway headless (wlroots: the
 * virtual-keyboard protocol), a focused `foot` running `cat > OUT`, and wtype found by detection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { makeSpeechWav } from '../support/audio.js';
import { BIN, cleanEnv, recordOutput, TEST_KEY } from '../support/cli.js';
import { startWaylandDesktop, type WaylandDesktop } from '../support/wldesktop.js';

let dir: string;
let wav: string;
let wl: WaylandDesktop;
let server: FakeServer | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-dictate-wl-'));
  wav = path.join(dir, 'hello.wav');
  await makeSpeechWav('hello world', wav);
  wl = await startWaylandDesktop(dir);
  await chmod(wav, 0o644);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await wl?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('dictate on Wayland (sway, wtype)', () => {
  it('types each final turn, accents and emoji included, and Enter with --enter', async () => {
    server = await startFakeServer({ script: ['grüße aus köln 🎉'] });
    const env = cleanEnv({
      ASSEMBLYAI_API_KEY: TEST_KEY,
      WAYLAND_DISPLAY: wl.display,
      XDG_RUNTIME_DIR: wl.runtimeDir,
      XDG_CURRENT_DESKTOP: 'sway',
      DISPLAY: undefined,
    });
    const [cmd, args] = wl.asUser(process.execPath, [BIN, 'dictate', '--enter', '--no-notify', '--api-host', server.url, '-i', wav]);
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    recordOutput('stdout of dictate (Wayland)', () => out);
    recordOutput('stderr of dictate (Wayland)', () => err);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, err).toBe(0);
    const got = await wl.waitFor((t) => t.includes('\n'), 'the turn and Enter');
    expect(got).toBe('Grüße aus köln 🎉.\n');
    expect(out).toContain('Grüße aus köln 🎉.');
  });
});
