/**
 * The spool end to end (issue 22), against the test double: an outage longer than --replay-limit. What the
 * replay cannot cover is kept on disk as a WAV file the user alone can read, named on stderr with the command
 * that transcribes it; the run exits 6 (the live transcript has a hole); and `-i FILE --batch` of that file
 * gives back what was said during the outage.
 */
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeSpeechWav, parseWav } from '../support/audio.js';
import { cleanEnv, runCli, TEST_KEY } from '../support/cli.js';
import { startFakeServer, type FakeServer, type FakeServerOptions } from '../support/fake-server.js';
import { createPocketsphinxRecognizer, pcm16ToWav } from '../support/recognizer.js';
import { makeFakeSoxDir } from '../support/fake-sox.js';
import { waitUntil } from '../support/wait.js';
import { execFile } from 'node:child_process';

const PHRASES = ['good morning everyone', 'testing one two three'];
/** A long phrase (about 3 s of speech, no pause in it) for the gap/replay boundary to fall into. */
const LONG_PHRASE = 'the weather is nice today and we are going to the park';
/** Where LONG_PHRASE is in boundaryWav, and how long its speech lasts (set in beforeAll). */
const LONG_AT_S = 12;
let longSpeechS = 0;
let boundaryWav: string;
const BPS = 32_000;
let dir: string;
let wav: string;
let micWav: string;
let longWav: string;
let meetingWav: string;
let server: FakeServer | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-spool-e2e-'));
  const speech: Buffer[] = [];
  for (const [i, phrase] of PHRASES.entries()) {
    await makeSpeechWav(phrase, path.join(dir, `${i}.wav`));
    speech.push(parseWav(await readFile(path.join(dir, `${i}.wav`))).pcm);
  }
  // Phrase A at 3.5 s (inside the outage, past the replay bound); phrase B at 24 s (after it).
  const a = speech[0]!;
  const b = speech[1]!;
  const pcm = Buffer.concat([Buffer.alloc(3.5 * BPS), a, Buffer.alloc(24 * BPS - 3.5 * BPS - a.length), b, Buffer.alloc(2 * BPS)]);
  wav = path.join(dir, 'outage.wav');
  await writeFile(wav, pcm16ToWav(pcm, 16_000));
  // For the microphone that starts offline: phrase A at 1 s, phrase B at 22 s.
  micWav = path.join(dir, 'mic.wav');
  await writeFile(
    micWav,
    pcm16ToWav(Buffer.concat([Buffer.alloc(BPS), a, Buffer.alloc(22 * BPS - BPS - a.length), b, Buffer.alloc(2 * BPS)]), 16_000),
  );
  // For an outage of more than 6 backoffs (12-24 s from 2.5 s): phrase A at 3.5 s, phrase B at 32 s.
  // For a meeting (both sources record it): phrase A at 4 s, phrase B at 22 s.
  meetingWav = path.join(dir, 'meeting.wav');
  await writeFile(
    meetingWav,
    pcm16ToWav(Buffer.concat([Buffer.alloc(4 * BPS), a, Buffer.alloc(22 * BPS - 4 * BPS - a.length), b, Buffer.alloc(2 * BPS)]), 16_000),
  );
  // For the gap/replay boundary: phrase A at 3.5 s (in the gap), the long phrase at 12 s, phrase B at 24 s.
  await makeSpeechWav(LONG_PHRASE, path.join(dir, 'long-phrase.wav'));
  const c = parseWav(await readFile(path.join(dir, 'long-phrase.wav'))).pcm;
  longSpeechS = c.length / BPS - 0.4; // espeak ends it with 0.4 s of silence
  boundaryWav = path.join(dir, 'boundary.wav');
  await writeFile(
    boundaryWav,
    pcm16ToWav(
      Buffer.concat([
        Buffer.alloc(3.5 * BPS),
        a,
        Buffer.alloc(LONG_AT_S * BPS - 3.5 * BPS - a.length),
        c,
        Buffer.alloc(24 * BPS - LONG_AT_S * BPS - c.length),
        b,
        Buffer.alloc(2 * BPS),
      ]),
      16_000,
    ),
  );
  longWav = path.join(dir, 'long.wav');
  await writeFile(
    longWav,
    pcm16ToWav(Buffer.concat([Buffer.alloc(3.5 * BPS), a, Buffer.alloc(32 * BPS - 3.5 * BPS - a.length), b, Buffer.alloc(2 * BPS)]), 16_000),
  );
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const norm = (s: string): string => s.toLowerCase().replace(/[^a-z ]/g, '');

