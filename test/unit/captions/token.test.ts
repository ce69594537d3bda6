import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { captionsTokenPath, loadOrCreateToken, newToken, sameToken } from '../../../src/captions/token.js';
import { AppError } from '../../../src/core/errors.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-token-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('captionsTokenPath', () => {
  it('is in the state folder of each platform', () => {
    expect(captionsTokenPath({ XDG_STATE_HOME: '/s' }, 'linux', '/home/u')).toBe('/s/live-transcribe/captions-token');
    expect(captionsTokenPath({ XDG_STATE_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.local/state/live-transcribe/captions-token');
    expect(captionsTokenPath({}, 'linux', '/home/u')).toBe('/home/u/.local/state/live-transcribe/captions-token');
    expect(captionsTokenPath({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/live-transcribe/captions-token');
    expect(captionsTokenPath({ LOCALAPPDATA: 'C:\\L' }, 'win32', 'C:\\Users\\u')).toBe('C:\\L\\live-transcribe\\captions-token');
  });
});

describe('loadOrCreateToken', () => {
  it('makes a random token once, readable by the user only, and keeps it', async () => {
    const file = path.join(dir, 'a', 'b', 'captions-token');
    const token = await loadOrCreateToken(file);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateToken(file)).toBe(token);
    expect((await readFile(file, 'utf8')).trim()).toBe(token);
  });

  it('replaces a file that does not hold a token', async () => {
    const file = path.join(dir, 'captions-token');
    await writeFile(file, 'short\n');
    const token = await loadOrCreateToken(file);
    expect(token).not.toBe('short');
    expect(await loadOrCreateToken(file)).toBe(token);
  });

  it('a folder that cannot be written is a clear error naming the file', async () => {
    const ro = path.join(dir, 'ro');
    await writeFile(ro, 'a file, not a folder');
    await chmod(ro, 0o400);
    const file = path.join(ro, 'captions-token');
    await expect(loadOrCreateToken(file)).rejects.toBeInstanceOf(AppError);
    await expect(loadOrCreateToken(file)).rejects.toThrow(`cannot keep the captions token in ${file}`);
  });

  it('new tokens differ, and compare only when equal', () => {
    const a = newToken();
    expect(newToken()).not.toBe(a);
    expect(sameToken(a, a)).toBe(true);
    expect(sameToken(`${a}x`, a)).toBe(false);
    expect(sameToken(a.slice(1), a)).toBe(false);
    expect(sameToken(null, a)).toBe(false);
    expect(sameToken('', a)).toBe(false);
  });
});
