import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  claimInstance,
  instancePath,
  readInstance,
  releaseInstance,
  requestStopByFile,
  stopRequested,
  watchStopFile,
} from '../../../src/dictation/instance.js';
import { waitUntil } from '../../support/wait.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-instance-'));
  file = path.join(dir, 'live-transcribe-dictate.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const aliveSet = (...pids: number[]) => ({ isAlive: async (pid: number) => pids.includes(pid) });

describe('the instance file', () => {
  it('lives in XDG_RUNTIME_DIR, else in a private folder of the temp directory', () => {
    expect(instancePath({ XDG_RUNTIME_DIR: dir }, { uid: 1000, tmpdir: '/nonexistent' })).toBe(file);
    const uid = statSync(dir).uid;
    const fallback = instancePath({ XDG_RUNTIME_DIR: path.join(dir, 'missing') }, { uid, tmpdir: dir });
    expect(fallback).toBe(path.join(dir, `live-transcribe-${uid}`, 'live-transcribe-dictate.json'));
    expect(statSync(path.dirname(fallback)).mode & 0o777).toBe(0o700);
  });

  it('refuses a folder of that name made by another user in a shared temp directory', () => {
    const uid = statSync(dir).uid + 1;
    mkdirSync(path.join(dir, `live-transcribe-${uid}`));
    expect(() => instancePath({}, { uid, tmpdir: dir })).toThrow(/belongs to another user .*set XDG_RUNTIME_DIR/);
  });

  it('is claimed whole (pid, nonce) and released only by its owner', async () => {
    const claim = await claimInstance(file, 100, aliveSet());
    expect(claim).toMatchObject({ kind: 'claimed', record: { pid: 100 } });
    expect(readInstance(file)).toEqual(claim.record);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    releaseInstance(file, { ...claim.record, nonce: 'someone-else' });
    expect(existsSync(file)).toBe(true);
    releaseInstance(file, claim.record);
    expect(existsSync(file)).toBe(false);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a live instance is found, not replaced', async () => {
    const first = await claimInstance(file, 100, aliveSet(100));
    const second = await claimInstance(file, 200, aliveSet(100));
    expect(second).toEqual({ kind: 'running', record: first.record, path: file });
  });

  it('the file of a process that is gone is stale: replaced, and said so', async () => {
    await writeFile(file, JSON.stringify({ pid: 99, nonce: 'old', startedAt: '' }));
    const claim = await claimInstance(file, 200, aliveSet());
    expect(claim).toMatchObject({ kind: 'claimed', record: { pid: 200 }, replacedStale: 99 });
    expect(readInstance(file)?.pid).toBe(200);
  });

  it('a stop request left by an earlier instance is cleared by the next claim', async () => {
    requestStopByFile(file, { pid: 1, nonce: 'earlier', startedAt: '' });
    await claimInstance(file, 200, aliveSet());
    expect(existsSync(`${file}.stop`)).toBe(false);
  });

  it('a file that cannot be read (cut off, garbage) is stale too', async () => {
    await writeFile(file, '{"pid": 12');
    expect(await claimInstance(file, 200, aliveSet(12))).toMatchObject({ kind: 'claimed' });
  });

  it('of claims made at once, exactly one wins and the others find it', async () => {
    const pids = [301, 302, 303, 304, 305, 306, 307, 308];
    const claims = await Promise.all(pids.map((pid) => claimInstance(file, pid, aliveSet(...pids))));
    const winners = claims.filter((c) => c.kind === 'claimed');
    expect(winners).toHaveLength(1);
    for (const c of claims.filter((c) => c.kind === 'running')) expect(c.record).toEqual(winners[0]!.record);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(winners[0]!.record);
  });

  it('of claims made at once over a stale file, exactly one wins', async () => {
    await writeFile(file, JSON.stringify({ pid: 99, nonce: 'old', startedAt: '' }));
    const pids = [401, 402, 403, 404, 405];
    const claims = await Promise.all(pids.map((pid) => claimInstance(file, pid, aliveSet(...pids))));
    expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
  });

  it('a stop asked through the stop file (Windows) reaches the instance it names, once', async () => {
    const claim = await claimInstance(file, 100, aliveSet());
    if (claim.kind !== 'claimed') throw new Error('not claimed');
    let stops = 0;
    const cancel = watchStopFile(file, claim.record, () => stops++, 10);
    requestStopByFile(file, { ...claim.record, nonce: 'another-instance' });
    requestStopByFile(file, claim.record);
    await waitUntil(() => stops === 1, { timeoutMs: 5000, what: 'the stop to be seen' });
    // It stays (a third press sees the stop under way) until the instance is gone.
    expect(stopRequested(file, claim.record)).toBe(true);
    cancel();
    releaseInstance(file, claim.record);
    expect(existsSync(`${file}.stop`)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it('a stop file naming another instance is ignored', async () => {
    const claim = await claimInstance(file, 100, aliveSet());
    let stops = 0;
    requestStopByFile(file, { ...claim.record, nonce: 'another-instance' });
    const cancel = watchStopFile(file, claim.record, () => stops++, 5);
    await waitUntil(() => existsSync(`${file}.stop`) && readFileSync(`${file}.stop`, 'utf8') === 'another-instance', {
      timeoutMs: 1000,
      what: 'the stop file',
    });
    // It is still there after several checks: nobody took it.
    let checks = 0;
    await waitUntil(() => ++checks > 5, { timeoutMs: 2000, intervalMs: 10, what: 'a few intervals' });
    expect(stops).toBe(0);
    expect(stopRequested(file, claim.record)).toBe(false);
    cancel();
  });
});
