/**
 * The typing backends, each a pure function from a final turn's text to the commands that type it: argv and
 * standard input, never a shell, so nothing in a transcript can run a command (the text is an argument after
 * `--`, or on standard input). `unicode`: the tool types any character (accents, emoji, CJK); a tool that
 * cannot gets such text through the clipboard and a paste keystroke instead (`pasteKeys`).
 */

/** One command to run: no shell; `stdin` is written to its standard input and closed. */
export interface Step {
  command: string;
  args: string[];
  stdin?: string;
}

export const BACKEND_NAMES = [
  'xdotool',
  'wtype',
  'ydotool',
  'dotool',
  'macos-keystroke',
  'macos-paste',
  'windows-sendkeys',
  'windows-paste',
  'clipboard',
  'stdout',
] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface Backend {
  name: BackendName;
  /** The program that must be on PATH for it to work (undefined: none, `stdout`). */
  tool?: string;
  /** Types any Unicode text as it is. */
  unicode: boolean;
  /** The commands that type `text`; `bound`: its non-ASCII characters are bound to keys already (x11-keymap.ts). */
  type(text: string, o?: { bound?: boolean }): Step[];
  /** The commands that press Enter. */
  enterKeys: Step[];
  /** The keystroke that pastes the clipboard, for text this tool cannot type (after `clipboardSteps`). */
  pasteKeys?: Step[];
}

const X_ENTER: Step = { command: 'xdotool', args: ['key', '--clearmodifiers', 'Return'] };

/**
 * X11: xdotool types any character: those missing from the keymap through a spare keycode it rebinds for
 * each one, which loses characters under load (x11-keymap.ts binds them beforehand instead). Such a rebinding
 * needs at least its default 12 ms between keys; otherwise it goes at full speed.
 */
const xdotool: Backend = {
  name: 'xdotool',
  tool: 'xdotool',
  unicode: true,
  type: (text, o) => [
    { command: 'xdotool', args: ['type', '--clearmodifiers', '--delay', needsUnicode(text) && o?.bound !== true ? '12' : '0', '--', text] },
  ],
  enterKeys: [X_ENTER],
  pasteKeys: [{ command: 'xdotool', args: ['key', '--clearmodifiers', 'ctrl+v'] }],
};

/**
 * Wayland (wlroots compositors: sway, Hyprland, river...): the virtual-keyboard protocol; any character.
 * `-s 100`: a pause after wtype sets up its virtual keyboard and keymap; without it the first key was lost
 * about one time in three (sway and foot, headless), and with 20 ms still under heavy load (a known wtype
 * problem, atx/wtype#46; other dictation tools wait 200 ms).
 */
const wtype: Backend = {
  name: 'wtype',
  tool: 'wtype',
  unicode: true,
  type: (text) => [{ command: 'wtype', args: ['-s', '100', '--', text] }],
  enterKeys: [{ command: 'wtype', args: ['-s', '100', '-k', 'Return'] }],
  pasteKeys: [{ command: 'wtype', args: ['-s', '100', '-M', 'ctrl', 'v', '-m', 'ctrl'] }],
};

// Linux input-event key codes (ydotool speaks them): 28 Enter, 29 left Ctrl, 47 V.
/** Any Wayland compositor (GNOME, KDE): a uinput device through ydotoold; US-layout keys, so ASCII only. */
const ydotool: Backend = {
  name: 'ydotool',
  tool: 'ydotool',
  unicode: false,
  type: (text) => [{ command: 'ydotool', args: ['type', '--', text] }],
  enterKeys: [{ command: 'ydotool', args: ['key', '28:1', '28:0'] }],
  pasteKeys: [{ command: 'ydotool', args: ['key', '29:1', '47:1', '47:0', '29:0'] }],
};

/** Any Wayland compositor: uinput, its commands on standard input (one a line, so a line break ends one). */
const dotool: Backend = {
  name: 'dotool',
  tool: 'dotool',
  unicode: false,
  type: (text) => [{ command: 'dotool', args: [], stdin: dotoolLines(text) }],
  enterKeys: [{ command: 'dotool', args: [], stdin: 'key enter\n' }],
  pasteKeys: [{ command: 'dotool', args: [], stdin: 'key ctrl+v\n' }],
};

/** `type` per line of the text, `key enter` between lines: a line break inside a command would end it. */
function dotoolLines(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '' : `type ${line}\n`))
    .join('key enter\n');
}

// The text is the script's argument (`on run argv`), never part of the script.
const KEYSTROKE_SCRIPT = 'on run argv\ntell application "System Events" to keystroke (item 1 of argv)\nend run';
const MAC_ENTER: Step = { command: 'osascript', args: ['-e', 'tell application "System Events" to key code 36'] };
const MAC_PASTE: Step = { command: 'osascript', args: ['-e', 'tell application "System Events" to keystroke "v" using command down'] };

