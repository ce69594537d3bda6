import { stripVTControlCharacters } from 'node:util';
import { Chalk } from 'chalk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatStatusBar, startStatusBar, type StatusBarView } from '../../../src/app/status-bar.js';
import type { Terminal } from '../../../src/render/terminal.js';

const live: StatusBarView = {
  live: true,
  label: 'the default microphone',
  durationMs: undefined,
  sentMs: 65_000,
  paused: false,
  reconnecting: false,
  reconnectAttempt: 0,
  sessionId: '9f3c1a2b-77aa-4e1c-8d2f-0123456789ab',
  sessionMs: 65_400,
  levelDbfs: -23,
  noSound: false,
};
const recorded: StatusBarView = { ...live, live: false, label: 'talk.wav', durationMs: 90_000, sentMs: 12_000 };

afterEach(() => {
  vi.useRealTimers();
});

describe('formatStatusBar', () => {
  it('recorded input: the progress through it', () => {
    expect(formatStatusBar(recorded, 80)).toBe('▶ talk.wav 00:00:12 / 00:01:30 (13%)');
  });

  it('recorded input of unknown length (standard input): the position only', () => {
    expect(formatStatusBar({ ...recorded, label: 'standard input', durationMs: undefined }, 80)).toBe('▶ standard input 00:00:12');
  });

  it('live, listening: state, session clock, short id, meter', () => {
    expect(formatStatusBar(live, 80)).toMatchInlineSnapshot(`"● 00:01:05 · 9f3c1a · ▁▂▃▄▅··· -23 dBFS"`);
  });

  it('live, paused: the paused state and the note "p: resume"', () => {
    const line = formatStatusBar({ ...live, paused: true }, 80);
    expect(line).toMatchInlineSnapshot(`"‖ paused · 00:01:05 · 9f3c1a · ▁▂▃▄▅··· -23 dBFS · p: resume"`);
    expect(line.endsWith('p: resume')).toBe(true);
  });

  it('recorded, paused: the status line rather than the progress', () => {
    const line = formatStatusBar({ ...recorded, paused: true }, 80);
    expect(line).toContain('paused');
    expect(line.endsWith('p: resume')).toBe(true);
    expect(line).not.toContain('talk.wav');
  });

  it('reconnecting: the attempt number', () => {
    expect(formatStatusBar({ ...live, reconnecting: true, reconnectAttempt: 2 }, 80)).toMatchInlineSnapshot(
      `"↻ reconnecting 2 · 00:01:05 · 9f3c1a · ▁▂▃▄▅··· -23 dBFS"`,
    );
  });

  it('no sound: the note "no sound"', () => {
    const line = formatStatusBar({ ...live, noSound: true, levelDbfs: -Infinity }, 80);
    expect(line).toMatchInlineSnapshot(`"● 00:01:05 · 9f3c1a · ········ -inf dBFS · no sound"`);
    expect(line.endsWith('no sound')).toBe(true);
  });

  it('paused and no sound: "p: resume" wins', () => {
    const line = formatStatusBar({ ...live, paused: true, noSound: true }, 80);
    expect(line.endsWith('p: resume')).toBe(true);
    expect(line).not.toContain('no sound');
  });

  it('with a theme: the same text, coloured', () => {
    const theme = new Chalk({ level: 1 });
    const view = { ...live, paused: true };
    const styled = formatStatusBar(view, 80, theme);
    expect(styled).not.toBe(formatStatusBar(view, 80));
    expect(stripVTControlCharacters(styled)).toBe(formatStatusBar(view, 80));
  });

  it('keeps to columns - 1 on a narrow terminal', () => {
    for (const columns of [10, 20, 30, 40]) {
      expect([...formatStatusBar({ ...live, paused: true }, columns)].length).toBeLessThanOrEqual(columns - 1);
    }
  });
});

describe('startStatusBar', () => {
  it('draws at once and every 125 ms until stopped; live views get a styled copy', async () => {
    vi.useFakeTimers();
    const bars: { text: string; styled: string | undefined }[] = [];
    const terminal = { bar: (text: string, styled?: string) => void bars.push({ text, styled }) } as unknown as Terminal;
    let view = live;
    const bar = startStatusBar({ terminal, theme: new Chalk({ level: 1 }), columns: () => 80, view: () => view });
    expect(bars).toHaveLength(1);
    expect(bars[0]?.text).toBe(formatStatusBar(live, 80));
    expect(bars[0]?.styled).toBe(formatStatusBar(live, 80, new Chalk({ level: 1 })));
    view = recorded;
    await vi.advanceTimersByTimeAsync(125);
    expect(bars).toHaveLength(2);
    expect(bars[1]).toEqual({ text: '▶ talk.wav 00:00:12 / 00:01:30 (13%)', styled: undefined });
    bar.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(bars).toHaveLength(2);
  });
});

describe('formatStatusBar with several sources (issue 13)', () => {
  it('shows a level per source, and names the silent microphone', () => {
    const v: StatusBarView = {
      ...live,
      sources: [
        { label: 'You', levelDbfs: -20, noSound: true },
        { label: 'Others', levelDbfs: -Infinity, noSound: false },
      ],
    };
    const line = formatStatusBar(v, 120);
    expect(line).toMatch(/You ▁▂▃▄▅▆·· -20 dBFS {2}Others ········ -inf dBFS · no sound: You$/);
    expect(formatStatusBar(live, 120)).not.toMatch(/You|Others/);
  });
});
