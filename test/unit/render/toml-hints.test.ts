import { describe, expect, it } from 'vitest';
import { formatUnquotedStringHint } from '../../../src/render/toml-hints.js';

describe('formatUnquotedStringHint', () => {
  it.each([
    ['format = srt', 'strings need quotes: format = "srt"'],
    ['  device = hw:1 # mic', 'strings need quotes: device = "hw:1"'],
    ['device = USB-Mic', 'strings need quotes: device = "USB-Mic"'],
    ['quiet = true', undefined],
    ['format = "srt"', undefined],
    ['sample-rate = 16000', undefined],
  ])('%s', (line, hint) => {
    expect(formatUnquotedStringHint(line)).toBe(hint);
  });
});
