/**
 * Date and time placeholders in `output` and `save-audio` (issue 24.2), so that one profile writes a new file
 * every run: `meeting-{date}-{time}.srt` -> meeting-2026-12-06-1430.srt. Local time. A name already taken (two
 * runs within the same minute) gets a counter before the extension: meeting-2026-12-06-1430-2.srt. Pure: the
 * clock and the file system come in as arguments; an unknown placeholder is a UsageError.
 */
import { UsageError } from '../core/errors.js';

/** The placeholders, as the docs and the error list them. */
export const PLACEHOLDERS: Readonly<Record<string, (d: Date) => string>> = {
  date: (d) => `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`,
  time: (d) => `${two(d.getHours())}${two(d.getMinutes())}`,
  datetime: (d) => `${PLACEHOLDERS.date!(d)}-${PLACEHOLDERS.time!(d)}`,
};

const PLACEHOLDER = /\{([^{}]*)\}/g;

function two(n: number): string {
  return String(n).padStart(2, '0');
}

export function hasPlaceholder(template: string): boolean {
  return /\{[^{}]*\}/.test(template);
}

/** `{date}` and friends replaced; `key` names the setting in the error for an unknown one. */
export function expandPlaceholders(template: string, now: Date, key: string): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const fill = PLACEHOLDERS[name];
    if (fill === undefined) {
      throw new UsageError(
        `--${key} ${template}: unknown placeholder ${whole}`,
        `the placeholders are ${Object.keys(PLACEHOLDERS)
          .map((p) => `{${p}}`)
          .join(', ')} (local time)`,
      );
    }
    return fill(now);
  });
}

/**
 * The file name for this run: the template expanded, and when that name is taken (`exists`), the first free
 * one with -2, -3... before the extension. A name without placeholders is returned as it is: an existing
 * file is then refused or appended to as the run asks.
 */
export function expandPathPattern(template: string, now: Date, key: string, exists: (path: string) => boolean): string {
  if (!hasPlaceholder(template)) return template;
  const path = expandPlaceholders(template, now, key);
  if (!exists(path)) return path;
  const dot = path.lastIndexOf('.');
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const [stem, ext] = dot > slash + 1 ? [path.slice(0, dot), path.slice(dot)] : [path, ''];
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}${ext}`;
    if (!exists(candidate)) return candidate;
  }
}
