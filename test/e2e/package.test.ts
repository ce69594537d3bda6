/** The published shape: `npm pack`, installed into an empty folder, runs `npx live-transcribe --help`. */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm package', () => {
  it('packs only what it needs, installs into an empty folder, and runs --help through npx', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lt-pack-'));
    try {
      const { stdout: packJson } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, timeout: 120_000 });
      const [info] = JSON.parse(packJson) as [{ filename: string; files: { path: string }[] }];
      const files = info.files.map((f) => f.path);
      expect(files).toContain('bin/live-transcribe.cjs');
      expect(files).toContain('dist/main.js');
      expect(files).toContain('dist/audio/sox-recorder.cjs');
      expect(files).toContain('README.md');
      expect(files.some((f) => f.startsWith('test/') || f.startsWith('src/') || f.startsWith('.ci/'))).toBe(false);

      const app = path.join(dir, 'app');
      await run('mkdir', ['-p', app]);
      await writeFile(path.join(app, 'package.json'), '{"name":"empty","version":"1.0.0","private":true}\n');
      await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(dir, info.filename)], { cwd: app, timeout: 180_000 });
      expect(await readdir(path.join(app, 'node_modules', '.bin'))).toContain('live-transcribe');

      const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir };
      const help = await run('npx', ['--no-install', 'live-transcribe', '--help'], { cwd: app, env, timeout: 60_000 });
      expect(help.stdout).toMatch(/^Usage: live-transcribe \[options\]/);
      expect(help.stdout).toMatch(/Exit codes:/);
      const missingKey = await run('npx', ['--no-install', 'live-transcribe'], { cwd: app, env, timeout: 60_000 }).catch((e: { code: number; stderr: string }) => e);
      expect((missingKey as { code: number }).code).toBe(2);
      expect((missingKey as { stderr: string }).stderr).toMatch(/no API key/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
