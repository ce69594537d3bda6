import { describe, expect, it } from 'vitest';
import { notificationStep } from '../../../src/dictation/notify.js';

describe('desktop notifications: title and body as arguments or stdin, never a shell', () => {
  it('Linux: notify-send', () => {
    expect(notificationStep('Dictation on', 'body $(x)', 'linux')).toEqual({
      command: 'notify-send',
      args: ['--app-name=live-transcribe', '--expire-time=3000', '--', 'Dictation on', 'body $(x)'],
    });
  });

  it('macOS: display notification, with the texts as the script arguments', () => {
    const step = notificationStep('Dictation on', 'say "hi"', 'darwin');
    expect(step?.command).toBe('osascript');
    expect(step?.args.slice(-3)).toEqual(['--', 'Dictation on', 'say "hi"']);
    expect(step?.args[1]).toContain('display notification (item 2 of argv) with title (item 1 of argv)');
  });

  it('Windows: a balloon from PowerShell, the texts on stdin', () => {
    const step = notificationStep('Dictation on', 'body', 'win32');
    expect(step?.command).toBe('powershell.exe');
    expect(step?.stdin).toBe('Dictation on\nbody');
    expect(step?.args.join(' ')).not.toContain('Dictation on');
  });
});
