/**
 * A virtual microphone of the test file's own: a private PulseAudio daemon (./pulse.ts, the same `virtmic` and
 * `virtspk` null sinks as the suite's) started for this file and stopped after it. What one file plays into its
 * microphone no other file hears, so the files that speak run side by side with the others
 * (vitest.config.ts) instead of one at a time after them.
 *
 * Call it at the top of the file, outside any test: `const pulseServer = await ownPulseServer();`.
 */
import { afterAll } from 'vitest';
import { findPulseTools, startPulse } from './pulse.js';

export async function ownPulseServer(): Promise<string> {
  const tools = findPulseTools();
  if ('missing' in tools) throw new Error(`a virtual microphone needs ${tools.missing.join(', ')} (.ci/run installs them)`);
  const pulse = await startPulse(tools, 'lt-file-pulse-');
  afterAll(() => pulse.stop());
  return pulse.pulseServer;
}
