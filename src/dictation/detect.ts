/**
 * Which backend types in the session the user is in: read from the environment (WAYLAND_DISPLAY, DISPLAY,
 * XDG_SESSION_TYPE, XDG_CURRENT_DESKTOP, the compositor's own variables), then the first candidate whose tool
 * is installed. Pure: `has` says whether a program is on PATH (exec.ts isOnPath in the real program).
 */
import type { NoneFound, SessionKind } from '../core/desktop.js';
import { BACKENDS, CLIPBOARD_TOOLS, clipboardBackend, type Backend, type BackendName, type ClipboardTool } from './backends.js';

export type { NoneFound, SessionKind } from '../core/desktop.js';

export type Env = Readonly<Record<string, string | undefined>>;
export type Has = (command: string) => boolean;

export function detectSession(env: Env, platform: NodeJS.Platform): SessionKind {
  if (platform === 'darwin') return 'macos';
  if (platform === 'win32') return 'windows';
  const wayland = nonEmpty(env.WAYLAND_DISPLAY) || (env.XDG_SESSION_TYPE === 'wayland' && !nonEmpty(env.DISPLAY));
  if (wayland) {
    const desktop = `${env.XDG_CURRENT_DESKTOP ?? ''}:${env.XDG_SESSION_DESKTOP ?? ''}`.toLowerCase();
    if (nonEmpty(env.SWAYSOCK) || nonEmpty(env.HYPRLAND_INSTANCE_SIGNATURE) || /sway|hyprland|river|wayfire|labwc|niri|wlroots/.test(desktop))
      return 'wayland-wlroots';
    if (/gnome|unity|ubuntu|pantheon/.test(desktop)) return 'wayland-gnome';
    if (/kde|plasma/.test(desktop)) return 'wayland-kde';
    return 'wayland-other';
  }
  if (nonEmpty(env.DISPLAY)) return 'x11';
  return 'none';
}

function nonEmpty(v: string | undefined): boolean {
  return v !== undefined && v !== '';
}

/** The backends tried, in order, for each kind of session. GNOME has no virtual-keyboard protocol: uinput tools. */
export const CANDIDATES: Readonly<Record<SessionKind, readonly BackendName[]>> = {
  x11: ['xdotool'],
  'wayland-wlroots': ['wtype', 'ydotool', 'dotool'],
  'wayland-gnome': ['ydotool', 'dotool'],
  'wayland-kde': ['ydotool', 'dotool', 'wtype'],
  'wayland-other': ['wtype', 'ydotool', 'dotool'],
  macos: ['macos-keystroke'],
  windows: ['windows-sendkeys'],
  none: [],
};

/** The clipboard programs of a session, for `clipboard` and for text a backend cannot type. */
export function clipboardToolsOf(kind: SessionKind): readonly ClipboardTool[] {
  if (kind === 'x11') return CLIPBOARD_TOOLS.x11;
  if (kind === 'macos') return CLIPBOARD_TOOLS.macos;
  if (kind === 'windows') return CLIPBOARD_TOOLS.windows;
  if (kind === 'none') return [];
  return CLIPBOARD_TOOLS.wayland;
}

export interface Chosen {
  ok: true;
  session: SessionKind;
  backend: Backend;
  /** How text the backend cannot type gets in: the clipboard program, then the paste keys; undefined: none. */
  clipboard?: ClipboardTool;
}

/** The backend to type with: `requested` (--type-with), else the session's first candidate that is installed. */
export function chooseBackend(env: Env, platform: NodeJS.Platform, has: Has, requested?: BackendName): Chosen | NoneFound {
  const session = detectSession(env, platform);
  const clipboard = clipboardToolsOf(session).find((t) => has(t.command));
  const withClipboard = (backend: Backend): Chosen => ({ ok: true, session, backend, ...(clipboard === undefined ? {} : { clipboard }) });
  if (requested === 'clipboard') {
    if (clipboard === undefined)
      return { ok: false, session, tried: clipboardToolsOf(session).map((t) => t.command), ...installOf(session, 'clipboard') };
    return { ok: true, session, backend: clipboardBackend(clipboard) };
  }
  const names = requested === undefined ? CANDIDATES[session] : [requested];
  for (const name of names) {
    const backend = BACKENDS[name as Exclude<BackendName, 'clipboard'>];
    if (backend.tool === undefined || has(backend.tool)) return withClipboard(backend);
  }
  return {
    ok: false,
    session,
    tried: names.map((n) => BACKENDS[n as Exclude<BackendName, 'clipboard'>].tool ?? n),
    ...installOf(session, requested),
  };
}

/** The Debian package that makes typing work here (render/ words it for the system's package manager). */
function installOf(session: SessionKind, requested: BackendName | undefined): { install?: string } {
  if (requested === 'clipboard') return session === 'x11' ? { install: 'xclip' } : session.startsWith('wayland') ? { install: 'wl-clipboard' } : {};
  if (requested !== undefined) {
    const tool = BACKENDS[requested].tool;
    return tool === undefined || requested.startsWith('macos') || requested.startsWith('windows') ? {} : { install: tool };
  }
  const first = CANDIDATES[session][0];
  if (first === undefined || session === 'macos' || session === 'windows') return {};
  return { install: first };
}
