/**
 * The live view in a real terminal (tmux): partials dimmed and rewritten in place, also when they wrap;
 * finals committed once with no debris; Ctrl+C from the keyboard (to the whole process group, SoX
 * included) ending cleanly with the summary.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { makeFakeSoxDir } from '../support/fake-sox.js';
import { makeSpeechWav } from '../support/audio.js';
import { startTmux, type TmuxSession } from '../support/tmux.js';
import { BIN, TEST_KEY } from '../support/cli.js';

const SCRIPT = 'one two three four five six seven eight nine ten eleven twelve';
const FINAL = 'One two three four five six seven eight nine ten eleven twelve.';
const COLS = 40;

let dir: string;
let soxDir: string;
let server: FakeServer | undefined;
let term: TmuxSession | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-tty-'));
  const wav = path.join(dir, 'speech.wav');
  await makeSpeechWav('the quick brown fox jumps over the lazy dog and then it runs far away into the woods', wav);
  soxDir = await makeFakeSoxDir('stream-file', { rawPath: wav, chunkBytes: 980, intervalMs: 30 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await term?.kill();
  await server?.close();
  term = undefined;
  server = undefined;
});

/** Rows of the screen below the status lines, where the transcript is. */
function transcriptRows(screen: string): string[] {
  const lines = screen.split('\n');
  const i = lines.findIndex((l) => l.startsWith('Listening...'));
  return i < 0 ? [] : lines.slice(i + 1);
}

function wrap(text: string, cols: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < text.length; i += cols) rows.push(text.slice(i, i + cols).trimEnd());
  return rows;
}

describe('live view in a real terminal', () => {
  it('rewrites a wrapping partial in place, commits the final with no debris, and Ctrl+C exits cleanly', async () => {
    server = await startFakeServer({ script: [SCRIPT], wordIntervalMs: 200, beginDelayMs: 200 });
    term = await startTmux(`${process.execPath} ${BIN} --api-host ${server.url}`, {
      cols: COLS,
      rows: 14,
      env: { ASSEMBLYAI_API_KEY: TEST_KEY, PATH: `${soxDir}:${process.env.PATH ?? ''}` },
    });

    // A partial long enough to wrap onto a second row, shown exactly once.
    const partialScreen = await term.waitForScreen((s) => /eleven/.test(s) && !/One two/.test(s), 20_000);
    const rows = transcriptRows(partialScreen).filter((r) => r !== '');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.join('')).toMatch(/^one two three four five six seven eight ?nine ten eleven/);
    expect(partialScreen.match(/one two/g)).toHaveLength(1);
    const partialEscapes = await term.captureWithEscapes();
    expect(partialEscapes).toMatch(/\u001b\[2m/); // dimmed

    // The final replaces it: the formatted text once, nothing left of the partial.
    const finalScreen = await term.waitForScreen((s) => s.includes('twelve.'), 20_000);
    expect(transcriptRows(finalScreen).filter((r) => r !== '')).toEqual(wrap(FINAL, COLS));
    expect(finalScreen).not.toMatch(/one two/);

    await term.sendKeys('C-c');
    expect(await term.waitForExit(15_000)).toBe(0);
    const endScreen = await term.capture();
    const lines = endScreen.split('\n');
    expect(lines).toContain('Stopping... waiting for the last words.');
    // The summary wraps at 40 columns: read it with the rows joined.
    expect(lines.join('')).toMatch(/Session ended: \d+ s of audio processed, session \d+ s, 1 turn\./);
    expect(endScreen.match(/twelve\./g)).toHaveLength(1);
    expect(endScreen).not.toMatch(/error/i);
    const session = await server.waitForSessionClosed(0);
    expect(session.terminated).toBe(true);
    expect(session.terminationSent).toBe(true);
  });

  it('shows file progress in a bar below the transcript, and removes it at the end', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    const wav = path.join(dir, 'progress.wav');
    await makeSpeechWav('hello world', wav);
    term = await startTmux(`${process.execPath} ${BIN} --api-host ${server.url} -i ${wav}`, {
      cols: 60,
      rows: 10,
      env: { ASSEMBLYAI_API_KEY: TEST_KEY },
    });
    const during = await term.waitForScreen((s) => /▶ progress\.wav 00:0\d \/ 00:0\d \(\d+%\)/.test(s), 10_000);
    const lines = during.split('\n');
    expect(lines[lines.length - 1]).toMatch(/^▶ progress\.wav/); // the bar is the last row
    expect(await term.waitForExit(20_000)).toBe(0);
    const end = await term.capture();
    expect(end).not.toMatch(/▶/);
    expect(end).toMatch(/Hello world\.\n/);
    expect(end).toMatch(/Session ended:/);
  });

  it('shows a spinner while connecting, then the session id', async () => {
    server = await startFakeServer({ beginDelayMs: 1500 });
    term = await startTmux(`${process.execPath} ${BIN} --api-host ${server.url}`, {
      cols: 60,
      rows: 8,
      env: { ASSEMBLYAI_API_KEY: TEST_KEY, PATH: `${soxDir}:${process.env.PATH ?? ''}` },
    });
    await term.waitForScreen((s) => /Connecting to 127\.0\.0\.1:\d+\.\.\./.test(s), 10_000);
    const started = await term.waitForScreen((s) => /Session started: \S+/.test(s), 10_000);
    expect(started).not.toMatch(/Connecting/); // the spinner line is gone, not left behind
    await term.sendKeys('C-c');
    expect(await term.waitForExit(15_000)).toBe(0);
  });
});