/** Streams the file with session 0 dropping 2.5 s in and every attempt in the next 12 s refused (an outage of 12-20 s). */
async function outageRun(prerecorded: FakeServerOptions['prerecorded'] = {}) {
  let outageEnd = Number.POSITIVE_INFINITY;
  server = await startFakeServer({
    script: ['not what was said'],
    recognizer: createPocketsphinxRecognizer(PHRASES),
    prerecorded,
    perSession: (i) => {
      if (i === 0) {
        outageEnd = Date.now() + 2500 + 12_000;
        return { dropAfterMs: 2500 };
      }
      return Date.now() < outageEnd ? { refuseUpgrade: 503 } : {};
    },
  });
  const cache = await mkdtemp(path.join(dir, 'cache-'));
  const env = cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_CACHE_HOME: cache });
  const jsonl = path.join(cache, 'transcript.jsonl');
  const cli = runCli(
    ['--api-host', server.url, '-i', wav, '--format', 'json', '-o', jsonl, '--replay-limit', '5', '--reconnect-attempts', '30'],
    env,
  );
  const code = await cli.exit(120_000);
  const events = cli
    .stdout()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    code,
    events,
    turns: events.filter((e) => e.type === 'turn'),
    stderr: cli.stderr(),
    env,
    jsonl,
    spoolDir: path.join(cache, 'live-transcribe', 'spool'),
    why: `${cli.stdout()}\n${cli.stderr()}`,
  };
}

describe('an outage longer than --replay-limit', () => {
  it('recovers the missed audio through the pre-recorded API: every phrase once, in order, exit 0, nothing left behind', async () => {
    const r = await outageRun({ processingMs: 15_000 });
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
    const [t] = server!.prerecorded.transcripts;
    expect(t!.deleted).toBe(true);
    expect(server!.prerecorded.transcripts).toHaveLength(1);
  }, 150_000);

  it('when the pre-recorded API fails: the audio is kept in a private WAV, named with its command, exit 6; --batch of it later recovers the words', async () => {
    const r = await outageRun({ transcriptError: 'Server error, developers have been alerted.' });
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
    expect(server!.prerecorded.transcripts.every((t) => t.deleted)).toBe(true);

    await server!.close();
    server = await startFakeServer({ recognizer: createPocketsphinxRecognizer(PHRASES) });
    const again = runCli(['--api-host', server.url, '-i', file, '--batch'], r.env);
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
    server = await startFakeServer({
      script: ['not what was said'],
      recognizer: createPocketsphinxRecognizer(phrases),
      beginDelayMs: BEGIN_MS,
      perSession: (i) => {
        if (i === 0) {
          audioStart = Date.now() + BEGIN_MS;
          return { dropAfterMs: 2500 };
        }
        const beginAt = audioStart + (LONG_AT_S + longSpeechS / 2 + 5) * 1000;
        // Retries come at most 8 s apart: refuse until the one that can be held back to beginAt.
        return Date.now() < beginAt - 9000 ? { refuseUpgrade: 503 } : { beginDelayMs: Math.max(50, beginAt - Date.now()) };
      },
    });
    const cache = await mkdtemp(path.join(dir, 'cache-'));
    const cli = runCli(
      ['--api-host', server.url, '-i', boundaryWav, '--format', 'json', '--replay-limit', '5'],
      cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_CACHE_HOME: cache }),
    );
    const code = await cli.exit(120_000);
    const why = `${cli.stdout()}\n${cli.stderr()}`;
    expect(code, why).toBe(0);
    const events = cli
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const reconnected = events.find((e) => e.type === 'reconnected')!;
    const longFrom = LONG_AT_S * 1000;
    const longTo = longFrom + longSpeechS * 1000;
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
    server = await startFakeServer({
      script: ['not what was said'],
      recognizer: createPocketsphinxRecognizer(PHRASES),
      perSession: (i) => (i === 0 ? { dropAfterMs: 2500 } : i <= 6 ? { refuseUpgrade: 503 } : {}),
    });
    const cache = await mkdtemp(path.join(dir, 'cache-'));
    const cli = runCli(
      ['--api-host', server.url, '-i', longWav, '--format', 'json', '--replay-limit', '5'],
      cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_CACHE_HOME: cache }),
    );
    const code = await cli.exit(120_000);
    const why = `${cli.stdout()}\n${cli.stderr()}`;
    expect(code, why).toBe(0);
    const events = cli
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
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
    expect(server.sessions.filter((x) => x.error?.code === 503)).toHaveLength(6);
    expect(await readdir(path.join(cache, 'live-transcribe', 'spool'))).toEqual([]);
  }, 150_000);
});

