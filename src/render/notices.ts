/**
 * The warnings and notes config gives about a command line (the model asked for, --format-turns on a model that
 * is always formatted...), as stderr lines before the run (pure). `warning:` in yellow, like the run's own.
 */
import type { Notice } from '../core/types.js';
import { sanitize } from '../core/text.js';

export interface NoticeTheme {
  yellow(text: string): string;
  dim(text: string): string;
}

export function formatNotice(notice: Notice, theme: NoticeTheme): string {
  return notice.kind === 'warning' ? `${theme.yellow('warning:')} ${sanitize(notice.text)}\n` : `${theme.dim('note:')} ${sanitize(notice.text)}\n`;
}
