/**
 * The spool end to end (issue 22), against the test double: an outage longer than --replay-limit. What the
 * replay cannot cover is kept on disk as a WAV file the user alone can read, named on stderr with the command
 * that transcribes it; the run exits 6 (the live transcript has a hole); and `-i FILE --batch` of that file
 * gives back what was said during the outage.
 */
import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWav } from '../support/audio.js';
import { cleanEnv, runCli, TEST_KEY } from '../support/cli.js';
import { startFakeServer } from '../support/fake-server.js';
import { createPocketsphinxRecognizer } from '../support/recognizer.js';
import { makeFakeSoxDir } from '../support/fake-sox.js';

import { BPS, jsonEvents, LONG_AT_S, LONG_PHRASE, norm, outageRun, PHRASES, useSpoolFixtures } from '../support/spool-e2e.js';

const f = useSpoolFixtures();

describe('an outage longer than --replay-limit', () => {
  it('recovers the missed audio through the pre-recorded API: every phrase once, in order, exit 0, nothing left behind', async () => {
    const r = await outageRun(f, { processingMs: 15_000 });
    expect(r.code, r.why).toBe(0);
    const byTime = [...r.turns].sort((a, b) => Number(a.start_ms) - Number(b.start_ms));
    expect(
      byTime.map((t) => norm(String(t.text))),
      r.why,
    ).toEqual(PHRASES);
    const [a, b] = byTime;
    expect(a!.recovered).toBe(true);
    expect(b!).not.toHaveProperty('recovered');
    // Placed on the run's timeline where it was said (3.5 s into the file), give or take the double's segmenting.
    expect(Math.abs(Number(a!.start_ms) - 3500)).toBeLessThan(400);
    expect(new Set(r.turns.map((t) => t.index)).size).toBe(2);
    const gaps = r.events.filter((e) => e.type === 'gap');
    expect(gaps.map((g) => g.phase)).toEqual(['spooling', 'recovering', 'recovered']);
    expect(gaps[2]).toMatchObject({ start_ms: 0, turns: 1 });
    expect(Number(gaps[2]!.duration_ms)).toBeGreaterThanOrEqual(6500);
    // The recovered turn came back after the live one (slow processing at the double): stdout has them in
    // arrival order, and -o was written again at the end in time order.
    expect(r.turns.map((t) => norm(String(t.text)))).toEqual([PHRASES[1], PHRASES[0]]);
    const fileTurns = (await readFile(r.jsonl, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e.type === 'turn');
    expect(fileTurns.map((t) => norm(String(t.text)))).toEqual(PHRASES);
    expect(r.stderr).toMatch(/recovering 00:00:\d\d\.\d{3} of audio the service missed \(from 00:00:00\)/);
    expect(r.stderr).toMatch(/recovered 00:00:00 - 00:00:\d\d: 1 turn/);
    expect(r.stderr).not.toMatch(/is kept in/);
    expect(await readdir(r.spoolDir)).toEqual([]);
    const [t] = f.server!.prerecorded.transcripts;
    expect(t!.deleted).toBe(true);
    expect(f.server!.prerecorded.transcripts).toHaveLength(1);
  }, 150_000);

  it('when the pre-recorded API fails: the audio is kept in a private WAV, named with its command, exit 6; --batch of it later recovers the words', async () => {
    const r = await outageRun(f, { transcriptError: 'Server error, developers have been alerted.' });
    expect(r.code, r.why).toBe(6);
    expect(
      r.turns.map((t) => norm(String(t.text))),
      r.why,
    ).toEqual([PHRASES[1]]);
    expect(r.stderr).toMatch(/could not recover 00:00:00 - 00:00:\d\d: the service could not transcribe the file: Server error/);
    const gaps = r.events.filter((e) => e.type === 'gap');
    expect(gaps.map((g) => g.phase)).toEqual(['spooling', 'recovering', 'lost']);
    expect(String(gaps[2]!.reason)).toMatch(/could not transcribe the file/);
    const files = await readdir(r.spoolDir);
    expect(files).toHaveLength(1);
    const file = path.join(r.spoolDir, files[0]!);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-outage-wav-\d+-1\.wav$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(r.spoolDir)).mode & 0o777).toBe(0o700);
    expect(r.stderr).toContain(`is kept in ${file}`);
    expect(r.stderr).toContain(`transcribe it later with: live-transcribe -i ${file} --batch`);
    const kept = parseWav(await readFile(file));
    expect(kept.sampleRateHz).toBe(16_000);
    expect(kept.pcm.length / BPS).toBeGreaterThanOrEqual(6.5); // at least 2.5 s .. 9.5 s of the file
    expect(f.server!.prerecorded.transcripts.every((t) => t.deleted)).toBe(true);

    await f.server!.close();
    f.server = await startFakeServer({ recognizer: createPocketsphinxRecognizer(PHRASES) });
    const again = runCli(['--api-host', f.server.url, '-i', file, '--batch'], r.env);
    expect(await again.exit(60_000), again.stderr()).toBe(0);
    expect(again.stdout().trim().split('\n').map(norm)).toEqual([PHRASES[0]]);
  }, 150_000);
});

