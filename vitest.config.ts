import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // e2e tests spawn processes and share the virtual microphone: keep files sequential on 2 cores.
    fileParallelism: false,
    // Starts a private PulseAudio daemon with the virtual microphone `virtmic`; inject('pulseServer').
    globalSetup: ['test/support/global-setup.ts'],
    // After every test: no key given to the client in anything it printed or in any temp file.
    setupFiles: ['test/support/secret-scan-setup.ts'],
  },
});
