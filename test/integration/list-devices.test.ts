/**
 * Device listing against the suite's real PulseAudio daemon (test/support/global-setup.ts), with the real
 * `pactl`, and a recording through SoX from a listed name, as --device would do it.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ownPulseServer } from '../support/own-pulse.js';
import { buildSoxCommand } from '../../src/audio/sox-command.js';
import { levelDbfs } from '../../src/audio/level.js';
import { findDevice, listDevices } from '../../src/devices/list-devices.js';
import { formatDeviceList } from '../../src/render/device-list.js';
import { definedOnly, execCommand } from '../../src/system/exec.js';
import { makeNoSoxPath } from '../support/fake-sox.js';

// A microphone of this file's own: it runs beside the other files (test/support/own-pulse.ts).
const pulseServer = await ownPulseServer();
const env = { PATH: process.env.PATH, HOME: process.env.HOME, PULSE_SERVER: pulseServer };
const plain = { bold: (t: string) => t, dim: (t: string) => t, yellow: (t: string) => t };

/** Records `bytes` with the command live-transcribe would run for `device`; bounded. */
function recordWith(device: string, bytes: number, timeoutMs = 8_000): Promise<{ pcm: Buffer; code: number | null; stderr: string }> {
  const sox = buildSoxCommand({ sampleRateHz: 16000, device, platform: 'linux', env });
  // trim counts in seconds here: in samples it would count at the input's rate (PulseAudio opens at 48 kHz).
  const child = spawn(sox.command, [...sox.args, 'trim', '0', String(bytes / 2 / 16000)], {
    env: definedOnly(sox.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => chunks.push(d));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sox did not record ${bytes} bytes within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ pcm: Buffer.concat(chunks), code, stderr });
    });
  });
}

describe('listDevices on Linux, for real', () => {
  it('finds the virtual microphone as a monitor source, the default one, with pactl', async () => {
    const listing = await listDevices({ platform: 'linux', env, exec: execCommand });
    const virtmic = findDevice(listing.devices, 'virtmic.monitor');
    expect(virtmic).toEqual({
      name: 'virtmic.monitor',
      description: 'Monitor of Null Output',
      driver: 'pulseaudio',
      isDefault: true,
      isMonitor: true,
      monitorOf: 'virtmic',
    });
    expect(findDevice(listing.devices)?.name).toBe('virtmic.monitor');
    // arecord is not installed here, and PulseAudio found devices: nothing to complain about.
    expect(listing.problems).toEqual([]);
    expect(formatDeviceList(listing, plain)).toContain('* virtmic.monitor  Monitor of Null Output (default, monitor of virtmic)');
  });

  it('lists a name that --device can record from (AUDIODRIVER + AUDIODEV through SoX)', async () => {
    const listing = await listDevices({ platform: 'linux', env, exec: execCommand });
    const device = findDevice(listing.devices, 'virtmic.monitor');
    expect(device).toBeDefined();
    const r = await recordWith(device!.name, 3200);
    expect(r.code).toBe(0);
    expect(r.pcm.length).toBe(3200);
    expect(levelDbfs(r.pcm)).toBeLessThan(-80); // nothing is playing: dithered silence
  });

  it('says why when no sound server answers', async () => {
    const listing = await listDevices({ platform: 'linux', env: { ...env, PULSE_SERVER: 'unix:/nonexistent/pulse.sock' }, exec: execCommand });
    expect(listing.devices).toEqual([]);
    expect(listing.problems[0]).toMatch(/^pactl exited with code 1: .*(Connection refused|No such file)/);
    expect(listing.problems[1]).toBe('arecord is not installed (not found on PATH)');
  });

  it('says why when pactl is not installed', async () => {
    const listing = await listDevices({ platform: 'linux', env: { ...env, PATH: await makeNoSoxPath() }, exec: execCommand });
    expect(listing).toEqual({
      platform: 'linux',
      devices: [],
      problems: ['pactl is not installed (not found on PATH)', 'arecord is not installed (not found on PATH)'],
    });
  });
});

describe('execCommand', () => {
  it('returns output and code 0, with exactly the environment given', async () => {
    const r = await execCommand('/bin/sh', ['-c', 'echo "$LT_X"; echo err >&2'], {
      env: { PATH: '/usr/bin:/bin', LT_X: 'hi', LT_Y: undefined },
      timeoutMs: 5_000,
    });
    expect(r).toEqual({ code: 0, stdout: 'hi\n', stderr: 'err\n' });
    const e = await execCommand('/usr/bin/env', [], { env: { PATH: '/bin', LT_Y: undefined }, timeoutMs: 5_000 });
    expect(e.stdout).toBe('PATH=/bin\n');
  });

  it('turns a non-zero exit, a missing command and a timeout into data, never a rejection', async () => {
    expect(await execCommand('/bin/sh', ['-c', 'echo oops >&2; exit 3'], { env: {}, timeoutMs: 5_000 })).toEqual({
      code: 3,
      stdout: '',
      stderr: 'oops\n',
      errorMessage: '/bin/sh exited with code 3: oops',
    });
    expect(await execCommand('lt-no-such-command', [], { env: { PATH: '/nonexistent' }, timeoutMs: 5_000 })).toMatchObject({
      code: null,
      errorCode: 'ENOENT',
      errorMessage: 'lt-no-such-command is not installed (not found on PATH)',
    });
    // A command that ignores SIGTERM still ends: the timeout kills with SIGKILL. Without the kill this would wait
    // for the 600 s sleep and the test would time out (15 s, a generous bound for a 300 ms timeout).
    const slow = await execCommand('/bin/sh', ['-c', 'trap "" TERM; exec sleep 600'], { env: { PATH: '/usr/bin:/bin' }, timeoutMs: 300 });
    expect(slow).toMatchObject({ code: null, errorCode: 'ETIMEDOUT', errorMessage: '/bin/sh did not finish within 300 ms' });
  }, 15_000);
});
