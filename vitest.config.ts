import { defineConfig } from 'vitest/config';

/**
 * Two groups, one after the other (`sequence.groupOrder`):
 * - `parallel`: files with their own servers, temp folders and tmux sockets, four at a time. Most of their time
 *   is spent waiting on the service's real timings (Begin 1.2 s, Termination up to 1.3 s), not on the CPU.
 * - `alone`: files that need the machine to themselves, one at a time, after the others: those that use the one
 *   virtual microphone of test/support/global-setup.ts (what one plays into it, another would hear), and those
 *   that rebuild dist/, which every e2e test runs (package.test.ts packs; bench.test.ts also measures CPU).
 * A file that starts to use the microphone, or to build, goes in ALONE.
 */
const ALONE = [
  'test/e2e/bench.test.ts',
  'test/e2e/dictation-mic.test.ts', // issue 21: the virtual microphone
  'test/e2e/everyday.test.ts',
  'test/e2e/examples.test.ts',
  'test/e2e/meetings.test.ts',
  'test/e2e/mic-visible.test.ts',
  'test/e2e/microphone.test.ts',
  'test/e2e/package.test.ts',
  'test/infra/infra.test.ts',
  'test/integration/doctor.test.ts',
  'test/integration/list-devices.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Starts a private PulseAudio daemon with the virtual microphone `virtmic`; inject('pulseServer').
    globalSetup: ['test/support/global-setup.ts'],
    // Gives each file its own temp root, and after every test: no key given to the client in anything it
    // printed or in any temp file.
    setupFiles: ['test/support/secret-scan-setup.ts'],
    projects: [
      // Issue 19: five at a time (was four) pays for the double's real timings in reliability.test.ts (+18 s there).
      { extends: true, test: { name: 'parallel', include: ['test/**/*.test.ts'], exclude: ALONE, maxWorkers: 5, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
