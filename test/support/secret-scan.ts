/**
 * The secret scan: no key the tests give the client may appear in anything the client printed (stdout,
 * stderr, terminal screens) or in any file under the test file's temp root. ./secret-scan-setup.ts runs it after
 * every test (vitest `setupFiles`); the functions here are pure enough to be tested on planted keys
 * (test/integration/secret-scan.test.ts).
 *
 * A hit names where the secret was found (the stream, screen or file, and the byte offset) and which marker
 * (by index and length), never the secret itself nor the text around it.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RecordedOutput } from './cli.js';

export interface SecretHit {
  /** Where: a recorded output's label, or `file <path>`. Markers in it are replaced by [secret]. */
  where: string;
  /** Index of the marker in the list scanned for. */
  marker: number;
  markerLength: number;
  /** Offset of the first occurrence (characters in text, bytes in files). */
  offset: number;
}

/** Replaces every marker in `text` (a label or a path, which might hold one) with [secret]. */
export function redactMarkers(text: string, markers: readonly string[]): string {
  let out = text;
  for (const m of markers) if (m !== '') out = out.split(m).join('[secret]');
  return out;
}

/** Hits of the markers in one recorded output (a screen also with its rows joined); at most one per marker. */
export function scanOutput(output: RecordedOutput, markers: readonly string[]): SecretHit[] {
  const text = output.text();
  const hits: SecretHit[] = [];
  // Also without SGR escapes (a colour change mid-word) and, for a screen, with its rows joined (a wrapped line).
  const plain = text.replace(/\u001b\[[0-9;:]*m/g, '');
  const variants: [string, string][] = [
    [text, ''],
    [plain, ' (colours removed)'],
  ];
  if (output.screen === true) variants.push([plain.replace(/\n/g, ''), ' (rows joined)']);
  markers.forEach((marker, index) => {
    if (marker === '') return;
    for (const [v, how] of variants) {
      const offset = v.indexOf(marker);
      if (offset >= 0) {
        const where = redactMarkers(output.label, markers) + how;
        hits.push({ where, marker: index, markerLength: marker.length, offset });
        break;
      }
    }
  });
  return hits;
}

export function scanOutputs(outputs: readonly RecordedOutput[], markers: readonly string[]): SecretHit[] {
  return outputs.flatMap((o) => scanOutput(o, markers));
}

/** Identity of a file's content as far as stat can tell: unchanged files are not read again. */
type FileStamp = string;

/**
 * Every regular file under `root` (symlinks, sockets and FIFOs are not followed or read), searched as
 * bytes for each marker. `seen` maps paths to the stamp of the version already scanned: a file scanned
 * before and unchanged since is skipped, so a hit is reported by the test during which the file got it.
 * Files and folders that vanish or cannot be read during the walk are skipped.
 */
export async function scanFiles(root: string, markers: readonly string[], seen: Map<string, FileStamp> = new Map()): Promise<SecretHit[]> {
  const needles = markers.map((m) => Buffer.from(m, 'utf8'));
  const hits: SecretHit[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(p);
        continue;
      }
      if (!entry.isFile()) continue;
      let stamp: FileStamp;
      try {
        const st = await lstat(p, { bigint: true });
        if (!st.isFile()) continue;
        stamp = `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
      } catch {
        continue;
      }
      if (seen.get(p) === stamp) continue;
      let data: Buffer;
      try {
        data = await readFile(p);
      } catch {
        continue;
      }
      seen.set(p, stamp);
      needles.forEach((needle, index) => {
        if (needle.length === 0) return;
        const offset = data.indexOf(needle);
        if (offset >= 0) hits.push({ where: `file ${redactMarkers(p, markers)}`, marker: index, markerLength: needle.length, offset });
      });
    }
  };
  await walk(root);
  return hits;
}

/** The failure message for hits: where, which marker, the offset; never the secret. */
export function describeHits(hits: readonly SecretHit[]): string {
  const lines = hits.map((h) => `  - ${h.where}: secret #${h.marker} (${h.markerLength} characters) at offset ${h.offset}`);
  return `secret scan: a key given to the client was found in what the test captured or wrote:\n${lines.join('\n')}`;
}
