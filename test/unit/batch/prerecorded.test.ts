/**
 * The pre-recorded client against the test double's /v2 endpoints over real HTTP on loopback: the whole flow
 * with recognized speech, retries of transient failures, final failures in their kinds, the poll bound, delete.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PrerecordedClient, PrerecordedError } from '../../../src/batch/prerecorded.js';
import { prerecordedBaseUrl } from '../../../src/batch/hosts.js';
import { startFakeServer, type FakeServer, type FakeServerOptions } from '../../support/fake-server.js';
import { makeSpeechWav, parseWav } from '../../support/audio.js';
import { createPocketsphinxRecognizer, pcm16ToWav } from '../../support/recognizer.js';

const KEY = 'test-key-0000';
const PHRASES = ['good morning', 'testing one two three'];
let server: FakeServer | undefined;
let twoPhrases: Buffer;

const fast = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.min(ms, 20)));

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'lt-prerec-'));
  try {
    const pcm: Buffer[] = [];
    for (const [i, phrase] of PHRASES.entries()) {
      const file = path.join(dir, `${i}.wav`);
      await makeSpeechWav(phrase, file);
      pcm.push(parseWav(await readFile(file)).pcm, Buffer.alloc(32_000 * 1.5));
    }
    twoPhrases = pcm16ToWav(Buffer.concat([Buffer.alloc(32_000), ...pcm]), 16_000);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(o: FakeServerOptions = {}, key = KEY, attempts = 3): Promise<PrerecordedClient> {
  server = await startFakeServer(o);
  return new PrerecordedClient({
    baseUrl: prerecordedBaseUrl(`${server.url}/v3/ws`),
    apiKey: key,
    attempts,
    sleep: fast,
    pollInitialMs: 50,
    pollMaxMs: 200,
  });
}

async function failure(p: Promise<unknown>): Promise<PrerecordedError['failure']> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PrerecordedError);
  return (e as PrerecordedError).failure;
}

describe('pre-recorded client against the double', () => {
  it('uploads, transcribes what was said with times and speakers, and deletes', async () => {
    const client = await setup({ recognizer: createPocketsphinxRecognizer(PHRASES), speakers: ['A', 'B'] });
    const progress: number[] = [];
    const url = await client.upload(twoPhrases, (sent, total) => progress.push(sent / total));
    expect(progress.at(-1)).toBe(1);
    const id = await client.create(url, {
      speechModels: ['assemblyai-stt-3-7', 'universal-2'],
      languageCode: 'en',
      speakerLabels: true,
      keyterms: ['morning'],
    });
    const statuses: string[] = [];
    const t = await client.waitFor(id, 30_000, (p) => statuses.push(p.status));
    expect(t.status).toBe('completed');
    expect(statuses.at(-1)).toBe('completed');
    expect(t.text?.toLowerCase().replace(/[.]/g, '')).toBe('good morning testing one two three');
    expect(t.utterances?.map((u) => u.speaker)).toEqual(['A', 'B']);
    const [first, second] = t.utterances ?? [];
    expect(first!.start).toBeGreaterThanOrEqual(950); // after the leading second of silence
    expect(second!.start).toBeGreaterThan(first!.end);
    expect(t.audioDurationS).toBe(Math.ceil((twoPhrases.length - 44) / 32_000));
    const rec = server!.prerecorded.transcripts[0]!;
    expect(rec.body).toMatchObject({
      audio_url: url,
      speech_models: ['assemblyai-stt-3-7', 'universal-2'],
      language_code: 'en',
      speaker_labels: true,
      keyterms_prompt: ['morning'],
    });
    await client.remove(id);
    expect(rec.deleted).toBe(true);
    expect(server!.prerecorded.uploads[0]!.deleted).toBe(true);
  }, 60_000);

  it('retries transient 503s on every step and succeeds', async () => {
    const client = await setup({ prerecorded: { transientFailures: 2 } });
    const url = await client.upload(twoPhrases);
    expect(server!.prerecorded.requests.slice(0, 3)).toEqual(['POST /v2/upload -> 503', 'POST /v2/upload -> 503', 'POST /v2/upload -> 200']);
    const id = await client.create(url, { speechModels: ['universal-2'] });
    const t = await client.waitFor(id, 10_000);
    expect(t.words.length).toBeGreaterThan(0); // the script's words, one turn per speech segment
  });

  it('a wrong key is an auth failure, not retried', async () => {
    const client = await setup({}, 'wrong-key-0000');
    expect(await failure(client.upload(twoPhrases))).toEqual({
      kind: 'auth',
      status: 401,
      detail: 'Authentication error, API token missing/invalid',
    });
    expect(server!.prerecorded.requests).toEqual(['POST /v2/upload -> 401']);
  });

  it('a refused upload ends after the bounded tries with the status and the service text', async () => {
    const client = await setup({ prerecorded: { uploadStatus: 500 } }, KEY, 2);
    expect(await failure(client.upload(twoPhrases))).toEqual({
      kind: 'refused',
      step: 'upload',
      status: 500,
      detail: 'Server error, developers have been alerted.',
    });
    expect(server!.prerecorded.requests).toHaveLength(2);
  });

  it('a create that failed with a 500 is not repeated (it may have created a billed job)', async () => {
    const client = await setup({ prerecorded: { createStatus: 500 } });
    const url = await client.upload(twoPhrases);
    expect((await failure(client.create(url, { speechModels: ['universal-2'] }))).kind).toBe('refused');
    expect(server!.prerecorded.requests.filter((r) => r.startsWith('POST /v2/transcript'))).toHaveLength(1);
  });

  it('a request the service rejects gets its 400 sentence back', async () => {
    const client = await setup();
    const url = await client.upload(twoPhrases);
    const f = await failure(client.create(url, { speechModels: ['nano'] }));
    expect(f).toMatchObject({ kind: 'refused', step: 'create', status: 400 });
    expect(f.kind === 'refused' && f.detail).toMatch(/^speech_models must be one of: /);
  });

  it('a transcript in `error` is reported with its text', async () => {
    const client = await setup({ prerecorded: { transcriptError: 'Audio duration is too short.' } });
    const id = await client.create(await client.upload(twoPhrases), { speechModels: ['universal-2'] });
    expect(await failure(client.waitFor(id, 10_000))).toEqual({ kind: 'transcript-error', id, detail: 'Audio duration is too short.' });
  });

  it('non-audio bytes end in the service error, not a crash', async () => {
    const client = await setup();
    const id = await client.create(await client.upload(Buffer.from('{"not":"audio"}')), { speechModels: ['universal-2'] });
    const f = await failure(client.waitFor(id, 10_000));
    expect(f.kind === 'transcript-error' && f.detail).toMatch(/does not appear to contain audio/);
  });

  it('polling is bounded: a transcript still processing at the bound is a timeout', async () => {
    const client = await setup({ prerecorded: { processingMs: 60_000 } });
    const id = await client.create(await client.upload(twoPhrases), { speechModels: ['universal-2'] });
    const f = await failure(client.waitFor(id, 400));
    expect(f.kind).toBe('timeout');
    expect(server!.prerecorded.transcripts[0]!.polls).toBeGreaterThanOrEqual(2);
  });

  it('an unknown transcript id is the documented 400', async () => {
    const client = await setup();
    expect(await failure(client.get('no-such-id'))).toMatchObject({
      kind: 'refused',
      step: 'poll',
      status: 400,
      detail: 'Transcript lookup error, transcript id not found',
    });
  });
});
