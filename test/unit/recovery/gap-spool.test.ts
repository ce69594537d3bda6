/** A source's gaps on disk (issue 22): `hasRoom` says whether the connection may keep trying without a limit. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGapSpool } from '../../../src/recovery/gap-spool.js';

const FRAME_MS = 50;
const frame = (): Buffer => Buffer.alloc(1600); // 50 ms at 16 kHz, 16-bit
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-gap-spool-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function spool(limitMs: number, spoolDir = dir) {
  const said: string[] = [];
  const s = createGapSpool({
    dir: spoolDir,
    format: { sampleRateHz: 16_000, encoding: 'pcm_s16le' },
    label: 'microphone',
    limitMs,
    pid: 1,
    frameMs: FRAME_MS,
    offsetMs: () => 0,
    now: () => Date.UTC(2026, 11, 6),
    onFull: () => said.push('full'),
    onError: () => said.push('error'),
  });
  return { s, said };
}

describe('createGapSpool: hasRoom', () => {
  it('stays true until the limit is reached, then false (said once)', () => {
    const { s, said } = spool(200);
    expect(s.hasRoom).toBe(true);
    s.lost([frame(), frame(), frame()], 0);
    expect(s.hasRoom).toBe(true);
    s.lost([frame(), frame()], 3);
    expect(s.hasRoom).toBe(false);
    expect(s.spooledMs).toBe(200);
    expect(said).toEqual(['full']);
    s.close();
  });

  it('is false once a write failed (the folder cannot be made: a file is in the way)', async () => {
    const inTheWay = path.join(dir, 'not-a-folder');
    await writeFile(inTheWay, 'x');
    const { s, said } = spool(60_000, path.join(inTheWay, 'spool'));
    s.lost([frame()], 0);
    expect(said).toEqual(['error']);
    expect(s.hasRoom).toBe(false);
  });
});
