import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Spool, SpoolFile, spoolDirectory, spoolFileName } from '../../../src/audio/spool.js';
import { parseWav } from '../../support/audio.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-spool-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const pcm = (ms: number, value = 7): Buffer => Buffer.alloc(ms * 32, value);
const format = { sampleRateHz: 16_000, encoding: 'pcm_s16le' as const };

describe('spoolDirectory', () => {
  const base = { platform: 'linux' as const, homedir: '/home/u', tmpdir: '/tmp' };
  it('uses XDG_CACHE_HOME, else ~/.cache, else the temporary folder', () => {
    expect(spoolDirectory({ ...base, env: { XDG_CACHE_HOME: '/c' } })).toBe('/c/live-transcribe/spool');
    expect(spoolDirectory({ ...base, env: { XDG_CACHE_HOME: 'relative' } })).toBe('/home/u/.cache/live-transcribe/spool');
    expect(spoolDirectory({ ...base, env: {} })).toBe('/home/u/.cache/live-transcribe/spool');
    expect(spoolDirectory({ ...base, platform: 'darwin', env: {} })).toBe('/home/u/Library/Caches/live-transcribe/spool');
    expect(spoolDirectory({ ...base, homedir: '', env: {} })).toBe('/tmp/live-transcribe-spool');
  });
  it('names files by start time, source, process and gap', () => {
    expect(spoolFileName(new Date('2026-12-06T10:40:03.250Z'), 'Others (call)', 4711, 2)).toBe('2026-12-06T10-40-03Z-others-call-4711-2.wav');
  });
});

describe('SpoolFile', () => {
  it('is a valid WAV after every append, readable by the user alone in a private folder', async () => {
    const sub = path.join(dir, 'cache', 'spool');
    const f = SpoolFile.create(sub, 'a.wav', format);
    f.append(pcm(100, 1));
    let wav = parseWav(await readFile(f.path));
    expect(wav.pcm.length).toBe(3200);
    f.append(pcm(50, 2));
    wav = parseWav(await readFile(f.path));
    expect(wav).toMatchObject({ sampleRateHz: 16_000, channels: 1, bitsPerSample: 16 });
    expect(wav.pcm.equals(Buffer.concat([pcm(100, 1), pcm(50, 2)]))).toBe(true);
    expect(f.durationMs).toBe(150);
    expect((await stat(f.path)).mode & 0o777).toBe(0o600);
    expect((await stat(sub)).mode & 0o777).toBe(0o700);
    f.remove();
    expect(await readdir(sub)).toEqual([]);
  });

  it('never replaces an existing file', () => {
    SpoolFile.create(dir, 'same.wav', format).close();
    expect(() => SpoolFile.create(dir, 'same.wav', format)).toThrow(/EEXIST/);
  });
});

describe('Spool', () => {
  it('keeps one file per gap and stops at the limit, keeping the first part', async () => {
    const s = new Spool({ dir, format, label: 'microphone', limitMs: 300, pid: 1 });
    const t0 = new Date('2026-12-06T10:00:00Z');
    expect(s.append(pcm(200, 1), t0)).toBe('ok');
    const first = s.endGap();
    expect(s.append(pcm(80, 2), new Date('2026-12-06T10:05:00Z'))).toBe('ok');
    expect(s.append(pcm(80, 3), t0)).toBe('full');
    expect(s.append(pcm(80, 4), t0)).toBeUndefined(); // said once
    expect(s.isFull).toBe(true);
    expect(s.spooledMs).toBe(300);
    s.close();
    expect(s.files.map((f) => path.basename(f.path))).toEqual(['2026-12-06T10-00-00Z-microphone-1-1.wav', '2026-12-06T10-05-00Z-microphone-1-2.wav']);
    expect(parseWav(await readFile(first!.path)).pcm.length).toBe(6400);
    const second = parseWav(await readFile(s.files[1]!.path)).pcm;
    expect(second.equals(Buffer.concat([pcm(80, 2), pcm(20, 3)]))).toBe(true);
  });
});
