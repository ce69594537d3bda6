import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { tomlString, withApiKey, withoutApiKey } from '../../../src/login/key-file.js';

describe('the api-key line of the config file', () => {
  it('goes first in an empty file', () => {
    expect(withApiKey('', 'abc')).toBe('api-key = "abc"\n');
  });
  it('goes after the opening comments and before every table, replacing an old one', () => {
    const text = '# c\napi-key = "old"\nformat = "srt"\n[profiles.x]\napi-key = "profile"\n';
    const out = withApiKey(text, 'new');
    expect(out).toBe('# c\napi-key = "new"\nformat = "srt"\n[profiles.x]\napi-key = "profile"\n');
  });
  it('removes only the top-level line, never a profile key', () => {
    expect(withoutApiKey('api-key = "a"\n[profiles.x]\napi-key = "b"\n')).toEqual({ text: '[profiles.x]\napi-key = "b"\n', removed: true });
    expect(withoutApiKey('format = "srt"\n')).toEqual({ text: 'format = "srt"\n', removed: false });
  });
  it('escapes what TOML needs, so any key reads back as itself', () => {
    for (const key of ['plain', 'q"uote', 'back\\slash', 'tab\there']) expect(parse(`k = ${tomlString(key)}`).k).toBe(key);
  });
});
