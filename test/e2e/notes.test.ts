/**
 * LLM notes and questions (issue 23) against the double's LLM Gateway (test/support/fake-server/llm-gateway.ts):
 * the request carries the labelled transcript and the chosen model; the .notes.md file is written (and shown
 * on a terminal); a 429 is waited out; a failure leaves the transcript and the exit code alone; a long
 * transcript is summarised in parts; the ? key in a real terminal while audio flows; `notes FILE` for every
 * format; nothing at all is sent without being asked for.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { EU_LLM_MODELS, type FakeServer } from '../support/fake-server.js';
import { makeFakeSoxDir } from '../support/fake-sox.js';
import { openedPerTest } from '../support/e2e-files.js';
import { useThreeTurns } from '../support/three-turns.js';
import { BIN, cleanEnv, keyEnv, runCli, TEST_KEY } from '../support/cli.js';
import { startTmux, type TmuxSession } from '../support/tmux.js';
import { startConnectProxy } from '../support/connect-proxy.js';

const run = promisify(execFile);
const three = useThreeTurns('lt-notes-');
const { f, start } = three;
const open = openedPerTest<{ term: TmuxSession }>();
const env = keyEnv;
const chats = (s: FakeServer) => s.llmRequests.filter((r) => r.path === '/v1/chat/completions');
const userText = (body: Record<string, unknown> | undefined): string =>
  ((body?.messages ?? []) as Array<{ role: string; content: string }>).map((m) => m.content).join('\n');

describe('--notes at the end of a run', () => {
  it('sends the labelled transcript with the chosen model, writes FILE.notes.md beside -o, and keeps stdout the transcript', async () => {
    const s = await start({ speakers: ['A', 'B'] });
    const out = f('meeting.txt');
    const cli = runCli(['--api-host', s.url, '-i', three.multi, '-o', out, '--speaker-labels', '--notes', '--llm-model', 'claude-sonnet-4-6'], env());
    expect(await cli.exit(30_000)).toBe(0);
    const [models, chat] = s.llmRequests;
    expect(models).toMatchObject({ method: 'GET', path: '/v1/models' }); // checked before the run
    expect(models!.headers.authorization).toBeUndefined(); // the list needs no key
    expect(chat).toMatchObject({ method: 'POST', path: '/v1/chat/completions', status: 200 });
    expect(chat!.headers.authorization).toBe(TEST_KEY); // the raw key (docs/service.md#gateway-authentication)
    expect(chat!.body).toMatchObject({ model: 'claude-sonnet-4-6' });
    const sent = userText(chat!.body);
    expect(sent).toMatch(/^\[00:00:0\d\] Speaker A: Hello world\.$/m);
    expect(sent).toMatch(/^\[00:00:0\d\] Speaker B: Good morning everyone\.$/m);
    expect(sent).toMatch(/^\[00:00:0\d\] Speaker A: The quick brown fox\.$/m);
    expect(sent).toMatch(/Action items/); // the default prompt
    const notes = await readFile(f('meeting.notes.md'), 'utf8');
    expect(notes).toMatch(/^## Summary\nNotes by claude-sonnet-4-6 on 3 transcript lines, the first: "\[00:00:0\d\] Speaker A: Hello world\."/);
    expect(cli.stdout()).not.toMatch(/Summary|Notes by/);
    expect(cli.stdout()).toMatch(/Hello world\./);
    expect(cli.stderr()).toMatch(/Notes written to .*meeting\.notes\.md\./);
    expect(await readFile(out, 'utf8')).not.toMatch(/Notes by/);
  });

  it('sends nothing to the gateway without --notes (the request log stays empty)', async () => {
    const s = await start();
    const cli = runCli(['--api-host', s.url, '-i', three.multi, '-o', f('plain.txt')], env());
    expect(await cli.exit(30_000)).toBe(0);
    expect(s.sessions.length).toBe(1);
    expect(s.llmRequests).toEqual([]);
    expect(existsSync(f('plain.notes.md'))).toBe(false);
  });

  it('a user prompt, notes shown on stderr without a file; a 429 is waited out (retry-after) and then succeeds', async () => {
    const s = await start({ llm: { faults: [{ status: 429, retryAfterS: 1 }] } });
    const cli = runCli(['--api-host', s.url, '-i', three.multi, '--notes', 'list the greetings'], env());
    expect(await cli.exit(30_000)).toBe(0);
    const [first, second] = chats(s);
    expect(first?.status).toBe(429);
    expect(second?.status).toBe(200);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(900); // retry-after: 1 s honoured
    expect(userText(second!.body)).toMatch(/^list the greetings\n/m);
    expect(cli.stderr()).toMatch(/rate-limited \(429\), trying again in 1 s/);
    expect(cli.stderr()).toMatch(/Notes by claude-haiku-4-5-20251001 on 3 transcript lines/);
    expect(cli.stdout()).not.toMatch(/Notes by/);
  });

  it.each([
    ['5xx three times', [{ status: 500 }, { status: 502 }, { status: 503 }], /Notes not written: the LLM Gateway failed \(503\) after 3 tries/, 3],
    [
      'a refused key (401)',
      [{ status: 401, body: { error: 'Authentication error, API token missing/invalid', status: 'error', request_id: 'r-1' } }],
      /Notes not written: the LLM Gateway refused the API key \(401\)/,
      1,
    ],
    ['a refusal', [{ refusal: 'I cannot help with that.' }], /Notes not written: the model declined to write them \(I cannot help with that\.\)/, 1],
  ])('a failure (%s) leaves the transcript and the exit code untouched', async (_name, faults, said, requests) => {
    const s = await start({ llm: { faults } });
    const out = f(`fail-${requests}-${String(said).length}.jsonl`);
    const cli = runCli(['--api-host', s.url, '-i', three.multi, '-o', out, '--notes'], env());
    expect(await cli.exit(30_000)).toBe(0);
    expect(chats(s)).toHaveLength(requests);
    expect(cli.stderr()).toMatch(said);
    expect(cli.stderr()).toMatch(/The transcript is complete and unchanged\./);
    const turns = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; text?: string })
      .filter((e) => e.type === 'turn');
    expect(turns.map((t) => t.text)).toEqual(['Hello world.', 'Good morning everyone.', 'The quick brown fox.']);
    expect(existsSync(out.replace(/\.jsonl$/, '.notes.md'))).toBe(false);
  });

  it('a slow gateway times out (bounded), and the run still ends with its own code', async () => {
    const s = await start({ llm: { faults: [{ delayMs: 20_000 }, { delayMs: 20_000 }] } });
    const cli = runCli(['--api-host', s.url, '-i', three.multi, '--notes'], env({ LIVE_TRANSCRIBE_LLM_TIMEOUT_MS: '1500' }));
    expect(await cli.exit(30_000)).toBe(0);
    expect(chats(s)).toHaveLength(2);
    expect(cli.stderr()).toMatch(/did not answer in time \(no answer within 2 s\) after 2 tries/);
  });

  it("Ctrl+C while the notes are written skips them; the exit code is the run's", async () => {
    const s = await start({ llm: { faults: [{ delayMs: 20_000 }] } });
    const cli = runCli(['--api-host', s.url, '-i', three.multi, '-o', f('skip.txt'), '--notes'], env());
    await cli.waitForStderr(/Writing notes with/, 30_000);
    cli.signal('SIGINT');
    expect(await cli.exit(10_000)).toBe(0);
    expect(cli.stderr()).toMatch(/Notes skipped \(Ctrl\+C\)/);
    expect(await readFile(f('skip.txt'), 'utf8')).toMatch(/The quick brown fox\./);
    expect(existsSync(f('skip.notes.md'))).toBe(false);
  });

  it('refuses before the run: a model the region does not serve, a token instead of a key, an existing notes file', async () => {
    const s = await start({ llm: { models: [...EU_LLM_MODELS] } });
    const model = runCli(['--api-host', s.url, '-i', three.multi, '--notes', '--llm-model', 'gpt-5-nano'], env());
    expect(await model.exit(15_000)).toBe(2);
    expect(model.stderr()).toMatch(/--llm-model gpt-5-nano is not served by the LLM Gateway/);
    const token = runCli(['--api-host', s.url, '-i', three.multi, '--notes', '--token', 'some-temp-token'], cleanEnv());
    expect(await token.exit(15_000)).toBe(2);
    expect(token.stderr()).toMatch(/the LLM Gateway needs an API key: it does not take temporary tokens/);
    await writeFile(f('taken.notes.md'), 'keep me\n');
    const exists = runCli(['--api-host', s.url, '-i', three.multi, '-o', f('taken.txt'), '--notes'], env());
    expect(await exists.exit(15_000)).toBe(2);
    expect(exists.stderr()).toMatch(/the notes file .*taken\.notes\.md exists already/);
    expect(await readFile(f('taken.notes.md'), 'utf8')).toBe('keep me\n');
    expect(s.sessions).toEqual([]); // no session opened, nothing billed
    expect(chats(s)).toEqual([]);
  });

  it('--append adds the new notes to the existing notes file, like the transcript', async () => {
    const s = await start();
    await writeFile(f('daily.txt'), 'Earlier.\n');
    await writeFile(f('daily.notes.md'), '## Yesterday\n');
    const cli = runCli(['--api-host', s.url, '-i', three.multi, '-o', f('daily.txt'), '--append', '--notes'], env());
    expect(await cli.exit(30_000)).toBe(0);
    expect(await readFile(f('daily.notes.md'), 'utf8')).toMatch(
      /^## Yesterday\n\n---\n\n## Summary\nNotes by claude-haiku-4-5-20251001 on 3 transcript lines/,
    );
    expect(await readFile(f('daily.txt'), 'utf8')).toMatch(/^Earlier\.\nHello world\./);
  });
});

describe('--list-llm-models', () => {
  it("lists the host's models as text and JSON, without a key", async () => {
    const s = await start({ llm: { models: [...EU_LLM_MODELS] } });
    const text = runCli(['--list-llm-models', '--api-host', s.url], cleanEnv());
    expect(await text.exit(15_000)).toBe(0);
    expect(text.stdout()).toMatch(/claude-haiku-4-5-20251001 +200k tokens.*\(default\)/);
    expect(text.stdout()).not.toMatch(/gpt-5/);
    const json = runCli(['--list-llm-models', '--format', 'json', '--api-host', s.url], cleanEnv());
    expect(await json.exit(15_000)).toBe(0);
    const parsed = JSON.parse(json.stdout()) as { default: string; models: Array<{ id: string; context_length: number }> };
    expect(parsed.default).toBe('claude-haiku-4-5-20251001');
    expect(parsed.models.map((m) => m.id)).toEqual(EU_LLM_MODELS.map((m) => m.id));
    expect(s.llmRequests.every((r) => r.path === '/v1/models' && r.headers.authorization === undefined)).toBe(true);
  });
});

describe('live-transcribe notes FILE', () => {
  it('reads every transcript format written by a run, and writes FILE.notes.md (or stdout with --notes-file -)', async () => {
    const s = await start({ speakers: ['A', 'B'] });
    const a = runCli(['--api-host', s.url, '-i', three.multi, '--speaker-labels', '-o', f('json.jsonl'), '--format', 'srt'], env());
    expect(await a.exit(30_000)).toBe(0);
    await writeFile(f('srt.srt'), a.stdout());
    const b = runCli(['--api-host', s.url, '-i', three.multi, '--speaker-labels', '-o', f('vtt.vtt'), '--timestamps'], env());
    expect(await b.exit(30_000)).toBe(0);
    await writeFile(f('text.txt'), b.stdout());
    expect(s.llmRequests).toEqual([]);
    for (const name of ['json.jsonl', 'srt.srt', 'vtt.vtt', 'text.txt']) {
      const before = chats(s).length;
      const cli = runCli(['notes', f(name), '--api-host', s.url], env());
      expect(await cli.exit(15_000), cli.stderr()).toBe(0);
      const sent = userText(chats(s)[before]!.body);
      expect(sent, name).toMatch(/^\[00:00:0\d\] (Speaker )?A: Hello world\.$/m);
      expect(sent, name).toMatch(/^\[00:00:0\d\] (Speaker )?B: Good morning everyone\.$/m);
      expect(sent, name).toMatch(/The quick brown fox\.$/m);
      const notes = await readFile(f(name.replace(/\.\w+$/, '.notes.md')), 'utf8');
      expect(notes).toMatch(/Notes by claude-haiku-4-5-20251001 on 3 transcript lines/);
    }
    const toStdout = runCli(['notes', f('json.jsonl'), '--api-host', s.url, '--notes-file', '-', '--prompt', 'who spoke?'], env());
    expect(await toStdout.exit(15_000)).toBe(0);
    expect(toStdout.stdout()).toMatch(/Notes by claude-haiku-4-5-20251001 on 3 transcript lines/);
    expect(userText(chats(s).at(-1)!.body)).toMatch(/^who spoke\?$/m);
  }, 60_000); // two runs of the file in real time, then four notes

  it('goes through HTTPS_PROXY like the streaming connection, and says plainly when the key is refused (exit 4)', async () => {
    const s = await start();
    await writeFile(f('proxied.txt'), 'A: Hello there.\n');
    const proxy = await startConnectProxy();
    try {
      const cli = runCli(['notes', f('proxied.txt'), '--api-host', s.url], env({ HTTPS_PROXY: proxy.url }));
      expect(await cli.exit(15_000), cli.stderr()).toBe(0);
      expect(proxy.targets.length).toBeGreaterThanOrEqual(1);
      expect(proxy.targets.every((t) => t === `127.0.0.1:${s.port}`)).toBe(true);
      expect(chats(s)).toHaveLength(1);
    } finally {
      await proxy.close();
    }
    const refused = runCli(['notes', f('proxied.txt'), '--api-host', s.url, '--force'], cleanEnv({ ASSEMBLYAI_API_KEY: 'not-a-valid-key-9' }));
    expect(await refused.exit(15_000)).toBe(4);
    expect(refused.stderr()).toMatch(/Notes not written: the LLM Gateway refused the API key \(401\)/);
  });

  it("summarises a transcript longer than the model's context in parts, then combines them", async () => {
    const s = await start({ llm: { contextLength: 1500 } });
    const lines = Array.from({ length: 60 }, (_, i) =>
      JSON.stringify({
        type: 'turn',
        v: 1,
        index: i,
        text: `Item ${i}: we talked about topic number ${i} at some length.`,
        start_ms: i * 5000,
        end_ms: i * 5000 + 4000,
        speaker: i % 2 === 0 ? 'A' : 'B',
      }),
    );
    await writeFile(f('long.jsonl'), `${lines.join('\n')}\n`);
    const cli = runCli(['notes', f('long.jsonl'), '--api-host', s.url], env());
    expect(await cli.exit(30_000), cli.stderr()).toBe(0);
    const requests = chats(s);
    expect(requests.every((r) => r.status === 200)).toBe(true); // every part fitted the context
    const parts = requests.slice(0, -1);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    parts.forEach((r, i) => expect(userText(r.body)).toMatch(new RegExp(`This is part ${i + 1} of ${parts.length} `)));
    // Every line went in exactly one part, in order.
    const sent = parts.flatMap((r) =>
      userText(r.body)
        .split('\n')
        .filter((l) => /^\[\d\d:\d\d:\d\d\] Speaker [AB]: Item/.test(l)),
    );
    expect(sent).toHaveLength(60);
    expect(sent[59]).toMatch(/Item 59:/);
    expect(userText(requests.at(-1)!.body)).toMatch(new RegExp(`split into ${parts.length} parts`));
    expect(userText(requests.at(-1)!.body)).toMatch(/Notes on part 1 of/);
    expect(await readFile(f('long.notes.md'), 'utf8')).toMatch(new RegExp(`Combined notes of ${parts.length} parts`));
    expect(cli.stderr()).toMatch(new RegExp(`${parts.length} parts summarised, then combined`));
  });
});

describe('in a real terminal (tmux)', () => {
  it('shows the notes on stderr after the transcript', async () => {
    const s = await start();
    open.term = await startTmux(`${process.execPath} ${BIN} --api-host ${s.url} -i ${three.multi} -o ${f('tty.txt')} --notes`, {
      cols: 100,
      rows: 30,
      env: { ASSEMBLYAI_API_KEY: TEST_KEY },
    });
    expect(await open.term.waitForExit(30_000)).toBe(0);
    const screen = await open.term.capture();
    expect(screen).toMatch(/Notes written to .*tty\.notes\.md\./);
    expect(screen).toMatch(/─+ notes ─+\n## Summary\nNotes by claude-haiku-4-5-20251001 on 3 transcript lines/);
    expect(await readFile(f('tty.notes.md'), 'utf8')).toMatch(/^## Summary/);
  });

  it('? asks about the transcript so far while audio flows; the answer is on stderr, never in the transcript', async () => {
    const speech = f('long-speech.wav');
    await run('sox', [
      f('hello.wav'),
      f('gap-1s.wav'),
      f('b.wav'),
      f('gap-1s.wav'),
      f('c.wav'),
      f('gap-1s.wav'),
      f('gap-1s.wav'),
      speech,
      'repeat',
      '6',
    ]);
    const soxDir = await makeFakeSoxDir('stream-file', { rawPath: speech, chunkBytes: 980, intervalMs: 30 });
    // The answer takes 2 s: audio must keep arriving at the double meanwhile.
    const s = await start({
      script: ['hello world', 'good morning everyone', 'the quick brown fox', 'one more turn', 'and another one', 'the last one'],
      llm: { faults: [{ delayMs: 2000 }] },
    });
    open.term = await startTmux(`${process.execPath} ${BIN} --api-host ${s.url} -o ${f('asked.txt')}`, {
      cols: 110,
      rows: 20,
      env: { ASSEMBLYAI_API_KEY: TEST_KEY, PATH: `${soxDir}:${process.env.PATH ?? ''}` },
    });
    await open.term.waitForScreen((sc) => /Good morning everyone\./.test(sc), 30_000);
    await open.term.sendText('?');
    await open.term.waitForScreen((sc) => /\? ▏ +\(Enter: ask, Esc: cancel\)/.test(sc), 10_000);
    await open.term.sendText('who said good morning q p');
    await open.term.waitForScreen((sc) => /\? who said good morning q p▏/.test(sc), 10_000);
    const audioBefore = s.sessions[0]!.audioMs;
    await open.term.sendKeys('Enter');
    const answered = await open.term.waitForScreen((sc) => /Answer: Fake answer by claude-haiku-4-5-20251001 from \d+ lines/.test(sc), 20_000);
    expect(answered).toMatch(/Asking claude-haiku-4-5-20251001: who said good morning q p/);
    // The typed q and p were the question's, not commands: the run goes on and turns keep coming.
    await s.waitFor((ss) => (ss[0]?.audioMs ?? 0) > audioBefore + 2000, 20_000);
    await open.term.waitForScreen((sc) => /One more turn\./.test(sc), 30_000);
    expect(s.sessions[0]!.closed).toBe(false);
    await open.term.sendKeys('q');
    expect(await open.term.waitForExit(20_000)).toBe(0);
    const chat = chats(s)[0]!;
    expect(userText(chat.body)).toMatch(/Question: who said good morning q p/);
    const session = s.sessions[0]!;
    const during = session.frames.filter((fr) => session.openedAt + fr.atMs > chat.at && session.openedAt + fr.atMs < chat.answeredAt);
    expect(during.reduce((ms, fr) => ms + fr.ms, 0)).toBeGreaterThan(1000); // of the 2 s the answer took
    expect(userText(chat.body)).toMatch(/^\[00:00:0\d\] Good morning everyone\.$/m);
    const transcript = await readFile(f('asked.txt'), 'utf8');
    expect(transcript).toMatch(/Good morning everyone\./);
    expect(transcript).not.toMatch(/Answer|Fake answer|who said/);
  }, 90_000);
});
