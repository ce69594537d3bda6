import { describe, expect, it } from 'vitest';
import { buildSoxCommand, soxInstallHint, soxSaid, soxStartError } from '../../../src/audio/sox-command.js';
import { AppError, ErrorCode } from '../../../src/core/errors.js';

describe('buildSoxCommand', () => {
  it('records raw 16-bit mono PCM from the default device with a small buffer', () => {
    const c = buildSoxCommand({ sampleRateHz: 16000, platform: 'linux', env: { PATH: '/bin' } });
    expect(c.command).toBe('sox');
    expect(c.args).toEqual(
      '--no-show-progress --buffer 800 --default-device --rate 16000 --channels 1 --encoding signed-integer --bits 16 --endian little --type raw -'.split(
        ' ',
      ),
    );
    expect(c.env).toEqual({ PATH: '/bin' });
  });

  it('unbuffers stdout through libstdbuf on Linux', () => {
    const c = buildSoxCommand({ sampleRateHz: 16000, platform: 'linux', env: { LD_PRELOAD: '/x.so' }, stdbufLibrary: '/lib/libstdbuf.so' });
    expect(c.env.LD_PRELOAD).toBe('/lib/libstdbuf.so:/x.so');
    expect(c.env._STDBUF_O).toBe('1600'); // one 50 ms frame per write
    expect(buildSoxCommand({ sampleRateHz: 16000, platform: 'darwin', env: {}, stdbufLibrary: '/lib/libstdbuf.so' }).env.LD_PRELOAD).toBeUndefined();
  });

  it('selects a named device with AUDIODEV and the matching AUDIODRIVER', () => {
    const pulse = buildSoxCommand({ sampleRateHz: 16000, platform: 'linux', env: {}, device: 'virtmic.monitor' });
    expect(pulse.env).toMatchObject({ AUDIODEV: 'virtmic.monitor', AUDIODRIVER: 'pulseaudio' });
    const alsa = buildSoxCommand({ sampleRateHz: 16000, platform: 'linux', env: {}, device: 'hw:1,0' });
    expect(alsa.env).toMatchObject({ AUDIODEV: 'hw:1,0', AUDIODRIVER: 'alsa' });
    const mine = buildSoxCommand({ sampleRateHz: 16000, platform: 'linux', env: { AUDIODRIVER: 'oss' }, device: 'x' });
    expect(mine.env.AUDIODRIVER).toBe('oss');
  });

  it('uses waveaudio on Windows', () => {
    const c = buildSoxCommand({ sampleRateHz: 16000, platform: 'win32', env: {}, device: 'USB Mic' });
    expect(c.args).toContain('waveaudio');
    expect(c.args).toContain('USB Mic');
    expect(c.env.AUDIODEV).toBeUndefined();
  });

  it('scales the buffer with the rate', () => {
    expect(buildSoxCommand({ sampleRateHz: 48000, platform: 'linux', env: {} }).args[2]).toBe('2400');
  });
});

describe('soxInstallHint', () => {
  it('gives install commands for every OS', () => {
    const hint = soxInstallHint('linux');
    expect(hint).toContain('apt-get install sox');
    expect(hint).toContain('brew install sox');
    expect(hint).toContain('winget install');
  });
});

describe("SoX's failures, said once for the microphone and for files", () => {
  it.each([
    ['', ''],
    ['sox FAIL formats: no handler', 'SoX said:\n  sox FAIL formats: no handler\n'],
    ['a\nb', 'SoX said:\n  a\n  b\n'],
  ])('soxSaid(%j)', (lines, expected) => {
    expect(soxSaid(lines)).toBe(expected);
  });

  it.each([
    [
      'ENOENT',
      'record the microphone',
      ErrorCode.soxNotFound,
      'SoX (the `sox` command) was not found; it is needed to record the microphone',
      /<- this machine/,
    ],
    [
      'ENOENT',
      'read this kind of file',
      ErrorCode.soxNotFound,
      'SoX (the `sox` command) was not found; it is needed to read this kind of file',
      /brew install sox/,
    ],
    ['EACCES', 'record the microphone', ErrorCode.capture, 'could not start SoX: spawn sox EACCES', undefined],
  ] as const)('soxStartError(%s, %j)', (code, neededTo, errorCode, message, hint) => {
    const err = Object.assign(new Error(`spawn sox ${code}`), { code });
    const e = soxStartError(err, 'darwin', neededTo);
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe(errorCode);
    expect(e.message).toBe(message);
    expect(e.hint).toEqual(hint === undefined ? undefined : expect.stringMatching(hint));
  });
});
