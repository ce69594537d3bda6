import { describe, expect, it } from 'vitest';
import { defaultSourceName, parsePactlDefaultSource, sameDeviceTwice } from '../../../src/devices/default-source.js';

describe('the default source (issue 24.9)', () => {
  it('is read from pactl get-default-source, else pactl info', async () => {
    const exec = (answers: Record<string, string | undefined>) => (_c: string, args: readonly string[]) =>
      Promise.resolve(answers[args[0]!] === undefined ? { code: 1, stdout: '', stderr: '' } : { code: 0, stdout: answers[args[0]!]!, stderr: '' });
    expect(await defaultSourceName({ platform: 'linux', env: {}, exec: exec({ 'get-default-source': 'mic\n' }) })).toBe('mic');
    expect(await defaultSourceName({ platform: 'linux', env: {}, exec: exec({ info: 'Server Name: x\nDefault Source: out.monitor\n' }) })).toBe(
      'out.monitor',
    );
    expect(await defaultSourceName({ platform: 'darwin', env: {}, exec: exec({ 'get-default-source': 'mic' }) })).toBeUndefined();
    expect(parsePactlDefaultSource('Default Source: @DEFAULT_SOURCE@')).toBeUndefined();
  });
  it('sameDeviceTwice names the device and both sources', () => {
    const sources = [
      { label: 'You', device: undefined },
      { label: 'Others', device: 'out.monitor' },
    ];
    expect(sameDeviceTwice(sources, 'out.monitor')).toEqual({ device: 'out.monitor', labels: ['You', 'Others'] });
    expect(sameDeviceTwice(sources, 'mic')).toBeUndefined();
    expect(sameDeviceTwice(sources, undefined)).toBeUndefined();
  });
});
