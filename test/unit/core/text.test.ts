import { describe, expect, it } from 'vitest';
import { sanitizeBlock, shellQuote } from '../../../src/core/text.js';

describe('shellQuote', () => {
  it.each([
    ['alsa_input.pci-0000_00_1f.3.analog-stereo', 'alsa_input.pci-0000_00_1f.3.analog-stereo'],
    ['hw:1,0', 'hw:1,0'],
    ['Yeti Stereo Microphone', '"Yeti Stereo Microphone"'],
    ["my mic's", `"my mic's"`],
    ['a"b\\c$d`e', '"a\\"b\\\\c\\$d\\`e"'],
    ['evil\u001b[2J\u0007', '"evil[2J"'],
  ])('%j -> %s', (name, expected) => {
    expect(shellQuote(name)).toBe(expected);
  });
});

describe('sanitizeBlock', () => {
  it('keeps the lines and columns, shows every other control character as one "?"', () => {
    expect(sanitizeBlock('a\u001b[2J\r\n\tb\u0007\u0085c\u2028')).toBe('a?[2J\n b??c?');
  });
});
