/**
 * `npm run bench -- --quick` runs on this machine and produces every figure of the benchmark (issue 6), and
 * the two-source row (issue 13) when live-transcribe has --system-device.
 * Times are not asserted (shared machines are noisy): only that each figure was measured and is a number.
 * The bench starts its own PulseAudio, doubles and certificate, independent of the suite's virtual mic.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TIMEOUT_MS = 240_000;

/** Every figure of the issue: start-up, ready, capture-to-wire, turn-to-screen, CPU, memory, SDK, blocked stdout. */
const FIGURES = [
  'startup.nodeMs',
  'startup.versionMs',
  'startup.helpMs',
  'startup.versionRatio',
  'startup.helpRatio',
  'ready.oursWsMs',
  'ready.oursWssMs',
  'ready.sdkWssMs',
  'ready.oursWsFirstAudioMs',
  'ready.oursWssFirstAudioMs',
  'ready.sdkWssFirstAudioMs',
  'latency.ours.p50Ms',
  'latency.ours.p95Ms',
  'latency.sdk.p50Ms',
  'latency.sdk.p95Ms',
  'turnToScreen.ours.p50Ms',
  'turnToScreen.ours.p99Ms',
  'turnToScreen.sdk.p99Ms',
  'cpu.ours.percent',
  'cpu.ours.soxPercent',
  'cpu.sdk.percent',
  'cpu.sdk.soxPercent',
  'cpu.minimal.percent',
  'latency.minimal.p50Ms',
  'memory.ours.peakRssMb',
  'memory.sdk.peakRssMb',
  'longSession.ours.turns',
  'longSession.ours.growthMb',
  'longSession.ours.lateGrowthMbPer1000Turns',
  'longSession.ours.peakRssMb',
  'longSession.sdk.peakRssMb',
  'stdoutBlocked.maxFrameGapMs',
  'stdoutBlocked.audioRealtimeRatio',
  'stdoutBlocked.finalsDelivered',
  'stdoutBlocked.finalsSent',
];

/** The two-source row (issue 13): measured only by a live-transcribe that has --system-device. */
const TWO_SOURCE_FIGURES = [
  'twoSources.cpu.percent',
  'twoSources.cpu.ratio',
  'twoSources.memory.peakRssMb',
  'twoSources.memory.ratio',
  'twoSources.latency.microphone.p50Ms',
  'twoSources.latency.system.p50Ms',
  'twoSources.latency.microphone.clicks',
  'twoSources.latency.system.clicks',
];

interface BenchResult {
  quick: boolean;
  headline: Record<string, unknown>;
  targets: Record<string, unknown>;
  table: string;
  figures: Record<string, unknown>;
  twoSources: { run: boolean; reason?: string; targets: Record<string, unknown> | null };
}

let dir: string;
let out: string;
let run: { code: number | null; stdout: string; stderr: string };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-bench-test-'));
  out = path.join(dir, 'bench.json');
  run = await new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'bench', '--', '--quick', '--out', out], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a timeout can stop npm, node and everything they started
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
      reject(new Error(`npm run bench -- --quick did not finish within ${TIMEOUT_MS} ms\n${stderr.slice(-3000)}`));
    }, TIMEOUT_MS);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}, TIMEOUT_MS + 30_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run bench -- --quick', () => {
  it('exits 0, prints the table and the path of its JSON', () => {
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    expect(run.stdout).toContain('| figure | live-transcribe | reference | ratio | target | met |');
    expect(run.stdout).toContain(`JSON: ${out}`);
  });

  it('writes every figure as a number', async () => {
    const result = JSON.parse(await readFile(out, 'utf8')) as BenchResult;
    expect(result.quick).toBe(true);
    const missing = FIGURES.filter((k) => typeof result.headline[k] !== 'number' || !Number.isFinite(result.headline[k]));
    expect(missing).toEqual([]);
    expect(Object.keys(result.targets).sort()).toEqual([
      'blockedStdout',
      'cpu',
      'latency',
      'memory',
      'ready',
      'sdkCpu',
      'sdkLatency',
      'sdkRss',
      'startupRatio',
      'turnToScreen',
    ]);
    for (const value of Object.values(result.targets)) expect(typeof value).toBe('boolean');
    expect(Object.keys(result.figures).sort()).toEqual(['blockedStdout', 'capture', 'longSession', 'ready', 'startup', 'turnToScreen']);
    // Every click played was found again on the wire for both clients, and every final reached stdout.
    expect(result.headline['latency.ours.p50Ms']).toBeGreaterThan(0);
    expect(result.headline['stdoutBlocked.finalsDelivered']).toBe(result.headline['stdoutBlocked.finalsSent']);
  });

  it('the two-source row: measured when live-transcribe takes --system-device, else "not run: needs --system-audio"', async () => {
    const result = JSON.parse(await readFile(out, 'utf8')) as BenchResult;
    // The full help: the plain --help lists only the essential options (a row skipped for that once went unseen).
    const help = execFileSync(process.execPath, [path.join(ROOT, 'bin', 'live-transcribe.cjs'), '--help', 'all'], { encoding: 'utf8' });
    const runs = help.includes('--system-device');
    expect(result.twoSources.run).toBe(runs);
    expect(TWO_SOURCE_FIGURES.filter((k) => typeof result.headline[k] === 'number' && Number.isFinite(result.headline[k]))).toEqual(
      runs ? TWO_SOURCE_FIGURES : [],
    );
    expect(Object.keys(result.twoSources.targets ?? {}).sort()).toEqual(runs ? ['cpu', 'latency', 'memory'] : []);
    expect(result.table).toMatch(
      runs
        ? /^\| two sources \(microphone \+ system audio, [\d.]+ s\): CPU, client process \| [\d.]+% /m
        : /^\| two sources \(.*\) \| not run: needs --system-audio \|/m,
    );
  });

  it('the table printed is the one stored in the JSON', async () => {
    const result = JSON.parse(await readFile(out, 'utf8')) as BenchResult;
    expect(run.stdout).toContain(result.table);
  });
});

describe('npm run bench:startup (launches in turns, side by side)', () => {
  it('measures ready, first audio, CPU and peak RSS of each checkout, as numbers', () => {
    // Compiled by the bench run above (tsc -p bench/tsconfig.json); this checkout against itself, once each.
    const stdout = execFileSync(
      process.execPath,
      [path.join(ROOT, '.bench', 'bench', 'startup.js'), '--client', ROOT, '--runs', '1', '--seconds', '0'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(stdout).toContain(`| figure | this checkout | ${ROOT.replace(/\/$/, '')} |`);
    for (const row of [
      'ready: launch to upgrade request (ms)',
      'first audio frame (ms)',
      'CPU time, launch to first frame + 0 s (ms)',
      'peak RSS at first frame + 0 s (MB)',
    ]) {
      expect(stdout).toMatch(
        new RegExp(`^\\| ${row.replace(/[()+]/g, '\\$&')} \\| [\\d.]+ \\(min [\\d.]+\\) \\| [\\d.]+ \\(min [\\d.]+\\) \\|$`, 'm'),
      );
    }
  }, 150_000);
});
