/**
 * The spool's end-to-end fixtures (issue 22), shared by spool.test.ts and spool-ending.test.ts (two files so that
 * they run side by side): speech WAVs with phrases before, inside and after an outage, the test double per test,
 * and the outage run that most tests start from.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { makeSpeechWav, parseWav } from './audio.js';
import { cleanEnv, runCli, TEST_KEY } from './cli.js';
import { startFakeServer, type FakeServer, type FakeServerOptions } from './fake-server.js';
import { createPocketsphinxRecognizer, pcm16ToWav } from './recognizer.js';

export const PHRASES = ['good morning everyone', 'testing one two three'];
/** A long phrase (about 3 s of speech, no pause in it) for the gap/replay boundary to fall into. */
export const LONG_PHRASE = 'the weather is nice today and we are going to the park';
/** Where LONG_PHRASE is in boundaryWav. */
export const LONG_AT_S = 12;
export const BPS = 32_000;

export interface SpoolFixtures {
  dir: string;
  /** Phrase A at 3.5 s (inside the outage, past the replay bound); phrase B at 24 s (after it). */
  wav: string;
  /** For the microphone that starts offline: phrase A at 1 s, phrase B at 22 s. */
  micWav: string;
  /** For an outage of more than 6 backoffs (12-24 s from 2.5 s): phrase A at 3.5 s, phrase B at 32 s. */
  longWav: string;
  /** For a meeting (both sources record it): phrase A at 4 s, phrase B at 22 s. */
  meetingWav: string;
  /** For the gap/replay boundary: phrase A at 3.5 s (in the gap), the long phrase at 12 s, phrase B at 24 s. */
  boundaryWav: string;
  /** How long LONG_PHRASE's speech lasts. */
  longSpeechS: number;
  /** The double of the running test, closed after it. */
  server: FakeServer | undefined;
}

/** Makes the fixtures before the file's tests (and removes them after); closes each test's double after it. */
export function useSpoolFixtures(): SpoolFixtures {
  const f = { server: undefined } as SpoolFixtures;
  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lt-spool-e2e-'));
    f.dir = dir;
    const speech: Buffer[] = [];
    for (const [i, phrase] of PHRASES.entries()) {
      await makeSpeechWav(phrase, path.join(dir, `${i}.wav`));
      speech.push(parseWav(await readFile(path.join(dir, `${i}.wav`))).pcm);
    }
    const a = speech[0]!;
    const b = speech[1]!;
    /** `a` at `aS` seconds, `b` at `bS`, 2 s of silence after. */
    const ab = (aS: number, bS: number): Buffer =>
      pcm16ToWav(Buffer.concat([Buffer.alloc(aS * BPS), a, Buffer.alloc(bS * BPS - aS * BPS - a.length), b, Buffer.alloc(2 * BPS)]), 16_000);
    f.wav = path.join(dir, 'outage.wav');
    await writeFile(f.wav, ab(3.5, 24));
    f.micWav = path.join(dir, 'mic.wav');
    await writeFile(f.micWav, ab(1, 22));
    f.meetingWav = path.join(dir, 'meeting.wav');
    await writeFile(f.meetingWav, ab(4, 22));
    f.longWav = path.join(dir, 'long.wav');
    await writeFile(f.longWav, ab(3.5, 32));
    await makeSpeechWav(LONG_PHRASE, path.join(dir, 'long-phrase.wav'));
    const c = parseWav(await readFile(path.join(dir, 'long-phrase.wav'))).pcm;
    f.longSpeechS = c.length / BPS - 0.4; // espeak ends it with 0.4 s of silence
    f.boundaryWav = path.join(dir, 'boundary.wav');
    await writeFile(
      f.boundaryWav,
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
  }, 60_000);
  afterAll(async () => {
    await rm(f.dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await f.server?.close();
    f.server = undefined;
  });
  return f;
}

/** The NDJSON events a run printed on stdout. */
export function jsonEvents(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export const norm = (s: string): string => s.toLowerCase().replace(/[^a-z ]/g, '');

/** Streams the file with session 0 dropping 2.5 s in and every attempt in the next 12 s refused (an outage of 12-20 s). */
export async function outageRun(f: SpoolFixtures, prerecorded: FakeServerOptions['prerecorded'] = {}) {
  let outageEnd = Number.POSITIVE_INFINITY;
  f.server = await startFakeServer({
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
  const cache = await mkdtemp(path.join(f.dir, 'cache-'));
  const env = cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_CACHE_HOME: cache });
  const jsonl = path.join(cache, 'transcript.jsonl');
  const cli = runCli(
    ['--api-host', f.server.url, '-i', f.wav, '--format', 'json', '-o', jsonl, '--replay-limit', '5', '--reconnect-attempts', '30'],
    env,
  );
  const code = await cli.exit(120_000);
  const events = jsonEvents(cli.stdout());
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
