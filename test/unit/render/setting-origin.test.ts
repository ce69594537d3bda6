import { describe, expect, it } from 'vitest';
import { formatOrigin, formatTakenFromFile, formatValueFrom } from '../../../src/render/setting-origin.js';

describe('formatOrigin', () => {
  it('names a flag, a variable, the file with its line, a profile, the default', () => {
    expect(formatOrigin({ kind: 'flag', flag: '--api-key' })).toBe('--api-key');
    expect(formatOrigin({ kind: 'env', variable: 'ASSEMBLYAI_API_KEY' })).toBe('ASSEMBLYAI_API_KEY');
    expect(formatOrigin({ kind: 'file', file: '/c.toml', line: 2 })).toBe('/c.toml line 2');
    expect(formatOrigin({ kind: 'file', file: '/c.toml', line: 9, profile: 'work' })).toBe('profile work in /c.toml line 9');
    expect(formatOrigin({ kind: 'default' })).toBe('the built-in default');
  });

  it('formatValueFrom and formatTakenFromFile', () => {
    expect(formatValueFrom('meeting.srt', 'output', { kind: 'file', file: '/c.toml', line: 9, profile: 'meeting' })).toBe(
      'meeting.srt (output, from profile meeting in /c.toml line 9)',
    );
    const taken = formatTakenFromFile('rec.wav', 'save-audio', { kind: 'file', file: '/c.toml', line: 1 });
    expect(taken.message).toBe('rec.wav (save-audio, from /c.toml line 1) already exists');
    expect(taken.hint).toContain('save-audio = "rec-{date}-{time}.wav"');
    expect(taken.hint).not.toContain('append');
  });
});