describe('--keep-recording', () => {
  it('starts recording while the service cannot be reached, and recovers the start once connected', async () => {
    const reachableAt = Date.now() + 10_000;
    server = await startFakeServer({
      script: ['not what was said'],
      recognizer: createPocketsphinxRecognizer(PHRASES),
      perSession: () => (Date.now() < reachableAt ? { refuseUpgrade: 503 } : {}),
    });
    const soxDir = await makeFakeSoxDir('stream-file', { rawPath: micWav, chunkBytes: 3200, intervalMs: 100 });
    const cache = await mkdtemp(path.join(dir, 'cache-'));
    const env = cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_CACHE_HOME: cache, PATH: `${soxDir}:${process.env.PATH ?? ''}` });
    const cli = runCli(['--api-host', server.url, '--format', 'json', '--keep-recording', '--replay-limit', '5'], env);
    await cli.waitForStderr(/trying again in \d+\.\d s\.\.\. attempt 2 to connect, recording meanwhile/, 15_000);
    await cli.waitForStdout(/"recovered":true/, 60_000);
    await cli.waitForStdout(/Testing one two three/, 60_000);
    cli.signal('SIGINT');
    expect(await cli.exit(30_000), cli.stderr()).toBe(0);
    const turns = cli
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e.type === 'turn');
    const byTime = [...turns].sort((x, y) => Number(x.start_ms) - Number(y.start_ms));
    expect(byTime.map((t) => norm(String(t.text)))).toEqual(PHRASES);
    expect(byTime[0]!.recovered).toBe(true);
    expect(await readdir(path.join(cache, 'live-transcribe', 'spool'))).toEqual([]);
    expect(server.prerecorded.transcripts.every((t) => t.deleted)).toBe(true);
  }, 120_000);

  it('without it, a start that cannot connect still fails fast', async () => {
    server = await startFakeServer({ refuseUpgrade: 503 });
    const soxDir = await makeFakeSoxDir('stream-file', { rawPath: micWav, chunkBytes: 3200, intervalMs: 100 });
    const cli = runCli(['--api-host', server.url], cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, PATH: `${soxDir}:${process.env.PATH ?? ''}` }));
    expect(await cli.exit(30_000)).toBe(1);
    expect(cli.stderr()).toMatch(/attempt 2 of 2 to connect/);
  }, 60_000);
});

