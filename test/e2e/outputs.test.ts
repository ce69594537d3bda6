/**
 * Transcripts for scripts and files: every output format parsed back strictly (also files cut off by
 * kill -9), files that are never silently destroyed, and the shell idioms: `| head -n 1`, `$(... --once)`,
 * --max-duration, --until-silence, --quiet.
 */
import { describe, expect, it } from 'vitest';
import { readFile, writeFile, stat } from 'node:fs/promises';
import { makeFakeSoxDir } from '../support/fake-sox.js';
import { shell } from '../support/shell.js';
import { keyEnv, runCli } from '../support/cli.js';
import { parseNdjsonStrict, parseSrtStrict, parseVttStrict } from '../support/captions.js';
import { useThreeTurns } from '../support/three-turns.js';

const FINALS = ['Hello world.', 'Good morning everyone.', 'The quick brown fox.'];
const three = useThreeTurns('lt-outputs-');
const { f, start } = three;
const env = keyEnv;

describe('output formats', () => {
  it('json: one object per line, begin / partial / turn / termination, numbers as numbers', async () => {
    const s = await start();
    const cli = runCli(['--api-host', s.url, '-i', three.multi, '--format', 'json', '--partials'], env());
    expect(await cli.exit(30_000)).toBe(0);
    const events = parseNdjsonStrict(cli.stdout());
    expect(events[0]).toMatchObject({
      type: 'begin',
      v: 1,
      session_id: s.sessions[0]!.id,
      sample_rate: 16000,
      speech_model: 'universal-streaming-english',
    });
    expect(events[events.length - 1]).toMatchObject({ type: 'termination', v: 1, reason: 'end-of-input', turns: 3 });
    expect(events.some((e) => e.type === 'partial')).toBe(true);
    const turns = events.filter((e) => e.type === 'turn');
    expect(turns.map((t) => t.text)).toEqual(FINALS);
    expect(turns.map((t) => t.index)).toEqual([0, 1, 2]);
    let previousEnd = -1;
    for (const t of turns) {
      for (const k of ['start_ms', 'end_ms', 'turn_order', 'index']) expect(Number.isInteger(t[k])).toBe(true);
      expect(typeof t.end_of_turn_confidence).toBe('number');
      expect(t.start_ms as number).toBeGreaterThanOrEqual(previousEnd);
      expect(t.end_ms as number).toBeGreaterThan(t.start_ms as number);
      previousEnd = t.end_ms as number;
      expect(Date.parse(t.time as string)).not.toBeNaN();
      const words = t.words as Record<string, unknown>[];
      expect(words.length).toBeGreaterThan(0);
      for (const w of words) expect(typeof w.confidence === 'number' && Number.isInteger(w.start_ms) && Number.isInteger(w.end_ms)).toBe(true);
    }
    expect(cli.stdout()).not.toContain('\u001b');
  });

  it('json without --partials has no partial lines', async () => {
    const s = await start();
    const cli = runCli(['--api-host', s.url, '-i', three.hello, '--format', 'json'], env());
    expect(await cli.exit()).toBe(0);
    expect(parseNdjsonStrict(cli.stdout()).map((e) => e.type)).toEqual(['begin', 'turn', 'termination']);
  });

  it('text with --timestamps', async () => {
    const s = await start();
    const cli = runCli(['--api-host', s.url, '-i', three.multi, '--timestamps'], env());
    expect(await cli.exit(30_000)).toBe(0);
    const lines = cli.stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    lines.forEach((l, i) =>
      expect(l).toMatch(new RegExp(`^\\[\\d{2}:\\d{2}:\\d{2}\\.\\d{3} -> \\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\] ${FINALS[i]!.replace('.', '\\.')}$`)),
    );
  });

  it.each([
    ['srt', parseSrtStrict],
    ['vtt', parseVttStrict],
  ])('--format %s on stdout parses strictly', async (format, parse) => {
    const s = await start();
    const cli = runCli(['--api-host', s.url, '-i', three.multi, '--format', format], env());
    expect(await cli.exit(30_000)).toBe(0);
    expect(parse(cli.stdout()).map((c) => c.text)).toEqual(FINALS);
  });

  it.each([
    ['out.srt', (c: string) => parseSrtStrict(c).map((x) => x.text)],
    ['out.vtt', (c: string) => parseVttStrict(c).map((x) => x.text)],
    [
      'out.jsonl',
      (c: string) =>
        parseNdjsonStrict(c)
          .filter((e) => e.type === 'turn')
          .map((e) => e.text),
    ],
    ['out.txt', (c: string) => c.trimEnd().split('\n')],
  ])('-o %s: the file in its format, stdout as text', async (name, texts) => {
    const s = await start();
    const cli = runCli(['--api-host', s.url, '-i', three.multi, '-o', f(name)], env());
    expect(await cli.exit(30_000)).toBe(0);
    expect(cli.stdout()).toBe(`${FINALS.join('\n')}\n`);
    expect(texts(await readFile(f(name), 'utf8'))).toEqual(FINALS);
  });
});

