/**
 * The spool end to end (issue 22), how a run with an outage ends: a meeting where one source has it, a run or a
 * file that ends while offline, Ctrl+C during it, and a kill -9. The outage itself and its recovery:
 * spool.test.ts (two files so that they run side by side; their fixtures: test/support/spool-e2e.ts).
 */
import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWav } from '../support/audio.js';
import { cleanEnv, runCli, TEST_KEY } from '../support/cli.js';
import { startFakeServer } from '../support/fake-server.js';
import { createPocketsphinxRecognizer } from '../support/recognizer.js';
import { makeFakeSoxDir } from '../support/fake-sox.js';
import { waitUntil } from '../support/wait.js';
import { execFile } from 'node:child_process';

import { BPS, jsonEvents, norm, PHRASES, useSpoolFixtures } from '../support/spool-e2e.js';

const f = useSpoolFixtures();

describe('a meeting where one source has the long outage', () => {
  it('the other source goes on live; the dropped source gap is recovered and placed on the timeline; exit 0', async () => {
    // Session 0 (one of the two sources) drops 2.5 s in; that source's attempts are refused for 12 s.
    // The other source's session (index 1) stays up the whole run.
    let outageEnd = Number.POSITIVE_INFINITY;
    f.server = await startFakeServer({
      script: ['not what was said'],
      recognizer: createPocketsphinxRecognizer(PHRASES),
      perSession: (i) => {
        if (i === 0) {
          outageEnd = Date.now() + 2500 + 12_000;
          return { dropAfterMs: 2500 };
        }
        return i >= 2 && Date.now() < outageEnd ? { refuseUpgrade: 503 } : {};
      },
    });
    const soxDir = await makeFakeSoxDir('stream-file', { rawPath: f.meetingWav, chunkBytes: 3200, intervalMs: 100 });
    const cache = await mkdtemp(path.join(f.dir, 'cache-'));
    const env = cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_CACHE_HOME: cache, PATH: `${soxDir}:${process.env.PATH ?? ''}` });
    const cli = runCli(
      ['--api-host', f.server.url, '--device', 'first=You', '--device', 'second=Others', '--format', 'json', '--replay-limit', '5'],
      env,
    );
    await cli.waitForStdout(/"recovered":true/, 90_000);
    await waitUntil(() => (cli.stdout().match(/testing one two three/gi) ?? []).length >= 2, {
      timeoutMs: 60_000,
      intervalMs: 200,
      what: 'phrase B from both sources',
    });
    cli.signal('SIGINT');
    const code = await cli.exit(60_000);
    const why = `${cli.stdout()}\n${cli.stderr()}`;
    expect(code, why).toBe(0);
    const events = jsonEvents(cli.stdout());
    const turns = events.filter((e) => e.type === 'turn');
    const dropped = String(events.find((e) => e.type === 'gap')!.source);
    const other = dropped === 'You' ? 'Others' : 'You';
    const of = (label: string) => turns.filter((t) => t.source === label).sort((x, y) => Number(x.start_ms) - Number(y.start_ms));
    // Both sources have both phrases once, in order.
    expect(
      of(dropped).map((t) => norm(String(t.text))),
      why,
    ).toEqual(PHRASES);
    expect(
      of(other).map((t) => norm(String(t.text))),
      why,
    ).toEqual(PHRASES);
    // The dropped source's phrase A came back through the pre-recorded API, at its place on the run's timeline
    // (next to the other source's live phrase A); the other source stayed live throughout.
    const [recovered] = of(dropped);
    expect(recovered!.recovered).toBe(true);
    expect(Math.abs(Number(recovered!.start_ms) - Number(of(other)[0]!.start_ms))).toBeLessThan(600);
    expect(of(other).some((t) => t.recovered === true)).toBe(false);
    expect(events.filter((e) => e.type === 'gap').every((g) => g.source === dropped)).toBe(true);
    expect(events.filter((e) => e.type === 'gap').map((g) => g.phase)).toEqual(['spooling', 'recovering', 'recovered']);
    expect(f.server.sessions[1]!.error).toBeUndefined();
    expect(await readdir(path.join(cache, 'live-transcribe', 'spool'))).toEqual([]);
    expect(f.server.prerecorded.transcripts.every((t) => t.deleted)).toBe(true);
  }, 180_000);
});

