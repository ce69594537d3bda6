/** Where a setting came from, in words: "--api-key", "ASSEMBLYAI_API_KEY", "profile work in /x/config.toml line 9". */
import type { Origin } from '../core/origin.js';

export function formatOrigin(o: Origin): string {
  switch (o.kind) {
    case 'flag':
      return o.flag;
    case 'env':
      return o.variable;
    case 'default':
      return 'the built-in default';
    case 'file': {
      const at = o.line === undefined ? o.file : `${o.file} line ${o.line}`;
      return o.profile === undefined ? at : `profile ${o.profile} in ${at}`;
    }
  }
}

/** A value and where it came from: `meeting.srt (output, from profile meeting in /x/config.toml line 9)`. */
export function formatValueFrom(value: string, key: string, o: Origin): string {
  return o.kind === 'default' ? value : `${value} (${key}, from ${formatOrigin(o)})`;
}

/** doctor's first lines: what it checks and where each came from. */
export function formatDoctorSettings(rows: ReadonlyArray<{ what: string; value: string | undefined; origin: Origin }>): string {
  return rows
    .map((r) => {
      const value = r.value === undefined ? '' : `${r.value} `;
      return r.origin.kind === 'default' ? `${r.what}: ${r.value ?? 'none given'}\n` : `${r.what}: ${value}from ${formatOrigin(r.origin)}\n`;
    })
    .join('');
}

/** A fixed file name from the config file that a previous run already wrote. */
export function formatTakenFromFile(path: string, key: string, o: Origin): { message: string; hint: string } {
  const appendNote = key === 'output' ? ', add `append = true` to keep one growing file,' : '';
  return {
    message: `${formatValueFrom(path, key, o)} already exists`,
    hint: `put the date and time in the name, e.g. ${key} = "${withStamp(path)}", so that each run writes a new file${appendNote} or pass --force to replace it this once`,
  };
}

function withStamp(path: string): string {
  const dot = path.lastIndexOf('.');
  const slash = path.lastIndexOf('/');
  return dot > slash + 1 ? `${path.slice(0, dot)}-{date}-{time}${path.slice(dot)}` : `${path}-{date}-{time}`;
}
