import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appendTail, execCommand, isOnPath, lastLines, runCommand } from '../../../src/system/exec.js';

const env = { PATH: '/usr/bin:/bin' };

describe('lastLines', () => {
  it.each([
    ['', 3, ''],
    ['one\n', 3, 'one'],
    ['a\nb\nc\nd\n', 2, 'c\nd'],
    ['a\r\n\r\n  b  \r\n\n', 3, 'a\n  b'],
    ['x\n   \n\ny', 1, 'y'],
  ])('%j, last %i -> %j', (text, n, expected) => {
    expect(lastLines(text, n)).toBe(expected);
  });
});

describe('appendTail', () => {
  it('keeps the last 4096 characters', () => {
    const tail = appendTail('a'.repeat(4000), Buffer.from('b'.repeat(200)));
    expect(tail).toHaveLength(4096);
    expect(tail.endsWith('b'.repeat(200))).toBe(true);
    expect(appendTail('x', Buffer.from('y'))).toBe('xy');
  });
});

describe('runCommand', () => {
  it('collects stdout as bytes, stderr as text and the exit code', async () => {
    const r = await runCommand('/bin/sh', ['-c', 'printf "\\001\\002"; echo oops >&2; exit 3'], { env, timeoutMs: 5_000, platform: 'linux' });
    expect(r).toMatchObject({ code: 3, stderr: 'oops\n', timedOut: false });
    expect([...r.stdout]).toEqual([1, 2]);
    expect(r.spawnError).toBeUndefined();
  });

  it('reports a command that is not installed as data', async () => {
    const r = await runCommand('lt-no-such-command', [], { env, timeoutMs: 5_000 });
    expect(r.code).toBeNull();
    expect(r.spawnError?.code).toBe('ENOENT');
  });

  it('kills the command and what it started on timeout, and says so', async () => {
    // The shell's child would hold the pipes open and outlive the shell: only a kill of the group ends it.
    const r = await runCommand('/bin/sh', ['-c', 'sleep 30 & echo $!; wait'], { env, timeoutMs: 300, platform: 'linux' });
    expect(r).toMatchObject({ code: null, timedOut: true });
    const pid = Number(r.stdout.toString('utf8').trim());
    expect(pid).toBeGreaterThan(0);
    expect(await endsWithin(pid, 5_000)).toBe(true);
  });
});

/** Whether the process is gone (or a zombie: killed, not yet reaped) within `ms`. */
async function endsWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    let state: string | undefined;
    try {
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    } catch {
      return true;
    }
    if (state === 'Z') return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('execCommand', () => {
  it.each([
    [['-c', 'echo fine'], { code: 0, stdout: 'fine\n' }],
    [['-c', 'echo first >&2; echo last >&2; exit 2'], { code: 2, errorMessage: '/bin/sh exited with code 2: last' }],
    [['-c', 'exit 1'], { code: 1, errorMessage: '/bin/sh exited with code 1' }],
  ] as const)('/bin/sh %j', async (args, expected) => {
    expect(await execCommand('/bin/sh', args, { env, timeoutMs: 5_000, platform: 'linux' })).toMatchObject(expected);
  });

  it('names a missing command and a timeout', async () => {
    expect(await execCommand('lt-no-such-command', [], { env, timeoutMs: 5_000 })).toMatchObject({
      code: null,
      errorCode: 'ENOENT',
      errorMessage: 'lt-no-such-command is not installed (not found on PATH)',
    });
    expect(await execCommand('/bin/sh', ['-c', 'sleep 30'], { env, timeoutMs: 100 })).toMatchObject({
      code: null,
      errorCode: 'ETIMEDOUT',
      errorMessage: '/bin/sh did not finish within 100 ms',
    });
  });
});

describe('isOnPath', () => {
  it('finds an executable in a PATH directory, not a plain file, not elsewhere', async () => {
    const { mkdtempSync, writeFileSync, chmodSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'lt-onpath-'));
    writeFileSync(join(dir, 'tool'), '#!/bin/sh\n');
    chmodSync(join(dir, 'tool'), 0o755);
    writeFileSync(join(dir, 'plain'), 'not a program');
    chmodSync(join(dir, 'plain'), 0o644);
    const env = { PATH: `/nonexistent-dir:${dir}` };
    expect(isOnPath('tool', env, 'linux')).toBe(true);
    expect(isOnPath('plain', env, 'linux')).toBe(false); // no execute bit (root too: access(2) needs one)
    expect(isOnPath('tool', { PATH: '/nonexistent-dir' }, 'linux')).toBe(false);
    expect(isOnPath('tool', {}, 'linux')).toBe(false);
    // Windows: PATHEXT's extensions, ';' between directories.
    writeFileSync(join(dir, 'sox.EXE'), '');
    expect(isOnPath('sox', { Path: `C:\\nowhere;${dir}`, PATHEXT: '.COM;.EXE' }, 'win32')).toBe(true);
    expect(isOnPath('sox', { PATH: dir, PATHEXT: '.BAT' }, 'win32')).toBe(false);
  });
});
