/**
 * A private PulseAudio daemon with a virtual microphone and virtual speakers, for the benchmark: the test
 * suite's recipe (test/support/pulse.ts: null sinks `virtmic` and `virtspk` at 16 kHz mono s16le, virtmic's
 * monitor as the default source, a keep-alive reader per sink, a bounded wait for their latency to drain), a
 * scratch folder, and the two ends of a measurement: play a WAV into a sink, read a monitor as the reference.
 * Everything lives in a fresh temp dir and dies with the bench (setpriv --pdeathsig) even if the bench is
 * killed.
 */
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { findPulseTools, MIC_SINK, SPEAKER_SINK, startPulse } from '../test/support/pulse.js';
import { findOnPath } from '../test/support/which.js';
import { OnsetDetector, RATE_HZ, type TimedOnset } from './clicks.js';
import { nowMs, track } from './clients.js';

export { findOnPath, MIC_SINK, SPEAKER_SINK };

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

export interface ReferenceReader {
  /** Every click heard so far, timed to the sample (epoch ms). */
  onsets(): TimedOnset[];
  stop(): Promise<void>;
}

/** The reference reader: the monitor of `sink` read with a 5 ms latency, each click timed to the sample. */
export function startReference(mic: VirtualMic, sink: string = MIC_SINK): ReferenceReader {
  const detector = new OnsetDetector();
  const child = track(
    spawn('parec', ['--latency-msec=5', '-d', `${sink}.monitor`, '--raw', '--format=s16le', `--rate=${RATE_HZ}`, '--channels=1'], {
      env: mic.env,
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  child.stdout?.on('data', (chunk: Buffer) => detector.push(chunk, nowMs()));
  return {
    // A chunk arrives when its last sample is there: the onset was there samplesAfterInChunk samples earlier.
    onsets: () => detector.onsets.map((o) => ({ sample: o.sample, atMs: o.chunkArrivalMs - (o.samplesAfterInChunk / RATE_HZ) * 1000 })),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Plays `wav` into `sink` in real time (paplay); resolves when it has drained. */
export function play(mic: VirtualMic, wav: string, sink: string = MIC_SINK): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = track(spawn('paplay', ['-d', sink, wav], { env: mic.env, stdio: 'ignore' }));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`paplay -d ${sink} exited with ${code}`))));
  });
}
