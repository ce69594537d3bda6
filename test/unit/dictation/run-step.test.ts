import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStepRunner } from '../../../src/dictation/run-step.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-step-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = createStepRunner({ PATH: process.env.PATH }, 5000);

describe('running one typing command', () => {
  it('gives the text on stdin as UTF-8, and arguments as they are (no shell)', async () => {
    const out = path.join(dir, 'out');
    const script = 'const fs=require("fs");fs.writeFileSync(process.argv[1], process.argv[2] + "|" + fs.readFileSync(0, "utf8"))';
    expect(await run({ command: process.execPath, args: ['-e', script, out, '$(echo no) ;'], stdin: 'grüße 🎉' })).toEqual({ ok: true });
    expect(await readFile(out, 'utf8')).toBe('$(echo no) ;|grüße 🎉');
  });

  it('a missing tool and a failing tool come back as reasons', async () => {
    expect(await run({ command: 'no-such-typing-tool', args: [] })).toEqual({ ok: false, reason: 'no-such-typing-tool is not installed' });
    const r = await run({ command: process.execPath, args: ['-e', 'console.error("cannot open display"); process.exit(1)'] });
    expect(r).toEqual({ ok: false, reason: `${process.execPath} exited with code 1: cannot open display` });
  });

  // Waiting for the pipes instead would run into the 5 s timeout: a failure, not ok.
  it('returns at the exit even when a child left behind holds the pipes (xclip, wl-copy)', async () => {
    const script =
      'require("child_process").spawn(process.execPath, ["-e", "setTimeout(() => {}, 6000)"], { stdio: "inherit", detached: true }).unref()';
    expect(await run({ command: process.execPath, args: ['-e', script] })).toEqual({ ok: true });
  });
});
