import { describe, expect, it } from 'vitest';
import { BACKENDS, CLIPBOARD_TOOLS, clipboardBackend, needsUnicode, sendKeysText } from '../../../src/dictation/backends.js';

const TRICKY = '$(rm -rf ~); `x` -- "q" \'s\' & | ;';

describe('each backend types through argv or stdin, never a shell', () => {
  it.each([
    ['xdotool', [{ command: 'xdotool', args: ['type', '--clearmodifiers', '--delay', '0', '--', 'Hello world.'] }]],
    ['wtype', [{ command: 'wtype', args: ['-s', '100', '--', 'Hello world.'] }]],
    ['ydotool', [{ command: 'ydotool', args: ['type', '--', 'Hello world.'] }]],
    ['dotool', [{ command: 'dotool', args: [], stdin: 'type Hello world.\n' }]],
    [
      'macos-keystroke',
      [
        {
          command: 'osascript',
          args: ['-e', 'on run argv\ntell application "System Events" to keystroke (item 1 of argv)\nend run', '--', 'Hello world.'],
        },
      ],
    ],
    [
      'macos-paste',
      [
        { command: 'pbcopy', args: [], stdin: 'Hello world.' },
        { command: 'osascript', args: ['-e', 'tell application "System Events" to keystroke "v" using command down'] },
      ],
    ],
    ['stdout', []],
  ] as const)('%s', (name, steps) => {
    expect(BACKENDS[name].type('Hello world.')).toEqual(steps);
  });

  it('Windows SendKeys gets the text on stdin, its special characters braced', () => {
    const [step] = BACKENDS['windows-sendkeys'].type('1+1=2 (yes) ~50% {a}');
    expect(step?.command).toBe('powershell.exe');
    expect(step?.stdin).toBe('1{+}1=2 {(}yes{)} {~}50{%} {{}a{}}');
    expect(step?.args.join(' ')).not.toContain('1+1');
    expect(sendKeysText('a\nb')).toBe('a{ENTER}b');
  });

  it('Windows paste: Set-Clipboard from stdin, then Ctrl-V', () => {
    const steps = BACKENDS['windows-paste'].type('héllo');
    expect(steps.map((s) => s.stdin)).toEqual(['héllo', '^v']);
  });

  it('a transcript that looks like a command is one argument (or stdin), whole', () => {
    for (const backend of Object.values(BACKENDS)) {
      const steps = backend.type(TRICKY);
      for (const step of steps) expect(['sh', 'bash', 'cmd.exe', 'cmd']).not.toContain(step.command);
      const carried = steps.filter((step) => step.args.includes(TRICKY) || step.stdin?.includes(TRICKY) || step.stdin === sendKeysText(TRICKY));
      expect(carried, `${backend.name}: ${JSON.stringify(steps)}`).toHaveLength(backend.name === 'stdout' ? 0 : 1);
    }
  });

  it('text that starts with a dash is never an option: it comes after --', () => {
    expect(BACKENDS.xdotool.type('-rf')[0]?.args.slice(-2)).toEqual(['--', '-rf']);
    expect(BACKENDS.wtype.type('-k Return')[0]?.args).toEqual(['-s', '100', '--', '-k Return']);
  });

  it('xdotool types non-ASCII with its default 12 ms between keys (0 drops accents), ASCII at full speed', () => {
    expect(BACKENDS.xdotool.type('grüße')[0]?.args).toEqual(['type', '--clearmodifiers', '--delay', '12', '--', 'grüße']);
  });

  it('dotool: one `type` command per line, Enter between lines', () => {
    expect(BACKENDS.dotool.type('a\nb')[0]?.stdin).toBe('type a\nkey enter\ntype b\n');
  });

  it.each([
    ['xdotool', [{ command: 'xdotool', args: ['key', '--clearmodifiers', 'Return'] }]],
    ['wtype', [{ command: 'wtype', args: ['-s', '100', '-k', 'Return'] }]],
    ['ydotool', [{ command: 'ydotool', args: ['key', '28:1', '28:0'] }]],
    ['dotool', [{ command: 'dotool', args: [], stdin: 'key enter\n' }]],
    ['macos-keystroke', [{ command: 'osascript', args: ['-e', 'tell application "System Events" to key code 36'] }]],
  ] as const)('%s presses Enter', (name, steps) => {
    expect(BACKENDS[name].enterKeys).toEqual(steps);
  });

  it('the clipboard backend copies each turn through the session clipboard program, on stdin', () => {
    expect(clipboardBackend(CLIPBOARD_TOOLS.x11[0]).type('héllo')).toEqual([{ command: 'xclip', args: ['-selection', 'clipboard'], stdin: 'héllo' }]);
    expect(clipboardBackend(CLIPBOARD_TOOLS.wayland[0]).type('x')).toEqual([{ command: 'wl-copy', args: [], stdin: 'x' }]);
  });

  it('which tools type any character', () => {
    expect(
      Object.values(BACKENDS)
        .filter((b) => !b.unicode)
        .map((b) => b.name),
    ).toEqual(['ydotool', 'dotool', 'macos-keystroke']);
    expect(needsUnicode('hello, world!')).toBe(false);
    expect(needsUnicode('café')).toBe(true);
    expect(needsUnicode('🎉')).toBe(true);
  });
});
