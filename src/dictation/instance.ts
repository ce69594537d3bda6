/**
 * The one dictation per user: an instance file in the user's runtime directory (XDG_RUNTIME_DIR, else a
 * private folder in the temp directory) holding the running instance's pid and a nonce. It is created whole
 * and exclusively (written aside, then hard-linked into place, which fails if it exists), so of two presses
 * at once exactly one starts; the other finds it, complete. The file of a process that is gone is stale.
 */
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export interface InstanceRecord {
  pid: number;
  nonce: string;
  startedAt: string;
}

export interface InstanceDeps {
  /** Whether a process with this pid is a running live-transcribe (kill -0, and its command line where /proc has it). */
  isAlive(pid: number): Promise<boolean>;
}

export type Claim =
  | { kind: 'claimed'; record: InstanceRecord; path: string; replacedStale?: number }
  | { kind: 'running'; record: InstanceRecord; path: string };

const FILE_NAME = 'live-transcribe-dictate.json';

/** The instance file's path: XDG_RUNTIME_DIR (per user, mode 700), else a folder of our own in the temp directory. */
export function instancePath(env: Readonly<Record<string, string | undefined>>, user: { uid: number; tmpdir: string }): string {
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime !== undefined && runtime !== '' && isDirectory(runtime)) return join(runtime, FILE_NAME);
  const dir = join(user.tmpdir, `live-transcribe-${user.uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A shared temp directory: a folder of that name made by someone else is not ours to trust.
  const owner = statSync(dir).uid;
  if (user.uid >= 0 && owner !== user.uid)
    throw new Error(`${dir} belongs to another user (uid ${owner}): set XDG_RUNTIME_DIR to a folder of your own`);
  return join(dir, FILE_NAME);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function readInstance(path: string): InstanceRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<InstanceRecord>;
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0 || typeof parsed.nonce !== 'string') return undefined;
    return { pid: parsed.pid, nonce: parsed.nonce, startedAt: String(parsed.startedAt ?? '') };
  } catch {
    return undefined;
  }
}

/** Creates the file with `record` in it, or fails with EEXIST: written aside, then linked into place. */
function createExclusive(path: string, record: InstanceRecord): boolean {
  const aside = `${path}.${record.pid}.${record.nonce}.tmp`;
  writeFileSync(aside, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  try {
    linkSync(aside, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(aside);
  }
}

/**
 * Claims the instance file for `pid`, or finds the running instance. A file whose process is gone (or that
 * cannot be read) is removed and the claim tried again, a bounded number of times (another press may win).
 */
export async function claimInstance(path: string, pid: number, deps: InstanceDeps, now: Date = new Date()): Promise<Claim> {
  const record: InstanceRecord = { pid, nonce: randomBytes(8).toString('hex'), startedAt: now.toISOString() };
  let replacedStale: number | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createExclusive(path, record)) {
      // A stop request left over from an instance before ours (it cannot name our new nonce).
      removeQuietly(`${path}.stop`);
      return { kind: 'claimed', record, path, ...(replacedStale === undefined ? {} : { replacedStale }) };
    }
    const found = readInstance(path);
    if (found !== undefined && found.pid !== pid && (await deps.isAlive(found.pid))) return { kind: 'running', record: found, path };
    // Stale: remove it only if it is still the same file (another press may have replaced it meanwhile).
    if (sameRecord(readInstance(path), found)) {
      removeQuietly(path);
      if (found !== undefined) replacedStale = found.pid;
    }
  }
  throw new Error(`could not create ${path}: it keeps reappearing`);
}

function sameRecord(a: InstanceRecord | undefined, b: InstanceRecord | undefined): boolean {
  return a?.pid === b?.pid && a?.nonce === b?.nonce;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Removes the file (and a stop request naming it) if it is still ours (a stale-file cleaner may have replaced it). */
export function releaseInstance(path: string, record: InstanceRecord): void {
  if (stopRequested(path, record)) removeQuietly(`${path}.stop`);
  if (sameRecord(readInstance(path), record)) removeQuietly(path);
}

/**
 * Asks the instance in `record` to stop through a file beside its instance file, which stays until it has
 * exited: Windows needs it (a console process gets no SIGTERM, and taskkill without /F cannot stop it
 * gracefully), and everywhere it tells a third press that a stop is under way (a second SIGTERM would force it).
 */
export function requestStopByFile(path: string, record: InstanceRecord): void {
  writeFileSync(`${path}.stop`, record.nonce, { mode: 0o600 });
}

/** Whether a stop was asked of the instance in `record` already. */
export function stopRequested(path: string, record: InstanceRecord): boolean {
  try {
    return readFileSync(`${path}.stop`, 'utf8').trim() === record.nonce;
  } catch {
    return false;
  }
}

/** Calls `onStop` once the stop file names this instance; checked every `intervalMs`. Returns the canceller. */
export function watchStopFile(path: string, record: InstanceRecord, onStop: () => void, intervalMs = 250): () => void {
  const timer = setInterval(() => {
    if (!stopRequested(path, record)) return;
    clearInterval(timer);
    onStop();
  }, intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
