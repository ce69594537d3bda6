/** The desktop session dictation types into, and what it says when nothing can type there (dictation/detect.ts). */

/** The kinds of desktop session, each with its own candidates and its own advice when none is there. */
export type SessionKind = 'x11' | 'wayland-wlroots' | 'wayland-gnome' | 'wayland-kde' | 'wayland-other' | 'macos' | 'windows' | 'none';

export interface NoneFound {
  ok: false;
  session: SessionKind;
  /** What was looked for (the --type-with name, or the session's candidates). */
  tried: readonly string[];
  /** The package to install (Debian names; the command line is made in render/). */
  install?: string;
}
