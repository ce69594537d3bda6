/**
 * The keyboard in a real terminal (tmux): raw mode on, keys mapped, Ctrl+C delivered as a key (no
 * SIGINT in raw mode), and after stop() the terminal mode is back and the process exits by itself.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTmux, type TmuxSession } from '../support/tmux.js';
import { transpileToTemp } from '../support/transpile.js';

let compiled: string;
let session: TmuxSession | undefined;

beforeAll(async () => {
  compiled = await transpileToTemp(['src/system/keys.ts']);
  await writeFile(
    path.join(compiled, 'keys-child.js'),
    `import { startKeyboard } from './src/system/keys.js';
const log = (s) => process.stdout.write(s + '\\n');
process.on('SIGINT', () => log('SIGINT arrived'));
const kb = startKeyboard(process.stdin, {
  onEnter: () => log('key: enter'),
  onPause: () => log('key: pause'),
  onInterrupt: () => log('key: interrupt'),
  onQuit: () => {
    log('key: quit');
    kb.stop();
    log('after stop: raw=' + process.stdin.isRaw);
  },
});
log('ready: active=' + kb.active + ' raw=' + process.stdin.isRaw);
`,
  );
});

afterEach(async () => {
  await session?.kill();
  session = undefined;
});

afterAll(async () => {
  await rm(compiled, { recursive: true, force: true });
});

describe('startKeyboard in a real terminal', () => {
  it('maps Enter, p, q and Ctrl+C; restores the mode; lets the process exit', async () => {
    session = await startTmux(`${JSON.stringify(process.execPath)} keys-child.js; stty -a | grep -o -- '-\\?icanon' | head -1`, {
      cols: 60,
      rows: 12,
      cwd: compiled,
    });
    await session.waitForScreen((s) => s.includes('ready: active=true raw=true'), 10_000);
    await session.sendKeys('Enter');
    await session.waitForScreen((s) => s.includes('key: enter'));
    await session.sendKeys('p');
    await session.waitForScreen((s) => s.includes('key: pause'));
    await session.sendKeys('x', 'Up', 'F5');
    await session.sendKeys('C-c');
    await session.waitForScreen((s) => s.includes('key: interrupt'));
    await session.sendKeys('q');
    expect(await session.waitForExit(10_000)).toBe(0);
    const screen = await session.capture();
    expect(screen.split('\n')).toEqual([
      'ready: active=true raw=true',
      'key: enter',
      'key: pause',
      'key: interrupt',
      'key: quit',
      'after stop: raw=false',
      'icanon', // the terminal is canonical again
      '[exit:0]',
    ]);
    expect(screen).not.toContain('SIGINT arrived');
  });

  it('stays inactive when stdin is not a terminal', async () => {
    session = await startTmux(`echo q | ${JSON.stringify(process.execPath)} keys-child.js`, { cols: 60, rows: 6, cwd: compiled });
    expect(await session.waitForExit(10_000)).toBe(0);
    expect(await session.capture()).toBe('ready: active=false raw=undefined\n[exit:0]');
  });
});
