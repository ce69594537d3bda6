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

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    maxWorkers: MAX_WORKERS,
    // Starts a private PulseAudio daemon with the virtual microphone `virtmic`; inject('pulseServer').
    globalSetup: ['test/support/global-setup.ts'],
    // Gives each file its own temp root, and after every test: no key given to the client in anything it
    // printed or in any temp file.
    setupFiles: ['test/support/secret-scan-setup.ts'],
  },
});
