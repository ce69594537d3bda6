/**
 * The published shape and the README's install: `npm pack`, installed into an empty folder (npx), and
 * installed globally (`npm install -g`) so that `live-transcribe` runs from any directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeSpeechWav } from '../support/audio.js';
import { cleanEnv, recordOutput, TEST_KEY } from '../support/cli.js';
import { startFakeServer } from '../support/fake-server.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let tarball: string;
let files: string[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-pack-'));
  // As the README says: `npm pack --silent` builds (prepack) and prints only the tarball's name.
  const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, timeout: 120_000 });
  tarball = path.join(dir, stdout.trim());
  const { stdout: list } = await run('tar', ['-tzf', tarball], { timeout: 10_000 });
  files = list
    .split('\n')
    .filter((f) => f !== '')
    .map((f) => f.replace(/^package\//, ''));
}, 150_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm package', () => {
  it('packs only what it needs, with no install script', async () => {
    expect(files).toContain('bin/live-transcribe.cjs');
    expect(files).toContain('bin/help.cjs');
    expect(files).toContain('dist/main.js');
    expect(files).toContain('dist/help.json');
    expect(files).toContain('dist/sox-recorder.cjs');
    expect(files).toContain('README.md');
    expect(files.some((f) => f.startsWith('test/') || f.startsWith('src/') || f.startsWith('.ci/') || f.startsWith('scripts/'))).toBe(false);
    const { stdout } = await run('tar', ['-xzOf', tarball, 'package/package.json'], { timeout: 10_000 });
    const scripts = (JSON.parse(stdout) as { scripts: Record<string, string> }).scripts;
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(scripts[hook]).toBeUndefined();
  });

  it('installs into an empty folder, and runs --help all through npx', async () => {
    const app = path.join(dir, 'app');
    await run('mkdir', ['-p', app]);
    await writeFile(path.join(app, 'package.json'), '{"name":"empty","version":"1.0.0","private":true}\n');
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: app, timeout: 180_000 });
    expect(await readdir(path.join(app, 'node_modules', '.bin'))).toContain('live-transcribe');

    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir };
    const help = await run('npx', ['--no-install', 'live-transcribe', '--help', 'all'], { cwd: app, env, timeout: 60_000 });
    expect(help.stdout).toMatch(/^Usage: live-transcribe \[options\]/);
    expect(help.stdout).toMatch(/Exit codes:/);
    const missingKey = await run('npx', ['--no-install', 'live-transcribe'], { cwd: app, env, timeout: 60_000 }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((missingKey as { code: number }).code).toBe(2);
    expect((missingKey as { stderr: string }).stderr).toMatch(/no API key/);
  }, 300_000);

  it('npm install -g of the tarball: no warning, and live-transcribe runs from any directory on a relative path', async () => {
    const prefix = path.join(dir, 'global');
    const install = await run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', tarball], {
      cwd: dir,
      timeout: 180_000,
    });
    expect(install.stderr).not.toMatch(/install-scripts|allow-scripts/);
    const bin = path.join(prefix, 'bin', 'live-transcribe');

    // An empty directory elsewhere, with only the recording in it: the user's own folder.
    const work = await mkdtemp(path.join(tmpdir(), 'lt-user-'));
    const server = await startFakeServer({ script: ['hello world'] });
    try {
      await makeSpeechWav('hello world', path.join(work, 'speech.wav'));
      const env = cleanEnv({ PATH: `${path.join(prefix, 'bin')}:${process.env.PATH ?? ''}`, ASSEMBLYAI_API_KEY: TEST_KEY });
      const opts = { cwd: work, env, timeout: 60_000 };
      expect((await run(bin, ['--version'], opts)).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
      expect((await run('live-transcribe', ['--help'], opts)).stdout).toMatch(/^Usage: live-transcribe \[options\]/);
      const result = await run('live-transcribe', ['-i', 'speech.wav', '--api-host', server.url], opts);
      recordOutput('stdout of the globally installed live-transcribe -i speech.wav', result.stdout);
      recordOutput('stderr of the globally installed live-transcribe -i speech.wav', result.stderr);
      expect(result.stdout).toBe('Hello world.\n');
      expect(result.stderr).toMatch(/Streaming speech\.wav/);
      expect((await server.waitForSessionClosed(0)).terminated).toBe(true);
    } finally {
      await server.close();
      await rm(work, { recursive: true, force: true });
    }
  }, 300_000);
});
