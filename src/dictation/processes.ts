/**
 * Another process, seen from outside (only main.ts touches `process`): whether it is a running dictation,
 * and asking it to stop: kill(1) on POSIX, tasklist on Windows.
 */
import { readFileSync } from 'node:fs';
import { runCommand } from '../system/exec.js';

type Env = Readonly<Record<string, string | undefined>>;

/** `kill -0`, and on Linux its command line: a pid reused by another program is not a dictation. */
export async function isDictationAlive(pid: number, env: Env, platform: NodeJS.Platform): Promise<boolean> {
  if (platform === 'win32') {
    const r = await runCommand('tasklist', ['/FI', `PID eq ${pid}`, '/NH'], { env, timeoutMs: 5000, platform });
    return r.code === 0 && r.stdout.toString('utf8').includes(String(pid));
  }
  const r = await runCommand('kill', ['-0', String(pid)], { env, timeoutMs: 5000, platform });
  if (r.code !== 0) return false;
  const cmdline = readCmdline(pid);
  return cmdline === undefined || /live-transcribe|dictate/.test(cmdline);
}

function readCmdline(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

/** Asks the running dictation to stop gracefully (it types its last words): SIGTERM (POSIX; Windows: instance.ts's stop file). */
export async function askToStop(pid: number, env: Env, platform: NodeJS.Platform): Promise<boolean> {
  const r = await runCommand('kill', ['-s', 'TERM', String(pid)], { env, timeoutMs: 5000, platform });
  return r.code === 0;
}

/** Waits (bounded) until the process is gone; true if it went. */
export async function waitForExit(pid: number, timeoutMs: number, alive: (pid: number) => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await alive(pid))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !(await alive(pid));
}
