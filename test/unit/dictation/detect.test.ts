import { describe, expect, it } from 'vitest';
import { chooseBackend, detectSession } from '../../../src/dictation/detect.js';

const has =
  (...tools: string[]) =>
  (c: string): boolean =>
    tools.includes(c);

describe('the desktop session, from the environment', () => {
  it.each([
    [{ DISPLAY: ':0' }, 'linux', 'x11'],
    [{ DISPLAY: ':0', XDG_SESSION_TYPE: 'x11', XDG_CURRENT_DESKTOP: 'GNOME' }, 'linux', 'x11'],
    [{ WAYLAND_DISPLAY: 'wayland-1', SWAYSOCK: '/run/sway.sock' }, 'linux', 'wayland-wlroots'],
    [{ WAYLAND_DISPLAY: 'wayland-1', HYPRLAND_INSTANCE_SIGNATURE: 'abc' }, 'linux', 'wayland-wlroots'],
    [{ WAYLAND_DISPLAY: 'wayland-0', XDG_CURRENT_DESKTOP: 'river' }, 'linux', 'wayland-wlroots'],
    [{ WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0', XDG_CURRENT_DESKTOP: 'ubuntu:GNOME' }, 'linux', 'wayland-gnome'],
    [{ WAYLAND_DISPLAY: 'wayland-0', XDG_CURRENT_DESKTOP: 'KDE' }, 'linux', 'wayland-kde'],
    [{ XDG_SESSION_TYPE: 'wayland', XDG_CURRENT_DESKTOP: 'GNOME' }, 'linux', 'wayland-gnome'],
    [{ WAYLAND_DISPLAY: 'wayland-0' }, 'linux', 'wayland-other'],
    [{}, 'linux', 'none'],
    [{ SSH_CONNECTION: '1 2 3 4' }, 'freebsd', 'none'],
    [{}, 'darwin', 'macos'],
    [{}, 'win32', 'windows'],
  ] as const)('%j on %s: %s', (env, platform, kind) => {
    expect(detectSession(env, platform)).toBe(kind);
  });
});

describe('the backend chosen: the first of the session candidates that is installed', () => {
  it.each([
    [{ DISPLAY: ':0' }, 'linux', ['xdotool', 'xclip'], 'xdotool'],
    [{ WAYLAND_DISPLAY: 'w', SWAYSOCK: 's' }, 'linux', ['wtype', 'ydotool'], 'wtype'],
    [{ WAYLAND_DISPLAY: 'w', SWAYSOCK: 's' }, 'linux', ['ydotool', 'dotool'], 'ydotool'],
    [{ WAYLAND_DISPLAY: 'w', XDG_CURRENT_DESKTOP: 'GNOME' }, 'linux', ['wtype', 'dotool'], 'dotool'],
    [{ WAYLAND_DISPLAY: 'w', XDG_CURRENT_DESKTOP: 'KDE' }, 'linux', ['wtype'], 'wtype'],
    [{}, 'darwin', ['osascript', 'pbcopy'], 'macos-keystroke'],
    [{}, 'win32', ['powershell.exe'], 'windows-sendkeys'],
  ] as const)('%j on %s with %j: %s', (env, platform, tools, name) => {
    const chosen = chooseBackend(env, platform, has(...tools));
    expect(chosen.ok && chosen.backend.name).toBe(name);
  });

  it('GNOME on Wayland never picks wtype (no virtual-keyboard protocol there)', () => {
    const chosen = chooseBackend({ WAYLAND_DISPLAY: 'w', XDG_CURRENT_DESKTOP: 'GNOME' }, 'linux', has('wtype'));
    expect(chosen).toMatchObject({ ok: false, session: 'wayland-gnome', tried: ['ydotool', 'dotool'], install: 'ydotool' });
  });

  it('the clipboard program of the session comes along, for text the backend cannot type', () => {
    const chosen = chooseBackend({ WAYLAND_DISPLAY: 'w', XDG_CURRENT_DESKTOP: 'GNOME' }, 'linux', has('ydotool', 'wl-copy'));
    expect(chosen).toMatchObject({ ok: true, clipboard: { command: 'wl-copy' } });
  });

  it('--type-with wins over detection, and is probed too', () => {
    expect(chooseBackend({ DISPLAY: ':0' }, 'linux', has('xdotool', 'wtype'), 'wtype')).toMatchObject({ ok: true, backend: { name: 'wtype' } });
    expect(chooseBackend({ DISPLAY: ':0' }, 'linux', has('xdotool'), 'dotool')).toMatchObject({ ok: false, tried: ['dotool'], install: 'dotool' });
    expect(chooseBackend({}, 'linux', has(), 'stdout')).toMatchObject({ ok: true, backend: { name: 'stdout' } });
  });

  it('--type-with clipboard uses the session clipboard program, or says which to install', () => {
    expect(chooseBackend({ DISPLAY: ':0' }, 'linux', has('xsel'), 'clipboard')).toMatchObject({
      ok: true,
      backend: { name: 'clipboard', tool: 'xsel' },
    });
    expect(chooseBackend({ WAYLAND_DISPLAY: 'w' }, 'linux', has(), 'clipboard')).toMatchObject({
      ok: false,
      tried: ['wl-copy'],
      install: 'wl-clipboard',
    });
  });

  it.each([
    [{ DISPLAY: ':0' }, 'x11', ['xdotool'], 'xdotool'],
    [{ WAYLAND_DISPLAY: 'w', SWAYSOCK: 's' }, 'wayland-wlroots', ['wtype', 'ydotool', 'dotool'], 'wtype'],
    [{ WAYLAND_DISPLAY: 'w', XDG_CURRENT_DESKTOP: 'KDE' }, 'wayland-kde', ['ydotool', 'dotool', 'wtype'], 'ydotool'],
    [{ WAYLAND_DISPLAY: 'w' }, 'wayland-other', ['wtype', 'ydotool', 'dotool'], 'wtype'],
    [{}, 'none', [], undefined],
  ] as const)('nothing installed in %j: %s, tried %j, install %s', (env, session, tried, install) => {
    const chosen = chooseBackend(env, 'linux', has());
    expect(chosen).toEqual({ ok: false, session, tried, ...(install === undefined ? {} : { install }) });
  });
});
