/**
 * The set-up the end-to-end files share: a temp folder for a file's fixtures (made once, removed after the
 * file), the spoken fixtures in it (espeak-ng, cached), SoX-made silences and joins, and whatever a test
 * started (fake server, proxy) closed after each test.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { makeSpeechWav } from './audio.js';

const run = promisify(execFile);

export interface TempDir {
  /** The folder (set once the file's beforeAll ran). */
  readonly dir: string;
  /** A path in it. */
  f(name: string): string;
}

/**
 * A temp folder `prefix...` for this test file, made before its tests (then `fill` runs in it, bounded by
 * `timeoutMs`) and removed after them.
 */
export function useTempDir(prefix: string, fill?: (t: TempDir) => Promise<void>, timeoutMs = 60_000): TempDir {
  let dir = '';
  const t: TempDir = {
    get dir() {
      return dir;
    },
    f: (name) => path.join(dir, name),
  };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), prefix));
    await fill?.(t);
  }, timeoutMs);
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });
  return t;
}

/** Spoken fixtures: `{ 'hello.wav': 'hello world' }` -> each file in `t`, 16 kHz mono. */
export async function makeSpeechFixtures(t: TempDir, phrases: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(phrases)) await makeSpeechWav(text, t.f(name));
}

/** `seconds` of digital silence, 16 kHz mono 16-bit, at `out`. */
export async function makeSilenceWav(out: string, seconds: number): Promise<void> {
  await run('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', out, 'trim', '0', String(seconds)]);
}

/** The WAV files one after the other, at `out`. */
export async function joinWavs(parts: readonly string[], out: string): Promise<void> {
  await run('sox', [...parts, out]);
}

/** What a test starts and must end: a server or proxy is closed, a terminal or a running CLI killed. */
type Closable = { close(): Promise<unknown> } | { kill(): unknown };

/**
 * After each test, closes (or kills) what `take` hands over (a test's terminal, server, proxy...), in that order;
 * `take` also forgets them, so the next test starts without: `closeAfterEach(() => { const open = [server]; server = undefined; return open; })`.
 */
export function closeAfterEach(take: () => readonly (Closable | undefined)[]): void {
  afterEach(async () => {
    for (const c of take()) if (c !== undefined) await end(c);
  });
}

/**
 * What each test of a file opens, by name: `const open = openedPerTest<{ server: FakeServer; term: TmuxSession }>()`,
 * then `open.server = await startFakeServer(...)` in a test. After each test, every one set is closed (or killed),
 * the last set first, and forgotten, so the next test starts without.
 */
export function openedPerTest<T extends Record<string, Closable>>(): Partial<T> {
  const open: Partial<T> = {};
  afterEach(async () => {
    const things = (Object.values(open) as (Closable | undefined)[]).reverse();
    for (const key of Object.keys(open)) delete open[key];
    for (const c of things) if (c !== undefined) await end(c);
  });
  return open;
}

async function end(c: Closable): Promise<void> {
  await ('close' in c ? c.close() : c.kill());
}

/**
 * Spoken turns in one file: each phrase (`[file name, text]`, made in `dir`), with `gapSeconds` of digital
 * silence between them, joined at `dir/outName`. Returns its path.
 */
export async function makeSpokenTurns(
  dir: string,
  phrases: readonly (readonly [string, string])[],
  gapSeconds: number,
  outName: string,
): Promise<string> {
  const at = (name: string): string => path.join(dir, name);
  for (const [name, text] of phrases) await makeSpeechWav(text, at(name));
  const gap = at(`gap-${gapSeconds}s.wav`);
  await makeSilenceWav(gap, gapSeconds);
  const parts = phrases.flatMap(([name], i) => (i === 0 ? [at(name)] : [gap, at(name)]));
  await joinWavs(parts, at(outName));
  return at(outName);
}