describe('a run that ends offline', () => {
  it('spools the replay buffer too: the spool file holds the whole outage up to the end, and --batch of it gives every phrase', async () => {
    // Session 0 drops 2.5 s in and the service never comes back: the input ends (26 s) while offline.
    // Phrase B (24 s) is then within the last --replay-limit seconds: before, it was lost with the replay buffer.
    f.server = await startFakeServer({
      recognizer: createPocketsphinxRecognizer(PHRASES),
      perSession: (i) => (i === 0 ? { dropAfterMs: 2500 } : { refuseUpgrade: 503 }),
    });
    const cache = await mkdtemp(path.join(f.dir, 'cache-'));
    const env = cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_CACHE_HOME: cache });
    const cli = runCli(['--api-host', f.server.url, '-i', f.wav, '--format', 'json', '--replay-limit', '5'], env);
    const code = await cli.exit(120_000);
    expect(code, cli.stderr()).toBe(6);
    expect(cli.stderr()).toMatch(
      /the input ended while the service is unreachable: waiting up to 10 s for it to transcribe the rest, else it is kept on disk/,
    );
    const spoolDir = path.join(cache, 'live-transcribe', 'spool');
    const files = await readdir(spoolDir);
    expect(files, cli.stderr()).toHaveLength(1);
    const file = path.join(spoolDir, files[0]!);
    expect(cli.stderr()).toContain(`is kept in ${file}`);
    const kept = parseWav(await readFile(file));
    const fileS = parseWav(await readFile(f.wav)).pcm.length / BPS;
    // From at most the drop (2.5 s) to the end of the input: nothing captured was dropped.
    expect(kept.pcm.length / BPS).toBeGreaterThanOrEqual(fileS - 2.5);
    const gaps = jsonEvents(cli.stdout()).filter((e) => e.type === 'gap');
    expect(gaps.map((g) => g.phase)).toEqual(['spooling', 'lost']);
    expect(Number(gaps[1]!.duration_ms)).toBeGreaterThanOrEqual((fileS - 2.5) * 1000);

    await f.server.close();
    f.server = await startFakeServer({ recognizer: createPocketsphinxRecognizer(PHRASES) });
    const again = runCli(['--api-host', f.server.url, '-i', file, '--batch'], env);
    expect(await again.exit(60_000), again.stderr()).toBe(0);
    expect(again.stdout().trim().split('\n').map(norm)).toEqual(PHRASES);
  }, 150_000);
});

describe('a file that ends during an outage', () => {
  it('with --keep-recording: waits past the usual 10 s for the service (and says so), then transcribes the rest: exit 0', async () => {
    // Session 0 drops 2.5 s in; the service is back 15 s after the input's end (26 s).
    let audioStart = 0;
    f.server = await startFakeServer({
      script: ['not what was said'],
      recognizer: createPocketsphinxRecognizer(PHRASES),
      perSession: (i) => {
        if (i === 0) {
          audioStart = Date.now() + 1200;
          return { dropAfterMs: 2500 };
        }
        return Date.now() < audioStart + 41_000 ? { refuseUpgrade: 503 } : {};
      },
    });
    const cache = await mkdtemp(path.join(f.dir, 'cache-'));
    const cli = runCli(
      ['--api-host', f.server.url, '-i', f.wav, '--format', 'json', '--replay-limit', '5', '--keep-recording'],
      cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_CACHE_HOME: cache }),
    );
    const code = await cli.exit(120_000);
    const why = `${cli.stdout()}\n${cli.stderr()}`;
    expect(code, why).toBe(0);
    expect(cli.stderr()).toMatch(/the input ended while the service is unreachable: waiting for it to transcribe the rest \(--keep-recording/);
    const turns = jsonEvents(cli.stdout())
      .filter((e) => e.type === 'turn')
      .sort((x, y) => Number(x.start_ms) - Number(y.start_ms));
    // Phrase A recovered from the gap; phrase B (in the replay buffer when the input ended) transcribed live.
    expect(
      turns.map((t) => norm(String(t.text))),
      why,
    ).toEqual(PHRASES);
    expect(
      turns.map((t) => t.recovered === true),
      why,
    ).toEqual([true, false]);
    expect(await readdir(path.join(cache, 'live-transcribe', 'spool'))).toEqual([]);
  }, 150_000);
});