/** macOS: System Events keystrokes (needs the Accessibility permission); reliable for ASCII. */
const macosKeystroke: Backend = {
  name: 'macos-keystroke',
  tool: 'osascript',
  unicode: false,
  type: (text) => [{ command: 'osascript', args: ['-e', KEYSTROKE_SCRIPT, '--', text] }],
  enterKeys: [MAC_ENTER],
  pasteKeys: [MAC_PASTE],
};

/** macOS: the clipboard and Cmd-V: any character, but the clipboard is replaced. */
const macosPaste: Backend = {
  name: 'macos-paste',
  tool: 'pbcopy',
  unicode: true,
  type: (text) => [{ command: 'pbcopy', args: [], stdin: text }, MAC_PASTE],
  enterKeys: [MAC_ENTER],
};

// The text arrives on standard input as UTF-8; SendKeys reads + ^ % ~ ( ) { } [ ] as keys, so they are braced.
const POWERSHELL = ['-NoProfile', '-NonInteractive', '-Command'];
const SENDKEYS_SCRIPT =
  '[Console]::InputEncoding=[Text.Encoding]::UTF8; Add-Type -AssemblyName System.Windows.Forms; [System.Windows.Forms.SendKeys]::SendWait([Console]::In.ReadToEnd())';
const SET_CLIPBOARD = '[Console]::InputEncoding=[Text.Encoding]::UTF8; Set-Clipboard -Value ([Console]::In.ReadToEnd())';
const WIN_PASTE: Step = { command: 'powershell.exe', args: [...POWERSHELL, SENDKEYS_SCRIPT], stdin: '^v' };

/** Text as SendKeys reads it: its special characters braced, a line break as {ENTER}. */
export function sendKeysText(text: string): string {
  return text.replace(/[+^%~(){}[\]]/g, '{$&}').replace(/\r?\n/g, '{ENTER}');
}

/** Windows: SendKeys through PowerShell; any character. */
const windowsSendKeys: Backend = {
  name: 'windows-sendkeys',
  tool: 'powershell.exe',
  unicode: true,
  type: (text) => [{ command: 'powershell.exe', args: [...POWERSHELL, SENDKEYS_SCRIPT], stdin: sendKeysText(text) }],
  enterKeys: [{ ...WIN_PASTE, stdin: '{ENTER}' }],
};

/** Windows: the clipboard (Set-Clipboard, UTF-8 from standard input) and Ctrl-V. */
const windowsPaste: Backend = {
  name: 'windows-paste',
  tool: 'powershell.exe',
  unicode: true,
  type: (text) => [{ command: 'powershell.exe', args: [...POWERSHELL, SET_CLIPBOARD], stdin: text }, WIN_PASTE],
  enterKeys: [{ ...WIN_PASTE, stdin: '{ENTER}' }],
};

/** Copies each turn to the clipboard (the user pastes): `tool` is the clipboard program of the session. */
export function clipboardBackend(tool: ClipboardTool): Backend {
  return {
    name: 'clipboard',
    tool: tool.command,
    unicode: true,
    type: (text) => [{ command: tool.command, args: [...tool.args], stdin: text }],
    enterKeys: [],
  };
}

/** Writes nothing anywhere but stdout, which a normal run does anyway. */
const stdoutBackend: Backend = { name: 'stdout', unicode: true, type: () => [], enterKeys: [] };

export type ClipboardTool = { command: string; args: readonly string[] };

/** The clipboard programs, by the session they serve; each reads the text on standard input. */
export const CLIPBOARD_TOOLS = {
  wayland: [{ command: 'wl-copy', args: [] }],
  x11: [
    { command: 'xclip', args: ['-selection', 'clipboard'] },
    { command: 'xsel', args: ['--clipboard', '--input'] },
  ],
  macos: [{ command: 'pbcopy', args: [] }],
  // clip.exe reads the console code page, not UTF-8: Set-Clipboard first.
  windows: [
    { command: 'powershell.exe', args: [...POWERSHELL, SET_CLIPBOARD] },
    { command: 'clip.exe', args: [] },
  ],
} as const satisfies Record<string, readonly ClipboardTool[]>;

export const BACKENDS: Readonly<Record<Exclude<BackendName, 'clipboard'>, Backend>> = {
  xdotool,
  wtype,
  ydotool,
  dotool,
  'macos-keystroke': macosKeystroke,
  'macos-paste': macosPaste,
  'windows-sendkeys': windowsSendKeys,
  'windows-paste': windowsPaste,
  stdout: stdoutBackend,
};

/** Whether the text has a character outside ASCII (a tool without `unicode` cannot type it). */
export function needsUnicode(text: string): boolean {
  return /[^\x00-\x7f]/.test(text);
}
