/**
 * The transcript in a pipeline (issue 11, items 2 and 3), through the real binary: a reader that closes the
 * pipe (`| head -n 1`) ends the run when it goes, and `| tee` on a terminal leaves no status debris.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { BIN, cleanEnv, TEST_KEY } from '../support/cli.js';
import { closeAfterEach, joinWavs, makeSilenceWav, makeSpeechFixtures, useTempDir } from '../support/e2e-files.js';
import { shell } from '../support/shell.js';
import { startTmux, type TmuxSession } from '../support/tmux.js';

let server: FakeServer | undefined;
let term: TmuxSession | undefined;
const { f } = useTempDir('lt-pipes-', async (t) => {
  await makeSpeechFixtures(t, { 'hello.wav': 'hello world', 'b.wav': 'good morning everyone' });
  await makeSilenceWav(t.f('silence1.wav'), 1);
  await makeSilenceWav(t.f('silence20.wav'), 20);
  // One phrase, then 20 s of silence: a second turn never comes.
  await joinWavs([t.f('hello.wav'), t.f('silence20.wav')], t.f('one-then-quiet.wav'));
  await joinWavs([t.f('hello.wav'), t.f('silence1.wav'), t.f('b.wav')], t.f('two.wav'));
});
const env = (): Record<string, string> => cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY });
closeAfterEach(() => {
  const t = term;
  const open = [t === undefined ? undefined : { close: () => t.kill() }, server];
  term = undefined;
  server = undefined;
  return open;
});

describe('a reader that closes the pipe (issue 11.2)', () => {
  it('| head -n 1 ends the run when head exits, not at the next turn: exit 0, session terminated', async () => {
    server = await startFakeServer({ script: ['hello world', 'never said'] });
    const r = await shell(`"$NODE" "$BIN" --api-host ${server.url} -i ${f('one-then-quiet.wav')} | head -n 1`, env(), 40_000);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Hello world.\n');
    expect(r.stderr).not.toMatch(/error|EPIPE/i);
    const session = await server.waitForSessionClosed(0);
    expect(session.terminated).toBe(true);
    // The file goes on for 20 s of silence after the phrase: a run that waited for the next write would
    // have sent all of it (about 22 s) before noticing.
    expect(session.audioMs).toBeLessThan(10_000);
  });
});

describe('| tee on a terminal (issue 11.3)', () => {
  it('--timestamps | tee: every turn on its own line, no status debris on the screen, the file intact', async () => {
    server = await startFakeServer({ script: ['hello world', 'good morning everyone'] });
    const out = f('meeting.txt');
    term = await startTmux(`${process.execPath} ${BIN} --api-host ${server.url} -i ${f('two.wav')} --timestamps | tee ${out}`, {
      cols: 80,
      rows: 16,
      env: { ASSEMBLYAI_API_KEY: TEST_KEY },
    });
    expect(await term.waitForExit(30_000)).toBe(0);
    const screen = await term.capture();
    const turnLines = screen.split('\n').filter((l) => /\d\d:\d\d:\d\d\.\d{3} -> /.test(l));
    expect(turnLines).toHaveLength(2);
    // A turn that lands after a status bar starts the line; nothing of the bar stays on the screen.
    for (const line of turnLines)
      expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3} -> \d\d:\d\d:\d\d\.\d{3}\] (Hello world\.|Good morning everyone\.)$/);
    expect(screen).not.toMatch(/▶|%\)/);
    expect(screen).toMatch(/Session ended:/);
    const file = await readFile(out, 'utf8');
    expect(file.split('\n').filter((l) => l !== '')).toEqual(turnLines);
  });
});
