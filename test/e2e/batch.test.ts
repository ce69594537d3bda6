/**
 * `-i FILE --batch` against the test double's pre-recorded endpoints on the same host: what was said comes back
 * in every output format, with speakers; progress shows on stderr; the transcript is deleted at the double;
 * failures (a refused upload, a transcript in `error`, a bad key, a command line --batch cannot serve) are
 * plain sentences with their exit codes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSpeechWav, parseWav } from '../support/audio.js';
import { cleanEnv, runCli, TEST_KEY } from '../support/cli.js';
import { startFakeServer, type FakeServer, type FakeServerOptions } from '../support/fake-server.js';
import { createPocketsphinxRecognizer, pcm16ToWav } from '../support/recognizer.js';
import { writeFile } from 'node:fs/promises';
import { openedPerTest, useTempDir } from '../support/e2e-files.js';

const PHRASES = ['good morning everyone', 'the quick brown fox jumps over the lazy dog'];
let wav: string;

const tmp = useTempDir('lt-batch-', async (t) => {
  const pcm: Buffer[] = [Buffer.alloc(16_000)];
  for (const [i, phrase] of PHRASES.entries()) {
    await makeSpeechWav(phrase, path.join(t.dir, `${i}.wav`));
    pcm.push(parseWav(await readFile(path.join(t.dir, `${i}.wav`))).pcm, Buffer.alloc(48_000));
  }
  wav = path.join(t.dir, 'two.wav');
  await writeFile(wav, pcm16ToWav(Buffer.concat(pcm), 16_000));
});
const open = openedPerTest<{ server: FakeServer }>();

async function batch(args: string[], o: FakeServerOptions = {}, key = TEST_KEY): Promise<{ code: number; stdout: string; stderr: string }> {
  open.server = await startFakeServer({
    script: ['not what was said'],
    recognizer: createPocketsphinxRecognizer(PHRASES),
    speakers: ['A', 'B'],
    ...o,
  });
  const cli = runCli(['--api-host', open.server.url, '--batch', ...args], cleanEnv({ ASSEMBLYAI_API_KEY: key }));
  const code = await cli.exit(60_000);
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

const norm = (s: string): string => s.toLowerCase().replace(/[^a-z ]/g, '');

describe('-i FILE --batch', () => {
  it('transcribes the whole file: text on stdout, progress on stderr, the transcript deleted at the service', async () => {
    const r = await batch(['-i', wav]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map(norm)).toEqual(PHRASES);
    expect(r.stderr).toMatch(/uploading .*two\.wav/);
    expect(r.stderr).toMatch(/uploaded 100%/);
    expect(r.stderr).toMatch(/(queued at the service|transcribing at the service) \(\d+ s so far\)/);
    expect(r.stderr).toMatch(/done: 00:00:\d\d of audio, 2 turns, in \d+ s; the transcript was deleted/);
    const [t] = open.server!.prerecorded.transcripts;
    expect(t!.body).toMatchObject({ speech_models: ['universal-2'], language_code: 'en' });
    expect(t!.deleted).toBe(true);
    expect(open.server!.sessions).toHaveLength(0); // no streaming session at all
  }, 90_000);

  it('writes NDJSON with speakers to -o, and SRT to stdout', async () => {
    const jsonl = tmp.f('out.jsonl');
    const r = await batch(['-i', wav, '--speaker-labels', '-o', jsonl, '--force']);
    expect(r.code).toBe(0);
    const events = (await readFile(jsonl, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e.type)).toEqual(['begin', 'turn', 'turn', 'termination']);
    const turns = events.filter((e) => e.type === 'turn');
    expect(turns.map((t) => norm(String(t.text)))).toEqual(PHRASES);
    expect(turns.map((t) => t.speaker)).toEqual(['A', 'B']);
    expect(Number(turns[1]!.start_ms)).toBeGreaterThan(Number(turns[0]!.end_ms));
    expect(open.server!.prerecorded.transcripts[0]!.body).toMatchObject({ speaker_labels: true });
    const s = await batch(['-i', wav, '--speaker-labels', '--format', 'srt']);
    expect(s.code).toBe(0);
    const cues = s.stdout.trim().split('\n\n');
    expect(cues.map((c) => c.split('\n')[0])).toEqual(['1', '2']);
    expect(cues[0]).toMatch(/^1\n00:00:0\d,\d{3} --> 00:00:0\d,\d{3}\nA: Good morning everyone\.$/);
  }, 90_000);

  it('writes WebVTT with voices and text with timestamps', async () => {
    const vtt = tmp.f('out.vtt');
    const r = await batch(['-i', wav, '--speaker-labels', '--timestamps', '-o', vtt, '--force']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\[00:00:0\d\.\d{3} -> 00:00:0\d\.\d{3}\] A: Good morning everyone\.\n/);
    const text = await readFile(vtt, 'utf8');
    expect(text.startsWith('WEBVTT\n\n')).toBe(true);
    expect(text).toMatch(/<v Speaker A>Good morning everyone\./);
    expect(text).toMatch(/<v Speaker B>The quick brown fox/);
  }, 90_000);

  it('a refused upload is a plain sentence and exit 1', async () => {
    const r = await batch(['-i', wav], { prerecorded: { uploadStatus: 403 } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the service refused the upload \(HTTP 403: Cannot access uploaded file\)/);
    expect(r.stdout).toBe('');
  }, 60_000);

  it('a transcript in `error` says why, exits 1, and is deleted', async () => {
    const r = await batch(['-i', wav], { prerecorded: { transcriptError: 'Transcoding failed. Unsupported codec.' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the service could not transcribe the file: Transcoding failed\. Unsupported codec\./);
    expect(open.server!.prerecorded.transcripts[0]!.deleted).toBe(true);
  }, 60_000);

  it('a wrong key exits 4 without printing it', async () => {
    const r = await batch(['-i', wav], {}, 'wrong-key-0000');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/refused the API key \(HTTP 401/);
    expect(r.stderr).not.toContain('wrong-key-0000');
  }, 60_000);

  it('refuses what --batch cannot do: no file, a temporary token, live-only stop conditions', async () => {
    open.server = await startFakeServer();
    const env = cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY });
    const noFile = runCli(['--api-host', open.server.url, '--batch'], env);
    expect(await noFile.exit(20_000)).toBe(2);
    expect(noFile.stderr()).toMatch(/--batch transcribes a file/);
    const token = runCli(['--api-host', open.server.url, '--batch', '-i', wav, '--token', 'tok-123'], cleanEnv());
    expect(await token.exit(20_000)).toBe(2);
    expect(token.stderr()).toMatch(/--batch needs an API key/);
    const once = runCli(['--api-host', open.server.url, '--batch', '-i', wav, '--once'], env);
    expect(await once.exit(20_000)).toBe(2);
    expect(once.stderr()).toMatch(/--once has no meaning with --batch/);
    expect(open.server.prerecorded.requests).toEqual([]);
  }, 60_000);
});
