/**
 * The live view in a real terminal (tmux): partials dimmed and rewritten in place, also when they wrap;
 * finals committed once with no debris; Ctrl+C from the keyboard (to the whole process group, SoX
 * included) ending cleanly with the summary.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { makeFakeSoxDir } from '../support/fake-sox.js';
import { makeSpeechWav } from '../support/audio.js';
import { startTmux, type TmuxSession } from '../support/tmux.js';
import { BIN, TEST_KEY } from '../support/cli.js';

const execFileP = promisify(execFile);
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

/** Rows of the screen between the status lines above and the status bar below: the transcript. */
function transcriptRows(screen: string): string[] {
  const lines = screen.split('\n');
  const i = lines.findIndex((l) => /quit\)$/.test(l)); // the end of the (wrapped) "Listening..." line
  return i < 0 ? [] : lines.slice(i + 1).filter((l) => !l.startsWith('●'));
}

function wrap(text: string, cols: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < text.length; i += cols) rows.push(text.slice(i, i + cols).trimEnd());
  return rows;
}

describe('live view in a real terminal', () => {
  it('rewrites a wrapping partial in place, commits the final with no debris, and Ctrl+C exits cleanly', async () => {
    server = await startFakeServer({ script: [SCRIPT], wordIntervalMs: 200 });
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
    // Status lines wrap on words at 40 columns (issue 24.9): read them with the rows joined by one space.
    const joined = lines.map((l) => l.trim()).join(' ');
    expect(joined).toContain('Stopping... waiting for the last words (Ctrl+C again to quit now).');
    // The summary wraps at 40 columns: read it with the rows joined.
    expect(joined).toMatch(/Session ended: \d+ s of audio processed, session \d+ s, 1 turn\./);
    expect(endScreen.match(/twelve\./g)).toHaveLength(1);
    expect(endScreen).not.toMatch(/error/i);
    const session = await server.waitForSessionClosed(0);
    expect(session.terminated).toBe(true);
    expect(session.terminationSent).toBe(true);
  });

  it('shows file progress in a bar below the transcript, and removes it at the end', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    // Speech and 6 s of silence: the bar is on the screen for 7 s, not for the 1 s of the phrase alone, which a
    // screen poll on a busy machine (test files run side by side) can miss.
    const speech = path.join(dir, 'progress-speech.wav');
    await makeSpeechWav('hello world', speech);
    const wav = path.join(dir, 'progress.wav');
    await execFileP('sox', [speech, wav, 'pad', '0', '6']);
    term = await startTmux(`${process.execPath} ${BIN} --api-host ${server.url} -i ${wav}`, {
      cols: 60,
      rows: 10,
      env: { ASSEMBLYAI_API_KEY: TEST_KEY },
    });
    const during = await term.waitForScreen((s) => /▶ progress\.wav 00:00:0\d \/ 00:00:0\d \(\d+%\)/.test(s), 10_000);
    const lines = during.split('\n');
    expect(lines[lines.length - 1]).toMatch(/^▶ progress\.wav/); // the bar is the last row
    expect(await term.waitForExit(20_000)).toBe(0);
    const end = await term.capture();
    expect(end).not.toMatch(/▶/);
    expect(end).toMatch(/Hello world\.\n/);
    expect(end).toMatch(/Session ended:/);
  });

  it('status line (meter, session time, short id) and keys: Enter ends the turn, p pauses with silence, q stops', async () => {
    // A steady tone: any all-zero frame at the double can only come from the pause.
    const tone = path.join(dir, 'tone.wav');
    await execFileP('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', tone, 'synth', '30', 'sine', '440', 'vol', '0.3']);
    const toneSox = await makeFakeSoxDir('stream-file', { rawPath: tone, chunkBytes: 980, intervalMs: 30 });
    // ForceEndpoint answered after 270 ms, as the real service does (p50, docs/service.md#client-messages).
    server = await startFakeServer({ script: ['one two three four five six seven eight nine ten'], forceEndpointDelayMs: 270 });
    term = await startTmux(`${process.execPath} ${BIN} --api-host ${server.url}`, {
      cols: 100,
      rows: 12,
      env: { ASSEMBLYAI_API_KEY: TEST_KEY, PATH: `${toneSox}:${process.env.PATH ?? ''}` },
    });
    await server.waitFor((ss) => ss[0]?.id !== undefined && ss[0].id !== '');
    const shortId = server.sessions[0]!.id.replace(/[^0-9A-Za-z]/g, '').slice(0, 6);
    const screen = await term.waitForScreen((s) => s.includes(shortId) && /-\d+ dBFS/.test(s), 10_000);
    expect(screen).toMatch(/Listening\.\.\. press Ctrl\+C to stop \(Enter: end the turn, p: pause, \?: ask a question, q: quit\)/);
    const bar = screen.split('\n').pop()!;
    expect(bar).toMatch(new RegExp(`00:00:\\d\\d · ${shortId} .*-\\d+ dBFS`));

    // Enter: ForceEndpoint reaches the service, and the turn in progress is committed. The tone never pauses,
    // so the turn's only possible final is the answer to ForceEndpoint.
    const isFinal = (m: unknown): boolean =>
      (m as { type?: string; end_of_turn?: boolean }).type === 'Turn' && (m as { end_of_turn?: boolean }).end_of_turn === true;
    await server.waitFor((ss) => ss[0]!.sentMessages.some((m) => (m as { type?: string }).type === 'Turn'), 10_000);
    expect(server.sessions[0]!.sentMessages.some(isFinal)).toBe(false);
    await term.sendKeys('Enter');
    await server.waitFor((ss) => ss[0]!.texts.some((t) => (t as { type?: string }).type === 'ForceEndpoint'), 5_000);
    await server.waitFor((ss) => ss[0]!.sentMessages.some(isFinal), 5_000);
    await term.waitForScreen((s) => /One two/.test(s), 5_000);

    // p: silence frames while paused, the tone again after resuming.
    const zero = (b: Buffer): boolean => b.every((x) => x === 0);
    await term.sendKeys('p');
    await term.waitForScreen((s) => /Paused: sending silence/.test(s), 5_000);
    await server.waitFor((ss) => ss[0]!.frames.slice(-10).every((f) => zero(f.data)) && ss[0]!.frames.length > 10, 5_000);
    const pausedAt = server.sessions[0]!.frames.length;
    await term.sendKeys('p');
    await term.waitForScreen((s) => /Resumed\./.test(s), 5_000);
    await server.waitFor((ss) => ss[0]!.frames.slice(pausedAt).some((f) => !zero(f.data)), 5_000);

    // q: a graceful stop, like Ctrl+C.
    await term.sendKeys('q');
    expect(await term.waitForExit(15_000)).toBe(0);
    const end = await term.capture();
    expect(end).toMatch(/Session ended:/);
    expect(end).not.toMatch(/dBFS/); // the status line is gone
    const session = await server.waitForSessionClosed(0);
    expect(session.terminated).toBe(true);
  });

  it('closing the terminal window still ends the session (SIGHUP, and a terminal that is gone)', async () => {
    server = await startFakeServer({ script: ['hello world'] });
    term = await startTmux(`${process.execPath} ${BIN} --api-host ${server.url}`, {
      cols: 80,
      rows: 10,
      env: { ASSEMBLYAI_API_KEY: TEST_KEY, PATH: `${soxDir}:${process.env.PATH ?? ''}` },
    });
    await term.waitForScreen((s) => /Hello world\./.test(s), 15_000);
    await term.kill();
    term = undefined;
    const session = await server.waitForSessionClosed(0, 15_000);
    expect(session.terminated).toBe(true);
    expect(session.closedBy).toBe('server');
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
