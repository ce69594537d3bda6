/**
 * vitest `setupFiles` module: the secret scan after every test (see ./secret-scan.ts). After each test,
 * everything the processes it ran printed (registered by ./cli.ts `runCli`, ./tmux.ts screens and the
 * tests' own spawns through `recordOutput`) and every file under the run's temp root (LT_TEST_TMPDIR, which
 * global setup also makes TMPDIR, so `os.tmpdir()` in tests and in the client points there) is searched for
 * SECRET_MARKERS. A hit fails the test it happened in.
 *
 * `afterEach`, not `afterAll`: test files remove their temp dirs in their own `afterAll`. Hooks registered here
 * run after the test file's own `afterEach` hooks (vitest runs after-hooks in reverse order of registration),
 * so servers are closed and processes have exited by then.
 */
import { afterAll, afterEach } from 'vitest';
import { existsSync } from 'node:fs';
import { SECRET_MARKERS, takeRecordedOutputs } from './cli.js';
import { describeHits, scanFiles, scanOutputs } from './secret-scan.js';

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
