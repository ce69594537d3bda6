/**
 * The status bar at the bottom of an interactive stderr, redrawn every 125 ms: for a microphone the state,
 * the session clock, the session id and the level meter; for recorded input, the progress through it.
 */
import { formatOffline } from '../render/recovery-messages.js';
import type { ChalkInstance } from 'chalk';
import { formatProgress, formatStatusLine, type SessionState, type StatusLineInput } from '../render/status-line.js';
import type { Terminal } from '../render/terminal.js';

const STATUS_EVERY_MS = 125;

/** What the bar shows, read afresh at every redraw. */
export interface StatusBarView {
  live: boolean;
  label: string;
  durationMs: number | undefined;
  sentMs: number;
  paused: boolean;
  reconnecting: boolean;
  reconnectAttempt: number;
  sessionId: string;
  sessionMs: number;
  levelDbfs: number;
  noSound: boolean;
  /** A run with several sources: each one's level and silence, by label. */
  sources?: readonly { label: string; levelDbfs: number; noSound: boolean }[];
  /** Issue 22: no session since this time (epoch ms), and the audio kept on disk meanwhile. */
  offline?: { sinceMs: number; spooledMs: number; nowMs: number };
}

export interface StatusBar {
  stop(): void;
}

/** The bar's line for this view: plain, or styled with the theme (pure). */
export function formatStatusBar(v: StatusBarView, columns: number, theme?: ChalkInstance): string {
  // Recorded input: where we are in it matters more than its level.
  if (!v.live && !v.paused) return formatProgress(v.label, v.sentMs, v.durationMs);
  const state: SessionState = v.reconnecting ? 'reconnecting' : v.paused ? 'paused' : 'listening';
  const silent = v.sources?.filter((s) => s.noSound).map((s) => s.label);
  const note =
    v.offline !== undefined
      ? formatOffline(v.offline.sinceMs, v.offline.nowMs, v.offline.spooledMs)
      : v.paused
        ? 'p: resume'
        : silent !== undefined && silent.length > 0
          ? `no sound: ${silent.join(', ')}`
          : v.noSound
            ? 'no sound'
            : undefined;
  const input: StatusLineInput = {
    levelDbfs: v.levelDbfs,
    sessionMs: v.sessionMs,
    sessionId: v.sessionId,
    state,
    ...(v.reconnecting ? { reconnectAttempt: v.reconnectAttempt } : {}),
    columns,
    ...(note === undefined ? {} : { note }),
    ...(theme === undefined ? {} : { theme }),
    ...(v.sources === undefined ? {} : { levels: v.sources.map((s) => ({ label: s.label, levelDbfs: s.levelDbfs })) }),
  };
  return formatStatusLine(input);
}

export function startStatusBar(o: { terminal: Terminal; theme: ChalkInstance; columns: () => number; view: () => StatusBarView }): StatusBar {
  const draw = (): void => {
    const v = o.view();
    const columns = o.columns();
    if (!v.live && !v.paused) o.terminal.bar(formatStatusBar(v, columns));
    else o.terminal.bar(formatStatusBar(v, columns), formatStatusBar(v, columns, o.theme));
  };
  draw();
  const timer = setInterval(draw, STATUS_EVERY_MS);
  return {
    stop: () => clearInterval(timer),
  };
}