describe('transcript files are valid at every moment', () => {
  it.each([
    ['cut.srt', (c: string) => parseSrtStrict(c).length],
    ['cut.vtt', (c: string) => parseVttStrict(c).length],
    ['cut.ndjson', (c: string) => parseNdjsonStrict(c).filter((e) => e.type === 'turn').length],
  ])('%s cut off by kill -9 still parses, turn by turn', async (name, count) => {
    const s = await start();
    const file = f(name);
    const cli = runCli(['--api-host', s.url, '-i', three.multi, '-o', file], env());
    await cli.waitForStdout(/Good morning everyone\.\n/, 20_000);
    cli.signal('SIGKILL');
    await cli.exit();
    const content = await readFile(file, 'utf8');
    expect(count(content)).toBe(2);
  });
});

describe('existing files are never silently destroyed', () => {
  it('refuses, says how to append or overwrite, exit 2, no connection', async () => {
    const s = await start();
    await writeFile(f('keep.txt'), 'precious\n');
    const cli = runCli(['--api-host', s.url, '-i', three.hello, '-o', f('keep.txt')], env());
    expect(await cli.exit()).toBe(2);
    expect(cli.stderr()).toMatch(/the transcript file .*keep\.txt already exists/);
    expect(cli.stderr()).toMatch(/--append/);
    expect(cli.stderr()).toMatch(/--force/);
    expect(await readFile(f('keep.txt'), 'utf8')).toBe('precious\n');
    expect(s.sessions).toHaveLength(0);
  });

  it('--append continues an SRT file: numbering and times go on', async () => {
    const s = await start();
    const file = f('append.srt');
    const first = runCli(['--api-host', s.url, '-i', three.hello, '-o', file], env());
    expect(await first.exit()).toBe(0);
    const second = runCli(['--api-host', s.url, '-i', three.multi, '-o', file, '--append'], env());
    expect(await second.exit(30_000)).toBe(0);
    const cues = parseSrtStrict(await readFile(file, 'utf8'));
    expect(cues.map((c) => c.number)).toEqual([1, 2, 3, 4]);
    expect(cues[1]!.startMs).toBeGreaterThanOrEqual(cues[0]!.endMs);
  });

  it('--append adds to text; --force replaces', async () => {
    const s = await start();
    const file = f('notes.txt');
    await writeFile(file, 'earlier line\n');
    expect(await runCli(['--api-host', s.url, '-i', three.hello, '-o', file, '--append'], env()).exit()).toBe(0);
    expect(await readFile(file, 'utf8')).toBe('earlier line\nHello world.\n');
    expect(await runCli(['--api-host', s.url, '-i', three.hello, '-o', file, '--force', '--no-format-turns'], env()).exit()).toBe(0);
    expect(await readFile(file, 'utf8')).toBe('hello world\n');
  });
});

describe('in shell scripts', () => {
  it('| head -n 1 ends quietly with exit 0 and still terminates the session', async () => {
    const s = await start();
    const r = await shell(`"$NODE" "$BIN" --api-host ${s.url} -i ${three.multi} | head -n 1`, env());
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Hello world.\n');
    expect(r.stderr).not.toMatch(/error|EPIPE/i);
    const session = await s.waitForSessionClosed(0);
    expect(session.terminated).toBe(true);
  });

  it('answer=$(live-transcribe --once -q): the first turn, exit 0, nothing on stderr, session terminated', async () => {
    const s = await start();
    const r = await shell(`answer=$("$NODE" "$BIN" --api-host ${s.url} -i ${three.multi} --once -q); code=$?; echo "[$answer]"; exit $code`, env());
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('[Hello world.]\n');
    expect(r.stderr).toBe('');
    const session = await s.waitForSessionClosed(0);
    expect(session.terminated).toBe(true);
    expect(session.audioMs).toBeLessThan(4000); // stopped after the first turn, not at the end of the file
  });

  it('--max-duration stops gracefully after exactly that much audio', async () => {
    const s = await start();
    const cli = runCli(['--api-host', s.url, '-i', three.multi, '--max-duration', '2'], env());
    expect(await cli.exit()).toBe(0);
    const session = await s.waitForSessionClosed(0);
    expect(session.audioMs).toBe(2000);
    expect(session.terminated).toBe(true);
    expect(cli.stderr()).toMatch(/Maximum duration reached/);
    expect(cli.stdout()).toBe('Hello world.\n');
  });

  it('--until-silence stops once speech was followed by that much silence (microphone)', async () => {
    const s = await start();
    const soxDir = await makeFakeSoxDir('stream-file', { rawPath: three.hello, chunkBytes: 980, intervalMs: 30 });
    const cli = runCli(['--api-host', s.url, '--until-silence', '1.5'], keyEnv({ PATH: `${soxDir}:${process.env.PATH ?? ''}` }));
    expect(await cli.exit(20_000)).toBe(0);
    expect(cli.stdout()).toBe('Hello world.\n');
    expect(cli.stderr()).toMatch(/Silence: stopping/);
    const session = await s.waitForSessionClosed(0);
    expect(session.terminated).toBe(true);
    const speechMs = (await stat(three.hello)).size / 32;
    expect(session.audioMs).toBeGreaterThanOrEqual(1500);
    expect(session.audioMs).toBeLessThan(speechMs + 4000);
  });

  it('--quiet leaves stderr empty on success', async () => {
    const s = await start();
    const cli = runCli(['--api-host', s.url, '-i', three.hello, '-q'], env());
    expect(await cli.exit()).toBe(0);
    expect(cli.stderr()).toBe('');
    expect(cli.stdout()).toBe('Hello world.\n');
  });
});
