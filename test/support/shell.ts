/**
 * A shell line as a user types it (`live-transcribe ... | head -n 1`): bash with pipefail, so the exit code
 * is the pipeline's first failure. `$NODE` and `$BIN` name Node and the built binary. Output is recorded for
 * the secret scan; the wait is bounded.
 */
import { spawn } from 'node:child_process';
import { BIN, recordOutput } from './cli.js';

export interface ShellResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function shell(line: string, env: Record<string, string>, timeoutMs = 30_000): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', line], { env: { ...env, NODE: process.execPath, BIN } });
    let stdout = '';
    let stderr = '';
    recordOutput(`stdout of shell ${line}`, () => stdout);
    recordOutput(`stderr of shell ${line}`, () => stderr);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`shell did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