describe('a meeting where one source has the long outage', () => {
  it('the other source goes on live; the dropped source gap is recovered and placed on the timeline; exit 0', async () => {
    // Session 0 (one of the two sources) drops 2.5 s in; that source's attempts are refused for 12 s.
    // The other source's session (index 1) stays up the whole run.
    let outageEnd = Number.POSITIVE_INFINITY;
    server = await startFakeServer({
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
    const soxDir = await makeFakeSoxDir('stream-file', { rawPath: meetingWav, chunkBytes: 3200, intervalMs: 100 });
    const cache = await mkdtemp(path.join(dir, 'cache-'));
    const env = cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_CACHE_HOME: cache, PATH: `${soxDir}:${process.env.PATH ?? ''}` });
    const cli = runCli(
      ['--api-host', server.url, '--device', 'first=You', '--device', 'second=Others', '--format', 'json', '--replay-limit', '5'],
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
    const events = cli
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
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
    expect(server.sessions[1]!.error).toBeUndefined();
    expect(await readdir(path.join(cache, 'live-transcribe', 'spool'))).toEqual([]);
    expect(server.prerecorded.transcripts.every((t) => t.deleted)).toBe(true);
  }, 180_000);
});

describe('a run that ends offline', () => {
  it('spools the replay buffer too: the spool file holds the whole outage up to the end, and --batch of it gives every phrase', async () => {
    // Session 0 drops 2.5 s in and the service never comes back: the input ends (26 s) while offline.
    // Phrase B (24 s) is then within the last --replay-limit seconds: before, it was lost with the replay buffer.
    server = await startFakeServer({
      recognizer: createPocketsphinxRecognizer(PHRASES),
      perSession: (i) => (i === 0 ? { dropAfterMs: 2500 } : { refuseUpgrade: 503 }),
    });
    const cache = await mkdtemp(path.join(dir, 'cache-'));
    const env = cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_CACHE_HOME: cache });
    const cli = runCli(['--api-host', server.url, '-i', wav, '--format', 'json', '--replay-limit', '5'], env);
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
    const fileS = parseWav(await readFile(wav)).pcm.length / BPS;
    // From at most the drop (2.5 s) to the end of the input: nothing captured was dropped.
    expect(kept.pcm.length / BPS).toBeGreaterThanOrEqual(fileS - 2.5);
    const gaps = cli
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e.type === 'gap');
    expect(gaps.map((g) => g.phase)).toEqual(['spooling', 'lost']);
    expect(Number(gaps[1]!.duration_ms)).toBeGreaterThanOrEqual((fileS - 2.5) * 1000);

    await server.close();
    server = await startFakeServer({ recognizer: createPocketsphinxRecognizer(PHRASES) });
    const again = runCli(['--api-host', server.url, '-i', file, '--batch'], env);
    expect(await again.exit(60_000), again.stderr()).toBe(0);
    expect(again.stdout().trim().split('\n').map(norm)).toEqual(PHRASES);
  }, 150_000);
});

describe('a file that ends during an outage', () => {
  it('with --keep-recording: waits past the usual 10 s for the service (and says so), then transcribes the rest: exit 0', async () => {
    // Session 0 drops 2.5 s in; the service is back 15 s after the input's end (26 s).
    let audioStart = 0;
    server = await startFakeServer({
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
    const cache = await mkdtemp(path.join(dir, 'cache-'));
    const cli = runCli(
      ['--api-host', server.url, '-i', wav, '--format', 'json', '--replay-limit', '5', '--keep-recording'],
      cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_CACHE_HOME: cache }),
    );
    const code = await cli.exit(120_000);
    const why = `${cli.stdout()}\n${cli.stderr()}`;
    expect(code, why).toBe(0);
    expect(cli.stderr()).toMatch(/the input ended while the service is unreachable: waiting for it to transcribe the rest \(--keep-recording/);
    const turns = cli
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
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
    server = await startFakeServer({ perSession: (i) => (i === 0 ? { dropAfterMs: 2500 } : { refuseUpgrade: 503 }) });
    const cache = await mkdtemp(path.join(dir, 'cache-'));
    const spoolDir = path.join(cache, 'live-transcribe', 'spool');
    const cli = runCli(
      ['--api-host', server.url, '-i', wav, '--format', 'json', '--replay-limit', '5'],
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
    const events = cli
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
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
    server = await startFakeServer({ perSession: (i) => (i === 0 ? { dropAfterMs: 1000 } : { refuseUpgrade: 503 }) });
    const cache = await mkdtemp(path.join(dir, 'cache-'));
    const spoolDir = path.join(cache, 'live-transcribe', 'spool');
    const cli = runCli(
      ['--api-host', server.url, '-i', wav, '--replay-limit', '5', '--reconnect-attempts', '30'],
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
