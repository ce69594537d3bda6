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
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { createPocketsphinxRecognizer, pcm16ToWav } from '../support/recognizer.js';

const PHRASES = ['good morning everyone', 'testing one two three'];
const BPS = 32_000;
let dir: string;
let wav: string;
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
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const norm = (s: string): string => s.toLowerCase().replace(/[^a-z ]/g, '');

describe('an outage longer than --replay-limit', () => {
  it('keeps the missed audio in a private WAV, says where, exits 6, and --batch of it recovers the words', async () => {
    let outageEnd = Number.POSITIVE_INFINITY;
    server = await startFakeServer({
      script: ['not what was said'],
      recognizer: createPocketsphinxRecognizer(PHRASES),
      // Session 0 drops 2.5 s in; every attempt in the next 12 s is refused: an outage of 12-20 s (backoff).
      perSession: (i) => {
        if (i === 0) {
          outageEnd = Date.now() + 2500 + 12_000;
          return { dropAfterMs: 2500 };
        }
        return Date.now() < outageEnd ? { refuseUpgrade: 503 } : {};
      },
    });
    const cache = path.join(dir, 'cache');
    const env = cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_CACHE_HOME: cache });
    const cli = runCli(['--api-host', server.url, '-i', wav, '--format', 'json', '--replay-limit', '5', '--reconnect-attempts', '30'], env);
    const code = await cli.exit(90_000);
    const stderr = cli.stderr();
    expect(code, stderr).toBe(6);
    const turns = cli.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.type === 'turn');
    expect(turns.map((t) => norm(String(t.text))), `${cli.stdout()}\n${stderr}`).toEqual([PHRASES[1]]); // phrase A is not in the live transcript

    const spoolDir = path.join(cache, 'live-transcribe', 'spool');
    const files = await readdir(spoolDir);
    expect(files).toHaveLength(1);
    const file = path.join(spoolDir, files[0]!);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-outage-wav-\d+-1\.wav$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(spoolDir)).mode & 0o777).toBe(0o700);
    expect(stderr).toContain(`is kept in ${file}`);
    expect(stderr).toContain(`transcribe it later with: live-transcribe -i ${file} --batch`);
    const kept = parseWav(await readFile(file));
    expect(kept.sampleRateHz).toBe(16_000);
    expect(kept.pcm.length / BPS).toBeGreaterThanOrEqual(6.5); // at least 2.5 s .. 9.5 s of the file

    const again = runCli(['--api-host', server.url, '-i', file, '--batch'], env);
    expect(await again.exit(60_000), again.stderr()).toBe(0);
    expect(again.stdout().trim().split('\n').map(norm)).toEqual([PHRASES[0]]);
  }, 150_000);
});
