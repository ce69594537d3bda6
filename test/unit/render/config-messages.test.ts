import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { resolveConfig } from '../../../src/options/resolve.js';
import { formatSettings, formatStarterFile } from '../../../src/render/config-messages.js';
import { settingsView, starterKeys } from '../../../src/options/config-view.js';
import { parseConfigFile } from '../../../src/options/config-toml.js';
import { FILE_KEYS } from '../../../src/options/schema.js';
import { mergeLayers } from '../../../src/options/layers.js';

const PATH = '/home/ann/.config/live-transcribe/config.toml';

describe('formatSettings', () => {
  it('shows each setting, its value and where it came from, the key masked', () => {
    const key = 'placeholder-env-value-0000';
    const file = parseConfigFile('format = "json"\n[profiles.work]\n\nspeech-model = "universal-3-6-pro"\n', PATH);
    const work = file.profiles.get('work');
    if (work === undefined) throw new Error('no profile');
    const merged = mergeLayers([
      { source: 'file', ...file.defaults },
      { source: 'profile work', ...work },
      { source: 'env', options: { apiKey: key, color: false } },
      { source: 'flag', options: { quiet: true } },
    ]);
    const text = formatSettings(
      settingsView({ ...merged, location: { path: PATH, explicit: false, chosenBy: 'default' }, file, profile: { name: 'work', chosenBy: 'flag' } }),
    );
    expect(text).not.toContain(key);
    const row = (k: string): string | undefined => text.split('\n').find((l) => l.startsWith(`${k} `));
    expect(text.split('\n').slice(0, 2)).toEqual([`config file: ${PATH} (default place)`, 'profile:     work (--profile)']);
    expect(row('api-key')).toMatch(/^api-key +\[redacted\] +env ASSEMBLYAI_API_KEY$/);
    expect(row('format')).toMatch(/^format +json +file line 1$/);
    expect(row('speech-model')).toMatch(/^speech-model +universal-3-6-pro +profile work line 4$/);
    expect(row('quiet')).toMatch(/^quiet +true +flag$/);
    expect(row('color')).toMatch(/^color +false +env NO_COLOR$/);
    expect(row('sample-rate')).toMatch(/^sample-rate +16000 +default$/);
    expect(row('device')).toMatch(/^device +- +default$/);
  });

  it('says when there is no file and how to make one', () => {
    const text = formatSettings(
      settingsView({ ...mergeLayers([]), location: { path: '/x.toml', explicit: true, chosenBy: 'env' }, file: undefined, profile: undefined }),
    );
    expect(text.split('\n').slice(0, 2)).toEqual([
      'config file: /x.toml (LIVE_TRANSCRIBE_CONFIG) (not found: live-transcribe config --init creates it)',
      'profile:     (none)',
    ]);
  });
});

describe('formatStarterFile', () => {
  const starter = formatStarterFile(starterKeys(), 'LIVE_TRANSCRIBE_PROFILE');

  it('is valid TOML that sets nothing until a line is uncommented', () => {
    expect(parse(starter)).toEqual({});
    expect(parseConfigFile(starter, PATH).defaults.options).toEqual({});
  });

  it('lists every file key; uncommented, every example loads and a profile is defined', () => {
    const uncommented = starter.replace(/^# ((?:\[profiles\.[a-z]+\]|[a-z-]+ = .*))$/gm, '$1');
    const file = parseConfigFile(uncommented, PATH);
    expect(Object.keys(file.defaults.options).sort()).toEqual(FILE_KEYS.map((o) => o.field).sort());
    expect(file.defaultProfile?.name).toBe('meeting');
    const meeting = file.profiles.get('meeting');
    expect(meeting?.options).toEqual({ format: 'srt', output: 'meeting.srt', keyterms: 'AssemblyAI' });
    // The profile's example is a valid run configuration, not just valid TOML.
    expect(resolveConfig(meeting?.options ?? {}, { ASSEMBLYAI_API_KEY: 'placeholder-0000' }).output.file).toEqual({
      path: 'meeting.srt',
      format: 'srt',
      mode: 'create',
    });
  });
});
