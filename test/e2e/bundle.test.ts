/**
 * The shape of dist/ that start-up and memory rely on (scripts/bundle.mjs, docs/performance.md "Start-up"):
 * a plain run reads one file of it, dist/main.js; a command or a feature that only some runs use reads its
 * own files besides, and those use the run's modules from main.js (one copy of each, evaluated once).
 * Which modules a process loads is recorded by Node's module loader hooks (test/support/loaded-modules.mjs).
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';
import { cleanEnv, keyEnv, runCli } from '../support/cli.js';
import { makeSpeechFixtures, openedPerTest, useTempDir } from '../support/e2e-files.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const HOOKS = fileURLToPath(new URL('../support/loaded-modules.mjs', import.meta.url));
const open = openedPerTest<{ server: FakeServer }>();
const { f } = useTempDir('lt-bundle-', (t) => makeSpeechFixtures(t, { 'hello.wav': 'hello world' }));

/** The files of dist/ that a run of `args` loaded as modules, in the order loaded, and its exit code. */
async function distModules(args: string[], env: Record<string, string>, name: string): Promise<{ code: number; files: string[] }> {
  const record = f(`${name}.loaded`);
  const cli = runCli(args, { ...env, NODE_OPTIONS: `--import ${HOOKS}`, LT_LOADED_MODULES: record });
  const code = await cli.exit(30_000);
  const urls = (await readFile(record, 'utf8')).split('\n').filter((u) => u.startsWith('file:'));
  const files = urls.map((u) => fileURLToPath(u)).filter((p) => p.startsWith(DIST));
  return { code, files: files.map((p) => path.relative(DIST, p)) };
}

describe('what a run loads of dist/', () => {
  it('a transcription reads dist/main.js and no other module file', async () => {
    open.server = await startFakeServer({ script: ['hello world'] });
    // A home without a config file: one would load the TOML parser's file too (options/config-load.ts).
    const run = await distModules(['--api-host', open.server.url, '-i', f('hello.wav')], keyEnv({ HOME: f('home') }), 'run');
    expect(run.code).toBe(0);
    expect(open.server.sessions[0]?.terminated).toBe(true);
    expect(run.files).toEqual(['main.js']);
  });

  it('a command reads its own files after main.js, which hold none of main.js modules again', async () => {
    const completion = await distModules(['completion', 'bash'], cleanEnv(), 'completion');
    expect(completion.code).toBe(0);
    expect(completion.files[0]).toBe('main.js');
    const own = completion.files.slice(1);
    expect(own.length).toBeGreaterThan(0);
    // They take what they share with the run from main.js, by name: none is a second copy of the run.
    const texts = await Promise.all(own.map((file) => readFile(path.join(DIST, file), 'utf8')));
    expect(texts.some((text) => /from ?["']\.\/main\.js["']/.test(text))).toBe(true);
    const mainLength = (await readFile(path.join(DIST, 'main.js'), 'utf8')).length;
    for (const text of texts) expect(text.length).toBeLessThan(mainLength / 4);
  });
});
