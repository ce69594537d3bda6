import { describe, expect, it } from 'vitest';
import { checkTyping } from '../../../src/dictation/doctor-check.js';
import type { Exec } from '../../../src/system/exec.js';

const exec =
  (code: number | null, errorMessage?: string): Exec =>
  async () => ({ code, stdout: '', stderr: '', ...(errorMessage === undefined ? {} : { errorMessage }) });
const has =
  (...tools: string[]) =>
  (c: string): boolean =>
    tools.includes(c);

describe("doctor's typing line", () => {
  it('xdotool that reaches the X server: ok', async () => {
    expect(await checkTyping({ env: { DISPLAY: ':0' }, platform: 'linux', exec: exec(0), has: has('xdotool') })).toEqual({
      id: 'typing',
      name: 'typing',
      status: 'ok',
      detail: 'xdotool types into this X11 session (it reached the display)',
    });
  });

  it('xdotool that cannot: a problem, with the fix', async () => {
    const check = await checkTyping({
      env: { DISPLAY: ':9' },
      platform: 'linux',
      exec: exec(1, "xdotool exited with code 1: Can't open display"),
      has: has('xdotool'),
    });
    expect(check).toMatchObject({ status: 'problem', detail: "xdotool cannot reach the desktop: xdotool exited with code 1: Can't open display" });
    expect(check.fix).toContain('--type-with');
  });

  it('a tool without a harmless probe: ok when installed', async () => {
    expect(await checkTyping({ env: { WAYLAND_DISPLAY: 'w', SWAYSOCK: 's' }, platform: 'linux', exec: exec(1), has: has('wtype') })).toMatchObject({
      status: 'ok',
      detail: 'wtype types into this Wayland session (a wlroots compositor: sway, Hyprland...)',
    });
  });

  it('nothing to type with: skipped (only dictate needs it), with the install line', async () => {
    expect(await checkTyping({ env: { DISPLAY: ':0' }, platform: 'linux', exec: exec(0), has: has() })).toMatchObject({
      status: 'skipped',
      detail: 'nothing can type into this X11 session; only dictate needs it (sudo apt-get install xdotool)',
    });
    expect(await checkTyping({ env: {}, platform: 'linux', exec: exec(0), has: has() })).toMatchObject({
      status: 'skipped',
      detail: 'nothing can type into this terminal; only dictate needs it',
    });
  });
});
