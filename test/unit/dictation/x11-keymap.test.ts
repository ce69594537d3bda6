import { describe, expect, it } from 'vitest';
import type { Exec } from '../../../src/system/exec.js';
import { createX11Keymap, emptyKeycodes, keysymFor, nonAsciiChars, planBindings } from '../../../src/dictation/x11-keymap.js';

const PKE = 'keycode   8 =\nkeycode   9 = Escape NoSymbol Escape\nkeycode  93 =\nkeycode  97 = \nkeycode  98 = Katakana\n';

describe('binding non-ASCII characters to spare keys (X11)', () => {
  it('finds the empty keycodes in xmodmap -pke', () => {
    expect(emptyKeycodes(PKE)).toEqual([8, 93, 97]);
  });

  it('names keysyms by code point, and picks the distinct non-ASCII characters', () => {
    expect(['ü', '🎉', '東', 'é'].map(keysymFor)).toEqual(['U00FC', 'U1F389', 'U6771', 'U00E9']);
    expect(nonAsciiChars('Grüße, süß 🎉!')).toEqual(['ü', 'ß', '🎉']);
  });

  it('plans: bound characters stay, new ones take free keycodes, then the least recently used not needed now', () => {
    const bound = new Map([
      ['ä', 10],
      ['ö', 11],
    ]);
    expect(planBindings(['ö', 'ü'], bound, [20])).toEqual({ bind: [['ü', 20]], missing: [] });
    expect(planBindings(['ö', 'ü', 'ß'], bound, [])).toEqual({ bind: [['ü', 10]], missing: ['ß'] });
  });

  it('binds with one xmodmap call, reuses bindings, and unbinds everything at the end', async () => {
    const calls: string[] = [];
    const exec: Exec = async (command, args) => {
      calls.push([command, ...args].join(' '));
      return args[0] === '-pke' ? { code: 0, stdout: PKE, stderr: '' } : { code: 0, stdout: '', stderr: '' };
    };
    const keymap = createX11Keymap(exec, {});
    expect(await keymap.prepare('Hello')).toBe(true);
    expect(calls).toEqual([]);
    expect(await keymap.prepare('Grüße 🎉')).toBe(true);
    expect(await keymap.prepare('süß')).toBe(true);
    // ü ß 🎉 hold the three spare keys: 東 takes the one used least recently (🎉's).
    expect(await keymap.prepare('東')).toBe(true);
    // Four at once do not fit in three keys: not all bound.
    expect(await keymap.prepare('äöüé')).toBe(false);
    await keymap.restore(0);
    expect(calls).toEqual([
      'xmodmap -pke',
      'xmodmap -e keycode 8 = U00FC U00FC -e keycode 93 = U00DF U00DF -e keycode 97 = U1F389 U1F389',
      'xmodmap -e keycode 97 = U6771 U6771',
      'xmodmap -e keycode 93 = U00E4 U00E4 -e keycode 97 = U00F6 U00F6',
      'xmodmap -e keycode 93 = -e keycode 97 = -e keycode 8 =',
    ]);
  });

  it('a failing xmodmap: not bound (xdotool then binds each key itself, more slowly)', async () => {
    const keymap = createX11Keymap(async () => ({ code: 1, stdout: '', stderr: '', errorMessage: 'xmodmap exited with code 1' }), {});
    expect(await keymap.prepare('é')).toBe(false);
  });
});
