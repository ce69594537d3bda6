/** Issue 22: during an outage the status line says for how long, and how much audio is kept on disk. */
import { describe, expect, it } from 'vitest';
import { formatStatusBar, type StatusBarView } from '../../../src/app/status-bar.js';

const view: StatusBarView = {
  live: true,
  label: 'microphone',
  durationMs: undefined,
  sentMs: 60_000,
  paused: false,
  reconnecting: true,
  reconnectAttempt: 4,
  sessionId: 'abcdef12-0000',
  sessionMs: 60_000,
  levelDbfs: -30,
  noSound: false,
};

describe('the status line offline', () => {
  it('says how long the run has been offline and how much is spooled', () => {
    const line = formatStatusBar({ ...view, offline: { sinceMs: 1_000, nowMs: 96_000, spooledMs: 75_000 } }, 160);
    expect(line).toContain('reconnecting 4');
    expect(line).toContain('offline 00:01:35, 00:01:15 kept on disk');
  });
  it('without spooled audio, only for how long', () => {
    expect(formatStatusBar({ ...view, offline: { sinceMs: 0, nowMs: 5_000, spooledMs: 0 } }, 160)).toMatch(/offline 00:00:05$/);
  });
});
