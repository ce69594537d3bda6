/**
 * Today's service (issue 12, docs/service.md#connecting) through the real binary and the double: models and languages,
 * speakers (also across a reconnect). The model-specific options, tokens, --help and server messages are in
 * service-options.test.ts (two files run side by side).
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { BIN, cleanEnv, runCli, TEST_KEY } from '../support/cli.js';
import { startTmux } from '../support/tmux.js';
import { parseNdjsonStrict, parseSrtStrict, parseVttStrict } from '../support/captions.js';
import { turnsOf, useThreeTurns } from '../support/three-turns.js';

type Json = Record<string, unknown>;
const three = useThreeTurns('lt-service-');
const { f, start, closeServer, transcribe, transcribe1, refused } = three;

describe('models and languages', () => {
  it('--language de picks the multilingual model with detection; JSON turns carry language and language_confidence', async () => {
    const r = await transcribe({ languages: ['de'] }, ['--language', 'de', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.sessions[0]!.query).toMatchObject({ speech_model: 'universal-streaming-multilingual', language_detection: 'true' });
    expect(r.stderr).toMatch(/note: --language de: using universal-streaming-multilingual/);
    const turns = turnsOf(r.stdout);
    expect(turns).toHaveLength(3);
    for (const t of turns) expect(t).toMatchObject({ language: 'de', language_confidence: 0.99 });
  });

  it('--language ja picks universal-3-6-pro with language_codes, and sends no format_turns', async () => {
    const r = await transcribe({}, ['--language', 'ja', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.sessions[0]!.query).toMatchObject({ speech_model: 'universal-3-6-pro', language_codes: '["ja"]' });
    expect(r.sessions[0]!.query.format_turns).toBeUndefined();
    expect(turnsOf(r.stdout).map((t) => t.text)).toEqual(['Hello world.', 'Good morning everyone.', 'The quick brown fox.']);
  });

  it('--language auto detects per turn; text output shows the language when it changes', async () => {
    const r = await transcribe({ languages: ['en', 'en', 'de'] }, ['--language', 'auto']);
    expect(r.code).toBe(0);
    expect(r.sessions[0]!.query).toMatchObject({ speech_model: 'universal-3-6-pro', language_detection: 'true' });
    expect(r.stdout).toBe('[en] Hello world.\nGood morning everyone.\n[de] The quick brown fox.\n');
  });

  it('English and no --language keep the cheaper default model', async () => {
    const r = await transcribe1({}, ['--language', 'en']);
    expect(r.code).toBe(0);
    expect(r.sessions[0]!.query).toMatchObject({ speech_model: 'universal-streaming-english', format_turns: 'true' });
    expect(r.sessions[0]!.query.language_codes).toBeUndefined();
  });

  it('refuses a language no model supports, listing those that are', async () => {
    const r = await refused(['--language', 'xx']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: no streaming model recognises xx/);
    expect(r.stderr).toMatch(/supported: .*\bde\b.*\bja\b/);
  });

  it('refuses a likely typo of a model name, with the suggestion', async () => {
    const r = await refused(['--speech-model', 'universal-3-6-prp']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown --speech-model "universal-3-6-prp": did you mean universal-3-6-pro\?/);
  });

  it('warns about a legacy model and still uses it', async () => {
    const r = await transcribe1({}, ['--speech-model', 'u3-rt-pro']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: u3-rt-pro is a legacy model/);
    expect(r.sessions[0]!.query.speech_model).toBe('u3-rt-pro');
  });

  it('sends an unknown model as given with a note, and shows the service 3006 answer in plain words', async () => {
    const r = await transcribe1({}, ['--speech-model', 'universal-3-8-pro']);
    expect(r.sessions[0]!.query.speech_model).toBe('universal-3-8-pro');
    expect(r.stderr).toMatch(/note: --speech-model universal-3-8-pro is not a model this client knows: it is sent as given/);
    expect(r.stderr).toMatch(/error: the service does not know the speech model "universal-3-8-pro"/);
    expect(r.stderr).toMatch(/the service accepts: universal-streaming-english, .*universal-3-6-pro/);
    expect(r.stderr).not.toMatch(/_universal-3-5-notetaker/);
    expect(r.code).toBe(2);
  });

  it('warns when Begin.configuration.model is not the model asked for', async () => {
    const r = await transcribe1({ beginConfiguration: true, beginModel: 'universal-3-6-pro' }, ['--speech-model', 'u3-rt-pro', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: asked for u3-rt-pro, but the service is using universal-3-6-pro/);
  });

  it('--format-turns says it has no effect on an always-formatted model, and is not sent', async () => {
    const r = await transcribe({}, ['--speech-model', 'universal-3-6-pro', '--no-format-turns']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: --no-format-turns has no effect on universal-3-6-pro: its turns are always formatted/);
    expect(r.sessions[0]!.query.format_turns).toBeUndefined();
    expect(r.stdout).toBe('Hello world.\nGood morning everyone.\nThe quick brown fox.\n');
  });

  it('--list-models prints the models with languages and features, as text and as JSON', async () => {
    const text = runCli(['--list-models'], cleanEnv());
    expect(await text.exit(20_000)).toBe(0);
    expect(text.stdout()).toMatch(/universal-streaming-english/);
    expect(text.stdout()).toMatch(/universal-3-6-pro +32 languages \(below\) +the most accurate/);
    expect(text.stdout()).not.toMatch(/\?|undocumented|third party/);
    const json = runCli(['--list-models', '--format', 'json'], cleanEnv());
    expect(await json.exit(20_000)).toBe(0);
    const doc = JSON.parse(json.stdout()) as { models: { name: string; languages: unknown }[] };
    expect(doc.models.find((m) => m.name === 'universal-streaming-multilingual')?.languages).toEqual(['en', 'es', 'de', 'fr', 'pt', 'it']);
  });
});

describe('speakers', () => {
  it('--speaker-labels: text prefixes each line with its speaker; --max-speakers is sent', async () => {
    const r = await transcribe({ speakers: ['A', 'B'] }, ['--speaker-labels', '--max-speakers', '2']);
    expect(r.code).toBe(0);
    expect(r.sessions[0]!.query).toMatchObject({ speaker_labels: 'true', max_speakers: '2' });
    expect(r.stdout).toBe('A: Hello world.\nB: Good morning everyone.\nA: The quick brown fox.\n');
  });

  it('on a terminal, each speaker in its own colour', async () => {
    const s = await start({ speakers: ['A', 'B'] });
    const term = await startTmux(`${process.execPath} ${BIN} --api-host ${s.url} -i ${three.multi} --speaker-labels -q`, {
      cols: 60,
      rows: 10,
      env: { ASSEMBLYAI_API_KEY: TEST_KEY },
    });
    try {
      expect(await term.waitForExit(30_000)).toBe(0);
      const screen = await term.captureWithEscapes();
      expect(screen).toMatch(/\u001b\[36mA\u001b\[[0-9;]*m: Hello world\./);
      expect(screen).toMatch(/\u001b\[35mB\u001b\[[0-9;]*m: Good morning everyone\./);
    } finally {
      await term.kill();
    }
  });

  it('JSON has speaker on the turn and speaker, speaker_confidence on each word', async () => {
    const r = await transcribe({ speakers: ['A', 'B'] }, ['--speaker-labels', '--format', 'json']);
    expect(r.code).toBe(0);
    const turns = turnsOf(r.stdout);
    expect(turns.map((t) => t.speaker)).toEqual(['A', 'B', 'A']);
    const words = turns[1]!.words as Json[];
    expect(words.length).toBeGreaterThan(0);
    for (const w of words) expect(w).toMatchObject({ speaker: 'B', speaker_confidence: expect.any(Number) });
  });

  it('SRT and VTT use their conventions: "A: " and <v Speaker A>', async () => {
    const vtt = await transcribe({ speakers: ['A', 'B'] }, ['--speaker-labels', '-o', f('meeting.vtt')]);
    expect(vtt.code).toBe(0);
    const cues = parseVttStrict(await readFile(f('meeting.vtt'), 'utf8'));
    expect(cues.map((c) => c.text)).toEqual([
      '<v Speaker A>Hello world.</v>',
      '<v Speaker B>Good morning everyone.</v>',
      '<v Speaker A>The quick brown fox.</v>',
    ]);
    await closeServer();
    const srt = await transcribe({ speakers: ['A', 'B'] }, ['--speaker-labels', '-o', f('meeting.srt')]);
    expect(srt.code).toBe(0);
    expect(parseSrtStrict(await readFile(f('meeting.srt'), 'utf8')).map((c) => c.text)).toEqual([
      'A: Hello world.',
      'B: Good morning everyone.',
      'A: The quick brown fox.',
    ]);
  });

  it('a PENDING turn shows as such; the SpeakerRevision is a speaker_revision event by run-wide index; the text file stays', async () => {
    const r = await transcribe({ speakers: ['A', 'B'], pendingSpeakerBelowMs: 60_000 }, ['--speaker-labels', '-o', f('pending.jsonl')]);
    expect(r.code).toBe(0);
    const events = parseNdjsonStrict(await readFile(f('pending.jsonl'), 'utf8'));
    expect(events.filter((e) => e.type === 'turn').map((e) => e.speaker)).toEqual(['PENDING', 'PENDING', 'PENDING']);
    const revision = events.find((e) => e.type === 'speaker_revision');
    expect(revision).toMatchObject({
      type: 'speaker_revision',
      v: 1,
      turns: [
        { index: 0, speaker: 'A' },
        { index: 1, speaker: 'B' },
        { index: 2, speaker: 'A' },
      ],
    });
    expect(events.indexOf(revision!)).toBeLessThan(events.findIndex((e) => e.type === 'termination'));
    expect(r.stdout).toBe('?: Hello world.\n?: Good morning everyone.\n?: The quick brown fox.\n');
  });

  it('issue 24.9: a text or SRT file gets the settled labels, never ? or PENDING, while stdout shows ? live', async () => {
    const txt = await transcribe({ speakers: ['A', 'B'], pendingSpeakerBelowMs: 60_000 }, ['--speaker-labels', '-o', f('settled.txt')]);
    expect(txt.code).toBe(0);
    expect(txt.stdout).toBe('?: Hello world.\n?: Good morning everyone.\n?: The quick brown fox.\n');
    expect(await readFile(f('settled.txt'), 'utf8')).toBe('A: Hello world.\nB: Good morning everyone.\nA: The quick brown fox.\n');
    await closeServer();
    const srt = await transcribe({ speakers: ['A', 'B'], pendingSpeakerBelowMs: 60_000 }, ['--speaker-labels', '-o', f('settled.srt')]);
    expect(srt.code).toBe(0);
    expect(parseSrtStrict(await readFile(f('settled.srt'), 'utf8')).map((c) => c.text)).toEqual([
      'A: Hello world.',
      'B: Good morning everyone.',
      'A: The quick brown fox.',
    ]);
  });

  it('after a reconnect, the new session labels carry its number (A2)', async () => {
    const r = await transcribe({ speakers: ['A'], perSession: (i) => (i === 0 ? { dropAfterMs: 1700 } : {}) }, [
      '--speaker-labels',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    expect(r.sessions.length).toBeGreaterThanOrEqual(2);
    const turns = turnsOf(r.stdout);
    const first = r.sessions[0]!.id;
    expect(turns.some((t) => t.session_id === first)).toBe(true);
    for (const t of turns) expect(t.speaker).toBe(t.session_id === first ? 'A' : 'A2');
    expect(turns.some((t) => t.speaker === 'A2')).toBe(true);
  });
});
