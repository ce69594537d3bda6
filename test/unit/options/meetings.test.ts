import { describe, expect, it } from 'vitest';
import { resolveRunSources } from '../../../src/options/meetings.js';
import { resolveConfig } from '../../../src/options/resolve.js';

const env = { ASSEMBLYAI_API_KEY: 'env-key-0000' };

describe('the sources of a run (issue 13)', () => {
  it('one microphone is the run of before: no sources list, its --device on the input', () => {
    expect(resolveConfig({ device: ['hw:1'] }, env)).toMatchObject({ input: { kind: 'microphone', device: 'hw:1' } });
    expect(resolveConfig({ device: ['hw:1'] }, env)).not.toHaveProperty('sources');
    expect(resolveConfig({}, env)).not.toHaveProperty('sources');
  });

  it('--system-audio adds the system audio to the default microphone; --system-device names it', () => {
    expect(resolveConfig({ systemAudio: true }, env).sources).toEqual([
      { kind: 'microphone', label: 'You' },
      { kind: 'system', label: 'Others' },
    ]);
    expect(resolveConfig({ systemDevice: 'spk.monitor=Call' }, env).sources).toEqual([
      { kind: 'microphone', label: 'You' },
      { kind: 'system', device: 'spk.monitor', label: 'Call' },
    ]);
    expect(resolveConfig({ systemAudio: true }, env).input).toEqual({ kind: 'microphone' });
  });

  it('several --device: one source each, labelled', () => {
    expect(resolveRunSources({ device: ['a=Anna', 'b=Ben'] }, { kind: 'microphone' }).sources).toEqual([
      { kind: 'microphone', device: 'a', label: 'Anna' },
      { kind: 'microphone', device: 'b', label: 'Ben' },
    ]);
  });

  it.each([
    [{ systemAudio: true, input: 'talk.wav' }, /--system-audio and --system-device record a device, not --input/],
    [{ systemDevice: 'x', input: '-' }, /--system-audio and --system-device record a device, not --input/],
    [{ device: ['a', 'b'], input: 'talk.wav' }, /--device and --input cannot be used together/],
    [{ device: ['a', ' '] }, /--device is empty/],
    [{ device: ['a=Me', 'b=me'] }, /two sources are labelled "me"/],
    [{ device: ['a', 'a'] }, /the device a is given twice/],
  ])('refuses %j', (raw, message) => {
    expect(() => resolveConfig(raw, env)).toThrow(message);
  });
});

describe('credentials of a meeting (issues 12 and 13)', () => {
  it('a plain --token is refused with several sources (one session each); --token-command and a key are not', () => {
    expect(() => resolveConfig({ systemAudio: true, token: 'tok-1234567890' }, {})).toThrow(/a temporary token opens one session/);
    expect(resolveConfig({ systemAudio: true, tokenCommand: 'mint-token' }, {}).sources).toHaveLength(2);
    expect(resolveConfig({ systemAudio: true }, env).sources).toHaveLength(2);
    expect(resolveConfig({ token: 'tok-1234567890' }, {}).auth).toEqual({ kind: 'token', token: 'tok-1234567890' });
  });
});
