import { describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../src/dictation/detect.js';
import { formatDoctorTyping, formatInstallLine, formatNoTypingBackend } from '../../../src/render/dictation-messages.js';

const none = (env: Record<string, string>, platform: NodeJS.Platform = 'linux', requested?: 'clipboard' | 'dotool') => {
  const chosen = chooseBackend(env, platform, () => false, requested);
  if (chosen.ok) throw new Error('expected nothing to type');
  return chosen;
};

describe('nothing can type: the message for each kind of desktop', () => {
  it('X11', () => {
    expect(formatNoTypingBackend(none({ DISPLAY: ':0' }), 'apt-get')).toMatchInlineSnapshot(`
      "error: nothing can type into this X11 session: xdotool is not installed
        install it: sudo apt-get install xdotool
        or --type-with clipboard (each turn copied) or --type-with stdout (printed only)
      "
    `);
  });

  it('Wayland, wlroots (sway, Hyprland)', () => {
    expect(formatNoTypingBackend(none({ WAYLAND_DISPLAY: 'w', SWAYSOCK: 's' }), 'pacman')).toMatchInlineSnapshot(`
      "error: nothing can type into this Wayland session (a wlroots compositor: sway, Hyprland...): wtype, ydotool, dotool are not installed
        install it: sudo pacman -S wtype
        or --type-with clipboard (each turn copied) or --type-with stdout (printed only)
      "
    `);
  });

  it('GNOME on Wayland', () => {
    expect(formatNoTypingBackend(none({ WAYLAND_DISPLAY: 'w', XDG_CURRENT_DESKTOP: 'GNOME' }), 'dnf')).toMatchInlineSnapshot(`
      "error: nothing can type into this GNOME Wayland session: ydotool, dotool are not installed
        install it: sudo dnf install ydotool
        GNOME has no virtual keyboard for wtype: ydotool types through /dev/uinput, and its daemon ydotoold must run
        or --type-with clipboard (each turn copied) or --type-with stdout (printed only)
      "
    `);
  });

  it('KDE on Wayland', () => {
    expect(formatNoTypingBackend(none({ WAYLAND_DISPLAY: 'w', XDG_CURRENT_DESKTOP: 'KDE' }), 'zypper')).toMatchInlineSnapshot(`
      "error: nothing can type into this KDE Plasma Wayland session: ydotool, dotool, wtype are not installed
        install it: sudo zypper install ydotool
        ydotool types through /dev/uinput, and its daemon ydotoold must run
        or --type-with clipboard (each turn copied) or --type-with stdout (printed only)
      "
    `);
  });

  it('another Wayland compositor', () => {
    expect(formatNoTypingBackend(none({ WAYLAND_DISPLAY: 'w' }), undefined)).toContain('install it: sudo apt-get install wtype');
  });

  it('no desktop at all (a console, ssh)', () => {
    expect(formatNoTypingBackend(none({}), 'apt-get')).toMatchInlineSnapshot(`
      "error: dictate types into the window that has the keyboard focus, but there is no desktop session here (neither WAYLAND_DISPLAY nor DISPLAY is set)
        run it from your desktop (a shortcut, or a terminal in it), or --type-with stdout to only print the turns
      "
    `);
  });

  it('macOS and Windows (their tools come with the system: no install line)', () => {
    expect(formatNoTypingBackend(none({}, 'darwin'), 'brew')).toBe(
      'error: nothing can type into macOS: osascript is not installed\n  or --type-with clipboard (each turn copied) or --type-with stdout (printed only)\n',
    );
    expect(formatNoTypingBackend(none({}, 'win32'), undefined)).toContain('nothing can type into Windows: powershell.exe is not installed');
  });

  it('--type-with a tool that is missing', () => {
    expect(formatNoTypingBackend(none({ DISPLAY: ':0' }, 'linux', 'dotool'), 'apt-get', 'dotool')).toContain(
      'error: --type-with dotool cannot type here: dotool is not installed\n  install it: sudo apt-get install dotool',
    );
    expect(formatNoTypingBackend(none({ DISPLAY: ':0' }, 'linux', 'clipboard'), 'apt-get', 'clipboard')).toContain(
      'xclip, xsel are not installed\n  install it: sudo apt-get install xclip',
    );
  });

  it('install lines per package manager', () => {
    expect(['apt-get', 'dnf', 'pacman', 'zypper', 'brew', undefined].map((pm) => formatInstallLine('wtype', pm as never))).toEqual([
      'sudo apt-get install wtype',
      'sudo dnf install wtype',
      'sudo pacman -S wtype',
      'sudo zypper install wtype',
      'brew install wtype',
      'sudo apt-get install wtype',
    ]);
  });

  it("doctor's line", () => {
    expect(formatDoctorTyping('x11', 'xdotool')).toBe('xdotool types into this X11 session');
    expect(formatDoctorTyping('wayland-gnome', undefined)).toBe('nothing can type into this GNOME Wayland session');
  });
});
