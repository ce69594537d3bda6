/**
 * vitest globalSetup: a private PulseAudio daemon with a virtual microphone (see ./pulse.ts: null sink
 * `virtmic`, 16 kHz mono s16le, whose monitor `virtmic.monitor` is the default source) that tests "speak"
 * into with `paplay -d virtmic` (see `playIntoMic` in ./audio.ts) and that sox / node-record-lpcm16 record from,
 * and virtual speakers (null sink `virtspk`, the same format, not a default): what tests play into it with
 * `playIntoSink` is "what the computer plays", recorded from `virtspk.monitor` (system audio, issue 13).
 *
 * It also sets TMPDIR (inherited by the workers) to LT_TEST_TMPDIR, a folder in the daemon's temp dir where
 * ./fake-sox.ts and ./tmux.ts make their temp dirs, so teardown removes them all. Tests get the server string
 * with `inject('pulseServer')` (or `process.env.LT_TEST_PULSE_SERVER`) and must put it in the environment of
 * every audio child process as `PULSE_SERVER`.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { findPulseTools, startPulse } from './pulse.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PulseAudio server string of the private test daemon, e.g. `unix:/tmp/lt-test-XXXX/pulse.sock`. */
    pulseServer: string;
  }
}

const REQUIRED_APT_PACKAGES = 'sox libsox-fmt-pulse pulseaudio pulseaudio-utils espeak-ng tmux';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // vitest runs a global setup once for the root and once per project (vitest.config.ts): one daemon serves all.
  const running = process.env.LT_TEST_PULSE_SERVER;
  if (running !== undefined) {
    project.provide('pulseServer', running);
    return async () => {};
  }
  const tools = findPulseTools();
  if ('missing' in tools) {
    const { missing } = tools;
    throw new Error(
      `The test suite needs a virtual microphone, but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} ` +
        `not installed.\nInstall the test dependencies with:\n` +
        `  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${REQUIRED_APT_PACKAGES}\n` +
        `(.ci/run does this automatically.)`,
    );
  }
  const pulse = await startPulse(tools, 'lt-test-');
  // Parent for the helpers' temp dirs (fake sox, tmux, no-sox PATH): removed with everything else at teardown.
  const helpersTmp = path.join(pulse.dir, 'tmp');
  try {
    await mkdir(helpersTmp);
  } catch (e) {
    await pulse.stop();
    throw e;
  }

  project.provide('pulseServer', pulse.pulseServer);
  process.env.LT_TEST_PULSE_SERVER = pulse.pulseServer;
  process.env.LT_TEST_TMPDIR = helpersTmp;
  // One temp root for the whole run: the workers inherit TMPDIR, so `os.tmpdir()` in every test (and in every
  // process spawned with TMPDIR from cleanEnv or tmux) points into it; ./secret-scan-setup.ts gives each test
  // file a folder of its own in it, and scans that. Teardown removes it all.
  const previousTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = helpersTmp;

  return async () => {
    delete process.env.LT_TEST_PULSE_SERVER;
    delete process.env.LT_TEST_TMPDIR;
    if (previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmpdir;
    await pulse.stop();
  };
}
