/**
 * Runs one typing command: no shell, the text as an argument or on standard input, bounded in time. It waits
 * for the command's exit, not for its pipes: clipboard programs (xclip, wl-copy) leave a child behind that
 * serves the clipboard and keeps them open.
 */
import { spawn } from 'node:child_process';
import { definedOnly } from '../system/exec.js';
import type { Step } from './backends.js';

export type StepResult = { ok: true } | { ok: false; reason: string };
export type RunStep = (step: Step) => Promise<StepResult>;

export function createStepRunner(env: Readonly<Record<string, string | undefined>>, timeoutMs: number): RunStep {
  return (step) =>
    new Promise((resolve) => {
      const child = spawn(step.command, step.args, {
        env: definedOnly(env),
        stdio: [step.stdin === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'],
        windowsHide: true,
      });
      let stderr = '';
      let settled = false;
      const done = (r: StepResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        // What the command left behind may still hold stderr: stop reading it.
        child.stderr?.destroy();
        resolve(r);
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        done({ ok: false, reason: `${step.command} did not finish within ${timeoutMs} ms` });
      }, timeoutMs);
      child.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString('utf8')).slice(-500);
      });
      child.on('error', (e: NodeJS.ErrnoException) =>
        done({ ok: false, reason: e.code === 'ENOENT' ? `${step.command} is not installed` : `${step.command}: ${e.message}` }),
      );
      child.on('exit', (code) => {
        const last = stderr.trim().split('\n').pop() ?? '';
        done(code === 0 ? { ok: true } : { ok: false, reason: `${step.command} exited with code ${code}${last === '' ? '' : `: ${last}`}` });
      });
      if (step.stdin !== undefined && child.stdin !== null) {
        child.stdin.on('error', () => undefined);
        child.stdin.end(step.stdin, 'utf8');
      }
    });
}
