/**
 * A private PulseAudio daemon with a virtual microphone, for the benchmark: the test suite's recipe
 * (test/support/pulse.ts: null sink `virtmic` at 16 kHz mono s16le, its monitor as the default source, a
 * keep-alive reader, a bounded wait for the sink latency to drain), plus a scratch folder. Everything lives in
 * a fresh temp dir and dies with the bench (setpriv --pdeathsig) even if the bench is killed.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { findPulseTools, startPulse } from '../test/support/pulse.js';
import { findOnPath } from '../test/support/which.js';

export { findOnPath };

export interface VirtualMic {
  /** `unix:/tmp/lt-bench-XXXX/pulse.sock`: put it in every audio child's environment as PULSE_SERVER. */
  pulseServer: string;
  /** Environment for audio children (private HOME/XDG dirs, PULSE_SERVER). */
  env: NodeJS.ProcessEnv;
  /** A scratch folder inside the private temp dir (removed by stop()). */
  scratch: string;
  stop(): Promise<void>;
}

const REQUIRED = 'sox libsox-fmt-pulse pulseaudio pulseaudio-utils openssl';

export async function startVirtualMic(): Promise<VirtualMic> {
  const tools = findPulseTools();
  if ('missing' in tools || !findOnPath('paplay') || !findOnPath('sox')) {
    throw new Error(`the benchmark needs a virtual microphone: install ${REQUIRED} (Debian package names)`);
  }
  const pulse = await startPulse(tools, 'lt-bench-');
  const scratch = path.join(pulse.dir, 'scratch');
  try {
    await mkdir(scratch);
  } catch (e) {
    await pulse.stop();
    throw e;
  }
  return { pulseServer: pulse.pulseServer, env: pulse.env, scratch, stop: () => pulse.stop() };
}
