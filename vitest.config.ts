import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Every file runs side by side with the others, MAX_WORKERS at a time. Most of the suite's time is spent waiting
 * on the service's real timings (Begin 1.2 s, Termination up to 1.3 s) and on audio played in real time, not on
 * the CPU, so more files at once than cores is what keeps the suite short. What made that safe:
 * - each file has its own servers, temp folders and tmux sockets;
 * - each file that speaks into the microphone has a virtual microphone of its own (test/support/own-pulse.ts);
 *   the suite's shared one (test/support/global-setup.ts) is only listed, never played into;
 * - the builds that tests run (package.test.ts packs, bench.test.ts benchmarks) replace each file of dist/ whole
 *   (scripts/bundle.mjs), so a program started meanwhile never reads half a file.
 * A new file keeps to those three rules.
 */
const MAX_WORKERS = 7;

/**
 * The files that take a minute or more (measured in a whole run: reliability ~185 s, spool ~165 s, outputs,
 * service and notes ~145 s, spool-ending ~135 s, examples ~120 s, writes ~110 s), started first in this order.
 * Without it a fresh clone (no timings cached yet) starts the largest files first, and a small file that takes
 * minutes could start last and run alone at the end. A file that grows past a minute joins the list.
 */
const LONGEST = [
  'test/e2e/reliability.test.ts',
  'test/e2e/spool.test.ts',
  'test/e2e/outputs.test.ts',
  'test/e2e/service.test.ts',
  'test/e2e/notes.test.ts',
  'test/e2e/spool-ending.test.ts',
  'test/e2e/examples.test.ts',
  'test/e2e/writes.test.ts',
  'test/e2e/fuzz.test.ts',
  'test/e2e/writes-large-turns.test.ts',
  'test/e2e/inputs.test.ts',
  'test/e2e/everyday.test.ts',
  'test/e2e/service-options.test.ts',
  'test/e2e/captions.test.ts',
  'test/e2e/dictation.test.ts',
  'test/e2e/meetings.test.ts',
  'test/e2e/service-behaviours.test.ts',
  'test/e2e/session.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const i = LONGEST.findIndex((name) => f.moduleId.endsWith(name));
      return i === -1 ? LONGEST.length : i;
    };
    return sorted.sort((a, b) => rank(a) - rank(b)); // stable: the others keep vitest's order
  }
}

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    maxWorkers: MAX_WORKERS,
    sequence: { sequencer: LongestFirst },
    // Starts a private PulseAudio daemon with the virtual microphone `virtmic`; inject('pulseServer').
    globalSetup: ['test/support/global-setup.ts'],
    // Gives each file its own temp root, and after every test: no key given to the client in anything it
    // printed or in any temp file.
    setupFiles: ['test/support/secret-scan-setup.ts'],
  },
});
