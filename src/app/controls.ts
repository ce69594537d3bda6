/**
 * What a person at a terminal has while a run streams: the keys (Enter ends the turn, p pauses, q stops,
 * Ctrl+C in raw mode) and the status bar. Neither exists in a pipe, with --quiet, or when standard input
 * carries the audio.
 */
import type { ChalkInstance } from 'chalk';
import { startKeyboard, type KeyboardInput, type Keyboard } from '../input/keys.js';
import type { Terminal } from '../render/terminal.js';
import type { Channel } from './channel.js';
import type { OutStream } from './io.js';
import { startStatusBar, type StatusBar } from './status-bar.js';

export interface ControlsOptions {
  channel: Channel;
  /** Keys are read from this stream, if given. */
  keys: KeyboardInput | undefined;
  onQuit: () => void;
  onInterrupt: () => void;
  /** The status bar is drawn, if given. */
  bar: { terminal: Terminal; theme: ChalkInstance; stderr: OutStream } | undefined;
}

export interface Controls {
  stop(): void;
}

export function startControls(o: ControlsOptions): Controls {
  const { channel, bar } = o;
  const keyboard: Keyboard | undefined =
    o.keys === undefined
      ? undefined
      : startKeyboard(o.keys, {
          onEnter: () => channel.connection.forceEndpoint(),
          onPause: () => channel.togglePause(),
          onQuit: o.onQuit,
          onInterrupt: o.onInterrupt,
        });
  const statusBar: StatusBar | undefined =
    bar === undefined ? undefined : startStatusBar({ terminal: bar.terminal, theme: bar.theme, columns: () => bar.stderr.columns ?? 80, view: () => channel.view() });
  return {
    stop() {
      statusBar?.stop();
      keyboard?.stop();
    },
  };
}
