/**
 * The sound server's default recording source (PulseAudio / PipeWire), the device a microphone without
 * --device records: needed to see that a meeting would record one device twice (issue 24.9). Never rejects;
 * undefined when it cannot be told (no pactl, another platform).
 */
import type { Exec } from '../system/exec.js';

const PACTL_ENV = { LC_ALL: 'C' };
const TIMEOUT_MS = 3000;

/** "Default Source: NAME" from `pactl info`, or undefined. */
export function parsePactlDefaultSource(info: string): string | undefined {
  const name = /^Default Source: (.+)$/m.exec(info)?.[1]?.trim();
  return name === undefined || name === '' || name === '@DEFAULT_SOURCE@' ? undefined : name;
}

export async function defaultSourceName(o: {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  exec: Exec;
}): Promise<string | undefined> {
  if (o.platform === 'darwin' || o.platform === 'win32') return undefined;
  const run = (args: string[]) => o.exec('pactl', args, { env: { ...o.env, ...PACTL_ENV }, timeoutMs: TIMEOUT_MS });
  const direct = await run(['get-default-source']);
  const name = direct.code === 0 ? direct.stdout.trim() : '';
  if (name !== '' && name !== '@DEFAULT_SOURCE@' && !name.includes('\n')) return name;
  const info = await run(['info']);
  return info.code === 0 ? parsePactlDefaultSource(info.stdout) : undefined;
}

/**
 * The first device two sources would both record, with the two labels, or undefined. `devices[i]` is what
 * source i records (undefined: the default source, `defaultSource` when known).
 */
export function sameDeviceTwice(
  sources: readonly { label: string; device: string | undefined }[],
  defaultSource: string | undefined,
): { device: string; labels: [string, string] } | undefined {
  const seen = new Map<string, string>();
  for (const s of sources) {
    const name = s.device ?? defaultSource;
    if (name === undefined) continue;
    const before = seen.get(name);
    if (before !== undefined) return { device: name, labels: [before, s.label] };
    seen.set(name, s.label);
  }
  return undefined;
}
