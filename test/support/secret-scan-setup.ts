/**
 * vitest `setupFiles` module: the secret scan after every test (see ./secret-scan.ts). After each test,
 * everything the processes it ran printed (registered by ./cli.ts `runCli`, ./tmux.ts screens and the
 * tests' own spawns through `recordOutput`) and every file under the test file's temp root (LT_TEST_TMPDIR, a
 * folder of the run's, also made TMPDIR, so `os.tmpdir()` in tests and in the client points there) is searched for
 * SECRET_MARKERS. A hit fails the test it happened in.
 *
 * `afterEach`, not `afterAll`: test files remove their temp dirs in their own `afterAll`. Hooks registered here
 * run after the test file's own `afterEach` hooks (vitest runs after-hooks in reverse order of registration),
 * so servers are closed and processes have exited by then.
 */
import { afterAll, afterEach } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { SECRET_MARKERS, takeRecordedOutputs } from './cli.js';
import { describeHits, scanFiles, scanOutputs } from './secret-scan.js';

// Each test file gets its own temp root, a folder in the run's: test files run side by side
// (vitest.config.ts), and a file's scan must see only what its own tests, and the processes they ran, wrote
// (the secret-scan tests plant a key on purpose). TMPDIR follows, for `os.tmpdir()` and for cleanEnv's children.
// A worker that runs several files keeps the run's root in LT_TEST_RUN_TMPDIR.
const runRoot = process.env.LT_TEST_RUN_TMPDIR ?? process.env.LT_TEST_TMPDIR;
if (runRoot !== undefined && runRoot !== '' && existsSync(runRoot)) {
  process.env.LT_TEST_RUN_TMPDIR = runRoot;
  const mine = mkdtempSync(path.join(runRoot, 'file-'));
  process.env.LT_TEST_TMPDIR = mine;
  process.env.TMPDIR = mine;
}

/** Files already scanned in this test file, unchanged since (see scanFiles). */
const seen = new Map<string, string>();

async function runSecretScan(): Promise<void> {
  const hits = scanOutputs(takeRecordedOutputs(), SECRET_MARKERS);
  const root = process.env.LT_TEST_TMPDIR;
  if (root !== undefined && root !== '' && existsSync(root)) hits.push(...(await scanFiles(root, SECRET_MARKERS, seen)));
  if (hits.length > 0) throw new Error(describeHits(hits));
}

afterEach(runSecretScan);
// Output recorded after the last test (in afterAll hooks) is scanned too; a hit there fails the file.
afterAll(async () => {
  const hits = scanOutputs(takeRecordedOutputs(), SECRET_MARKERS);
  if (hits.length > 0) throw new Error(describeHits(hits));
});