describe('Ctrl+C during an outage longer than --replay-limit', () => {
  it('keeps all of it: the spool file runs from the last acknowledged audio to the stop, replay buffer included, and the summary says the same', async () => {
    f.server = await startFakeServer({ perSession: (i) => (i === 0 ? { dropAfterMs: 2500 } : { refuseUpgrade: 503 }) });
    const cache = await mkdtemp(path.join(f.dir, 'cache-'));
    const spoolDir = path.join(cache, 'live-transcribe', 'spool');
    const cli = runCli(
      ['--api-host', f.server.url, '-i', f.wav, '--format', 'json', '--replay-limit', '5'],
      cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_CACHE_HOME: cache }),
    );
    // Past the 5 s bound the outage's audio goes to the spool: stop once 3 s of it are on disk (the
    // replay buffer then holds 5 s more that no file has yet).
    const file = await waitUntil(
      async () => {
        const name = (await readdir(spoolDir).catch(() => [] as string[]))[0];
        if (name === undefined) return undefined;
        return (await stat(path.join(spoolDir, name))).size > 44 + 3 * BPS ? path.join(spoolDir, name) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: 'a spool file with 3 s of audio' },
    );
    cli.signal('SIGINT');
    const code = await cli.exit(30_000);
    const why = `${cli.stdout()}\n${cli.stderr()}`;
    expect(code, why).toBe(6);
    const events = jsonEvents(cli.stdout());
    const captured = Number(events.find((e) => e.type === 'termination')!.audio_sent_ms);
    const lost = events.find((e) => e.type === 'gap' && e.phase === 'lost')!;
    const keptMs = (parseWav(await readFile(file)).pcm.length / BPS) * 1000;
    // The file covers the whole outage: from the gap's start to the last audio captured, within two frames.
    expect(Math.abs(Number(lost.start_ms) + keptMs - captured), why).toBeLessThanOrEqual(100);
    expect(keptMs).toBeGreaterThan(8000);
    expect(Number(lost.duration_ms)).toBeCloseTo(keptMs, -1);
    // The summary's untranscribed range and amount are the file's.
    const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 23);
    expect(cli.stderr()).toContain(`${clock(keptMs)} of audio the service missed (from 00:00:0`);
    const said = /stopped while the connection was down: ([\d.]+) s of audio/.exec(cli.stderr());
    expect(said, why).not.toBeNull();
    expect(Math.abs(Number(said![1]) * 1000 - keptMs)).toBeLessThanOrEqual(100);
  }, 90_000);
});

describe('killed during an outage', () => {
  it('leaves the spool file a valid WAV that SoX reads', async () => {
    f.server = await startFakeServer({ perSession: (i) => (i === 0 ? { dropAfterMs: 1000 } : { refuseUpgrade: 503 }) });
    const cache = await mkdtemp(path.join(f.dir, 'cache-'));
    const spoolDir = path.join(cache, 'live-transcribe', 'spool');
    const cli = runCli(
      ['--api-host', f.server.url, '-i', f.wav, '--replay-limit', '5', '--reconnect-attempts', '30'],
      cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_CACHE_HOME: cache }),
    );
    // Past the 5 s bound the outage's audio goes to the spool: kill the run once a second of it is on disk.
    const file = await waitUntil(
      async () => {
        const names = await readdir(spoolDir).catch(() => [] as string[]);
        const name = names[0];
        if (name === undefined) return undefined;
        const size = (await stat(path.join(spoolDir, name))).size;
        return size > 44 + BPS ? path.join(spoolDir, name) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: 'a spool file with a second of audio' },
    );
    cli.child.kill('SIGKILL');
    expect(await cli.exit(10_000)).toBe(137);
    const kept = parseWav(await readFile(file));
    expect(kept.sampleRateHz).toBe(16_000);
    expect(kept.pcm.length).toBeGreaterThanOrEqual(BPS);
    const samples = await new Promise<string>((resolve, reject) =>
      execFile('sox', ['--i', '-s', file], { encoding: 'utf8' }, (err, stdout, stderr) =>
        err || stderr !== '' ? reject(err ?? new Error(stderr)) : resolve(stdout),
      ),
    );
    expect(Number(samples.trim())).toBe(kept.pcm.length / 2);
  }, 60_000);
});
