/**
 * A real X desktop to type into (dictation tests and the benchmark): Xvfb on a free display (-displayfd), and
 * an xterm running `cat > OUT` with the terminal in non-canonical mode, so every key reaches OUT at once. The
 * xterm has the keyboard focus (`xdotool windowfocus`; there is no window manager to activate it).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitUntil } from './wait.js';

const run = promisify(execFile);

export interface XDesktop {
  display: string;
  /** The file the focused X client writes what it receives to. */
  file: string;
  /** What the focused X client received so far. */
  received(): string;
  /** Waits until what was received satisfies `pred`; the error names what arrived. */
  waitFor(pred: (text: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export async function startXDesktop(dir: string): Promise<XDesktop> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let fd3 = '';
  (xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (fd3 += d.toString()));
  let xterm: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    xterm?.kill('SIGKILL');
    xvfb.kill('SIGTERM');
    await new Promise((r) => (xvfb.exitCode !== null || xvfb.signalCode !== null ? r(undefined) : xvfb.once('exit', r)));
  };
  let display: string;
  let out: string;
  // A set-up that fails leaves nothing running.
  try {
    const number = await waitUntil(() => (/^\d+\n/.test(fd3) ? fd3.trim() : undefined), { timeoutMs: 15_000, what: 'Xvfb to report its display' });
    display = `:${number}`;
    out = path.join(dir, `xterm-${number}.out`);
    const env = { ...process.env, DISPLAY: display, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
    // -u8: the terminal speaks UTF-8, so accents and emoji arrive as UTF-8 bytes.
    xterm = spawn('xterm', ['-u8', '-e', 'sh', '-c', `stty -icanon -echo; exec cat > '${out}'`], { env, stdio: 'ignore' });
    // --onlyvisible: a window found before it is mapped cannot take the focus (BadMatch).
    await run('xdotool', ['search', '--sync', '--onlyvisible', '--class', 'xterm', 'windowfocus', '--sync'], { env, timeout: 15_000 });
    // The shell has set the terminal up and cat has the file open once OUT exists.
    await waitUntil(() => existsSync(out), { timeoutMs: 15_000, what: `${out} to be created` });
  } catch (err) {
    await stop();
    throw err;
  }
  const received = (): string => readOrEmpty(out);
  return {
    display,
    file: out,
    received,
    waitFor: (pred, what, timeoutMs = 20_000) =>
      waitUntil(() => (pred(received()) ? received() : undefined), {
        timeoutMs,
        intervalMs: 50,
        what: () => `${what}; the X client received ${JSON.stringify(received())}`,
      }),
    close: stop,
  };
}
