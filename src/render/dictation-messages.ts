/**
 * Every sentence of `live-transcribe dictate` (issue 21): no backend can type here, the one-time clipboard
 * note, the toggle's lines, the desktop notifications, doctor's typing line.
 */
import type { NoneFound, SessionKind } from '../core/desktop.js';

const SESSION_NAMES: Readonly<Record<SessionKind, string>> = {
  x11: 'this X11 session',
  'wayland-wlroots': 'this Wayland session (a wlroots compositor: sway, Hyprland...)',
  'wayland-gnome': 'this GNOME Wayland session',
  'wayland-kde': 'this KDE Plasma Wayland session',
  'wayland-other': 'this Wayland session',
  macos: 'macOS',
  windows: 'Windows',
  none: 'this terminal',
};

export type PackageManager = 'apt-get' | 'dnf' | 'pacman' | 'zypper' | 'brew' | undefined;

/** The install line for a Debian package name, in the words of this system's package manager. */
export function formatInstallLine(pkg: string, pm: PackageManager): string {
  const name = pkg;
  switch (pm) {
    case 'dnf':
      return `sudo dnf install ${name}`;
    case 'pacman':
      return `sudo pacman -S ${name}`;
    case 'zypper':
      return `sudo zypper install ${name}`;
    case 'brew':
      return `brew install ${name}`;
    default:
      return `sudo apt-get install ${name}`;
  }
}

/** Why a session needs what it needs, after the install line. */
const SESSION_ADVICE: Readonly<Record<SessionKind, string>> = {
  x11: '',
  'wayland-wlroots': '',
  'wayland-gnome': '  GNOME has no virtual keyboard for wtype: ydotool types through /dev/uinput, and its daemon ydotoold must run\n',
  'wayland-kde': '  ydotool types through /dev/uinput, and its daemon ydotoold must run\n',
  'wayland-other': '',
  macos: '',
  windows: '',
  none: '',
};

/** Nothing can type: what was looked for, and the one line that fixes it (printed before any session is opened). */
export function formatNoTypingBackend(none: NoneFound, pm: PackageManager, requested?: string): string {
  if (none.session === 'none' && requested === undefined) {
    return (
      'error: dictate types into the window that has the keyboard focus, but there is no desktop session here (neither WAYLAND_DISPLAY nor DISPLAY is set)\n' +
      '  run it from your desktop (a shortcut, or a terminal in it), or --type-with stdout to only print the turns\n'
    );
  }
  const what = requested === undefined ? `nothing can type into ${SESSION_NAMES[none.session]}` : `--type-with ${requested} cannot type here`;
  const tools = none.tried.length === 0 ? '' : `: ${none.tried.join(', ')} ${none.tried.length === 1 ? 'is' : 'are'} not installed`;
  const fix = none.install === undefined ? '' : `  install it: ${formatInstallLine(none.install, pm)}\n`;
  return `error: ${what}${tools}\n${fix}${SESSION_ADVICE[none.session]}  or --type-with clipboard (each turn copied) or --type-with stdout (printed only)\n`;
}

/** Said once, the first time a turn with characters the backend cannot type goes through the clipboard. */
export function formatClipboardNote(backend: string): string {
  return `note: ${backend} types ASCII only; turns with other characters are pasted through the clipboard (it is replaced)\n`;
}

/** Said once, when such a turn cannot be pasted either (no clipboard program): it is typed as well as the tool can. */
export function formatNoClipboardNote(backend: string): string {
  return `note: ${backend} types ASCII only and no clipboard program was found: accents and other characters may come out wrong\n`;
}

/** A typing command failed: the turn is on stdout all the same. */
export function formatTypingFailed(reason: string): string {
  return `warning: a turn could not be typed (${reason}); it is on stdout\n`;
}

export function formatToggleStopping(pid: number): string {
  return `stopping the dictation already running (pid ${pid}); it types its last words first\n`;
}

export function formatToggleStuck(pid: number, seconds: number): string {
  return `error: the dictation running as pid ${pid} did not stop within ${seconds} s\n  stop it with: kill ${pid}\n`;
}

export function formatStaleInstance(pid: number): string {
  return `note: a dictation that ended without cleaning up (pid ${pid}) left its instance file; replaced\n`;
}

/** The instance file's folder cannot be used. */
export function formatInstanceProblem(message: string): string {
  return `error: dictate keeps track of the running dictation in a file, and cannot: ${message}\n`;
}

export function formatAlreadyRunning(pid: number): string {
  return `error: dictation is already running (pid ${pid})\n  stop it with live-transcribe dictate --toggle, or kill ${pid}\n`;
}

/** The notifications: a title and a body. */
export const NOTIFY_STARTED = { title: 'Dictation on', body: 'live-transcribe types what you say into the focused window' } as const;
export const NOTIFY_STOPPED = { title: 'Dictation off', body: 'live-transcribe stopped typing' } as const;
export function notifyFailed(exitCode: number): { title: string; body: string } {
  return { title: 'Dictation stopped', body: `live-transcribe ended with an error (exit code ${exitCode})` };
}

/** The notification of a dictation that cannot start: the first line of its error. */
export function notifyCannotStart(message: string): { title: string; body: string } {
  return { title: 'Dictation could not start', body: (message.split('\n')[0] ?? '').replace(/^error: /, '') };
}

/** doctor's typing line: what would type, and whether it can. */
export function formatDoctorTyping(session: SessionKind, backend: string | undefined): string {
  return backend === undefined ? `nothing can type into ${SESSION_NAMES[session]}` : `${backend} types into ${SESSION_NAMES[session]}`;
}

/** doctor: the typing tool is there but failed its harmless probe. */
export function formatTypingProbeFix(backend: string): string {
  return `run doctor from your desktop session (DISPLAY must name an X server ${backend} may use), or choose another with dictate --type-with`;
}