describe('the boundary between a recovered gap and the live replay', () => {
  it('a phrase that the replay bound cuts in two comes out once: the gap ends in the pause after it, where the replay starts', async () => {
    const phrases = [PHRASES[0]!, LONG_PHRASE, PHRASES[1]!];
    // Session 0 drops 2.5 s in. The next session's Begin is timed (the double holds it back) for the replay
    // bound (5 s before the present) to fall in the middle of the long phrase.
    let audioStart = 0;
    const BEGIN_MS = 1200;
    f.server = await startFakeServer({
      script: ['not what was said'],
      recognizer: createPocketsphinxRecognizer(phrases),
      beginDelayMs: BEGIN_MS,
      perSession: (i) => {
        if (i === 0) {
          audioStart = Date.now() + BEGIN_MS;
          return { dropAfterMs: 2500 };
        }
        const beginAt = audioStart + (LONG_AT_S + f.longSpeechS / 2 + 5) * 1000;
        // Retries come at most 8 s apart: refuse until the one that can be held back to beginAt.
        return Date.now() < beginAt - 9000 ? { refuseUpgrade: 503 } : { beginDelayMs: Math.max(50, beginAt - Date.now()) };
      },
    });
    const cache = await mkdtemp(path.join(f.dir, 'cache-'));
    const cli = runCli(
      ['--api-host', f.server.url, '-i', f.boundaryWav, '--format', 'json', '--replay-limit', '5'],
      cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_CACHE_HOME: cache }),
    );
    const code = await cli.exit(120_000);
    const why = `${cli.stdout()}\n${cli.stderr()}`;
    expect(code, why).toBe(0);
    const events = jsonEvents(cli.stdout());
    const reconnected = events.find((e) => e.type === 'reconnected')!;
    const longFrom = LONG_AT_S * 1000;
    const longTo = longFrom + f.longSpeechS * 1000;
    // The premise: the replay bound (5 s before the present at Begin) fell inside the long phrase.
    const bound = Number(reconnected.offset_ms) + Number(reconnected.replayed_ms) - 5000;
    expect(bound, why).toBeGreaterThan(longFrom + 300);
    expect(bound, why).toBeLessThan(longTo - 300);
    const turns = events.filter((e) => e.type === 'turn').sort((x, y) => Number(x.start_ms) - Number(y.start_ms));
    expect(
      turns.map((t) => norm(String(t.text))),
      why,
    ).toEqual(phrases);
    expect(turns.map((t) => t.recovered === true)).toEqual([true, true, false]);
    expect(Math.abs(Number(turns[1]!.start_ms) - longFrom)).toBeLessThan(400);
    expect(Math.abs(Number(turns[1]!.end_ms) - longTo)).toBeLessThan(400);
    // The gap took all of the phrase; the replay starts after it.
    const gap = events.find((e) => e.type === 'gap' && e.phase === 'recovered');
    expect(gap, why).toBeDefined();
    expect(Math.abs(Number(gap!.start_ms) + Number(gap!.duration_ms) - Number(reconnected.offset_ms))).toBeLessThanOrEqual(50);
    expect(Number(reconnected.offset_ms)).toBeGreaterThanOrEqual(longTo);
    expect(await readdir(path.join(cache, 'live-transcribe', 'spool'))).toEqual([]);
  }, 150_000);
});

