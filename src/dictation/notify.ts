/**
 * Desktop notifications, for a dictation started from a shortcut (no terminal): notify-send on Linux,
 * osascript on macOS, a PowerShell toast on Windows. The title and body are arguments (or stdin), never a shell.
 */
import type { Step } from './backends.js';

/** The command that shows a notification, or undefined where there is none to use. */
export function notificationStep(title: string, body: string, platform: NodeJS.Platform): Step | undefined {
  if (platform === 'darwin') {
    return {
      command: 'osascript',
      args: ['-e', 'on run argv\ndisplay notification (item 2 of argv) with title (item 1 of argv)\nend run', '--', title, body],
    };
  }
  if (platform === 'win32') {
    // The text on stdin, two lines: title, body; shown as a balloon from the notification area.
    const script =
      '$l=[Console]::In.ReadToEnd() -split "`n",2; Add-Type -AssemblyName System.Windows.Forms; $n=New-Object System.Windows.Forms.NotifyIcon; $n.Icon=[System.Drawing.SystemIcons]::Information; $n.Visible=$true; $n.ShowBalloonTip(3000,$l[0],$l[1],"Info"); Start-Sleep -Seconds 4; $n.Dispose()';
    return { command: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-Command', script], stdin: `${title}\n${body}` };
  }
  return { command: 'notify-send', args: ['--app-name=live-transcribe', '--expire-time=3000', '--', title, body] };
}
