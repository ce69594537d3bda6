/**
 * What a person at a terminal has while a run streams: the keys (Enter ends the turn, p pauses, q stops,
 * Ctrl+C in raw mode) and the status bar. Neither exists in a pipe, with --quiet, or when standard input
 * carries the audio.
 */
import type { ChalkInstance } from 'chalk';
import { startKeyboard, type KeyboardInput, type Keyboard } from '../system/keys.js';
import type { Terminal } from '../render/terminal.js';
import { formatPauseToggled } from '../render/messages.js';
import type { QuestionPrompt } from '../notes/question.js';
import type { Channel } from './channel.js';
import type { OutStream } from './io.js';
import { startStatusBar, type StatusBar, type StatusBarView } from './status-bar.js';

export interface ControlsOptions {
  /** Every source of the run: Enter and p act on all of them. */
  channels: readonly Channel[];
  /** What the bar shows. */
  view: () => StatusBarView;
  /** Says that the run paused or resumed (once for all the sources). */
  info: (text: string) => void;
  /** Keys are read from this stream, if given. */
  keys: KeyboardInput | undefined;
  onQuit: () => void;
  onInterrupt: () => void;
  /** The status bar is drawn, if given. */
  bar: { terminal: Terminal; theme: ChalkInstance; stderr: OutStream } | undefined;
  /** Issue 23: the ? key's prompt (it has the bar's row while a question is typed). */
  question?: QuestionPrompt | undefined;
}

export interface Controls {
  stop(): void;
}

export function startControls(o: ControlsOptions): Controls {
  const { channels, bar } = o;
  const togglePause = (): void => {
    const [first, ...rest] = channels;
    if (first === undefined) return;
    if (rest.length === 0) {
      first.togglePause();
      return;
    }
    const paused = first.togglePause(true);
    // All sources pause together: one that is out of step follows the first.
    for (const ch of rest) if (ch.path.paused !== paused) ch.togglePause(true);
    o.info(formatPauseToggled(paused));
  };
  const keyboard: Keyboard | undefined =
    o.keys === undefined
      ? undefined
      : startKeyboard(o.keys, {
          onEnter: () => {
            for (const ch of channels) ch.connection.forceEndpoint();
          },
          onPause: togglePause,
          onQuit: o.onQuit,
          onInterrupt: o.onInterrupt,
          onAsk: () => o.question?.open({ divert: (l) => keyboard?.divert(l) }),
        });
  // While a question is typed, its prompt has the bar's row.
  const barTerminal = (t: Terminal): Terminal => ({ ...t, bar: (text, styled) => (o.question?.typing === true ? undefined : t.bar(text, styled)) });
  const statusBar: StatusBar | undefined =
    bar === undefined
      ? undefined
      : startStatusBar({ terminal: barTerminal(bar.terminal), theme: bar.theme, columns: () => bar.stderr.columns ?? 80, view: o.view });
  return {
    stop() {
      o.question?.stop();
      statusBar?.stop();
      keyboard?.stop();
    },
  };
}
