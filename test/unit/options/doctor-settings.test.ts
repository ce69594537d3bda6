import { describe, expect, it } from 'vitest';
import { parseConfigFile } from '../../../src/options/config-toml.js';
import { doctorSettings } from '../../../src/options/doctor-settings.js';
import { envLayer, fileLayers, mergeLayers, type SettingsLayer } from '../../../src/options/layers.js';
import { formatDoctorSettings } from '../../../src/render/setting-origin.js';
import { UsageError } from '../../../src/core/errors.js';

const PATH = '/home/ann/.config/live-transcribe/config.toml';
const FILE = [
  'api-key = "placeholder-file-0000"',
  'api-host = "ws://127.0.0.1:7001"',
  'device = "usb-mic"',
  '',
  '[profiles.work]',
  'api-host = "ws://127.0.0.1:7002"',
  'sample-rate = 48000',
  '',
].join('\n');

function settings(profile: string | undefined, flags: SettingsLayer['options'] = {}, env: Record<string, string> = {}) {
  const file = parseConfigFile(FILE, PATH);
  const chosen = profile === undefined ? undefined : { name: profile, chosenBy: 'flag' as const };
  return mergeLayers([...fileLayers(file, chosen), envLayer(env), { source: 'flag', options: flags }]);
}

describe('doctorSettings: what doctor checks is what a run would use (issue 24.1)', () => {
  it('takes the key, host and device from the file, and says where each came from', () => {
    const chosen = doctorSettings(settings(undefined));
    expect(chosen.endpoint).toBe('ws://127.0.0.1:7001/v3/ws');
    expect(chosen.options.apiKey).toBe('placeholder-file-0000');
    expect(chosen.options.device).toBe('usb-mic');
    expect(chosen.sampleRateHz).toBeUndefined();
    expect(formatDoctorSettings(chosen.rows)).toBe(
      [`key: from ${PATH} line 1`, `host: ws://127.0.0.1:7001/v3/ws from ${PATH} line 2`, `device: usb-mic from ${PATH} line 3`, ''].join('\n'),
    );
  });

  it('a profile wins over the top level: its host and sample rate, named as the profile', () => {
    const chosen = doctorSettings(settings('work'));
    expect(chosen.endpoint).toBe('ws://127.0.0.1:7002/v3/ws');
    expect(chosen.sampleRateHz).toBe(48000);
    expect(formatDoctorSettings(chosen.rows)).toContain(`host: ws://127.0.0.1:7002/v3/ws from profile work in ${PATH} line 6\n`);
  });

  it('flags win over the environment, the environment over the file', () => {
    const fromEnv = doctorSettings(settings(undefined, {}, { ASSEMBLYAI_API_KEY: 'placeholder-env-0000' }));
    expect(formatDoctorSettings(fromEnv.rows)).toContain('key: from ASSEMBLYAI_API_KEY\n');
    const fromFlags = doctorSettings(settings('work', { apiHost: 'ws://127.0.0.1:7003', device: ['a', 'b'] }));
    expect(fromFlags.endpoint).toBe('ws://127.0.0.1:7003/v3/ws');
    expect(formatDoctorSettings(fromFlags.rows)).toContain('host: ws://127.0.0.1:7003/v3/ws from --api-host\ndevice: b from --device\n');
  });

  it('a token command is what a run uses: named as such; with a key beside it, refused as a run refuses', () => {
    const chosen = doctorSettings(mergeLayers([{ source: 'flag', options: { tokenCommand: './mint.sh' } }]));
    expect(formatDoctorSettings(chosen.rows)).toContain('token command: from --token-command\n');
    expect(() => doctorSettings(mergeLayers([{ source: 'file', options: { tokenCommand: './mint.sh', apiKey: 'placeholder-file-0000' } }]))).toThrow(
      /cannot be used with --token or --api-key/,
    );
  });

  it('nothing given: the defaults, said as such', () => {
    const chosen = doctorSettings(mergeLayers([]));
    expect(chosen.endpoint).toBe('wss://streaming.assemblyai.com/v3/ws');
    expect(formatDoctorSettings(chosen.rows)).toBe('key: none given\nhost: wss://streaming.assemblyai.com/v3/ws\ndevice: the default device\n');
  });

  it("a bad value is refused by the run's own parser", () => {
    expect(() => doctorSettings(mergeLayers([{ source: 'flag', options: { sampleRate: '12' } }]))).toThrow(UsageError);
  });
});