describe('keep trying by default (no --reconnect-attempts, no --keep-recording)', () => {
  it('an outage of more than 6 failed attempts: the run keeps retrying while the audio is kept, then recovers it: exit 0', async () => {
    // Session 0 drops 2.5 s in; the next 6 handshakes are refused (6 backoffs: 12-24 s); the 7th attempt connects.
    f.server = await startFakeServer({
      script: ['not what was said'],
      recognizer: createPocketsphinxRecognizer(PHRASES),
      perSession: (i) => (i === 0 ? { dropAfterMs: 2500 } : i <= 6 ? { refuseUpgrade: 503 } : {}),
    });
    const cache = await mkdtemp(path.join(f.dir, 'cache-'));
    const cli = runCli(
      ['--api-host', f.server.url, '-i', f.longWav, '--format', 'json', '--replay-limit', '5'],
      cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_CACHE_HOME: cache }),
    );
    const code = await cli.exit(120_000);
    const why = `${cli.stdout()}\n${cli.stderr()}`;
    expect(code, why).toBe(0);
    const events = jsonEvents(cli.stdout());
    const retries = events.filter((e) => e.type === 'reconnecting');
    expect(retries.map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(retries.every((e) => e.max_attempts === null)).toBe(true);
    expect(cli.stderr()).toMatch(/attempt 7, still recording/);
    expect(cli.stderr()).not.toMatch(/gave up/);
    const turns = events.filter((e) => e.type === 'turn').sort((x, y) => Number(x.start_ms) - Number(y.start_ms));
    expect(
      turns.map((t) => norm(String(t.text))),
      why,
    ).toEqual(PHRASES);
    expect(turns[0]!.recovered).toBe(true);
    expect(f.server.sessions.filter((x) => x.error?.code === 503)).toHaveLength(6);
    expect(await readdir(path.join(cache, 'live-transcribe', 'spool'))).toEqual([]);
  }, 150_000);
});

describe('--keep-recording', () => {
  it('starts recording while the service cannot be reached, and recovers the start once connected', async () => {
    const reachableAt = Date.now() + 10_000;
    f.server = await startFakeServer({
      script: ['not what was said'],
      recognizer: createPocketsphinxRecognizer(PHRASES),
      perSession: () => (Date.now() < reachableAt ? { refuseUpgrade: 503 } : {}),
    });
    const soxDir = await makeFakeSoxDir('stream-file', { rawPath: f.micWav, chunkBytes: 3200, intervalMs: 100 });
    const cache = await mkdtemp(path.join(f.dir, 'cache-'));
    const env = cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_CACHE_HOME: cache, PATH: `${soxDir}:${process.env.PATH ?? ''}` });
    const cli = runCli(['--api-host', f.server.url, '--format', 'json', '--keep-recording', '--replay-limit', '5'], env);
    await cli.waitForStderr(/trying again in \d+\.\d s\.\.\. attempt 2 to connect, recording meanwhile/, 15_000);
    await cli.waitForStdout(/"recovered":true/, 60_000);
    await cli.waitForStdout(/Testing one two three/, 60_000);
    cli.signal('SIGINT');
    expect(await cli.exit(30_000), cli.stderr()).toBe(0);
    const turns = jsonEvents(cli.stdout()).filter((e) => e.type === 'turn');
    const byTime = [...turns].sort((x, y) => Number(x.start_ms) - Number(y.start_ms));
    expect(byTime.map((t) => norm(String(t.text)))).toEqual(PHRASES);
    expect(byTime[0]!.recovered).toBe(true);
    expect(await readdir(path.join(cache, 'live-transcribe', 'spool'))).toEqual([]);
    expect(f.server.prerecorded.transcripts.every((t) => t.deleted)).toBe(true);
  }, 120_000);

  it('without it, a start that cannot connect still fails fast', async () => {
    f.server = await startFakeServer({ refuseUpgrade: 503 });
    const soxDir = await makeFakeSoxDir('stream-file', { rawPath: f.micWav, chunkBytes: 3200, intervalMs: 100 });
    const cli = runCli(['--api-host', f.server.url], cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, PATH: `${soxDir}:${process.env.PATH ?? ''}` }));
    expect(await cli.exit(30_000)).toBe(1);
    expect(cli.stderr()).toMatch(/attempt 2 of 2 to connect/);
  }, 60_000);
});
