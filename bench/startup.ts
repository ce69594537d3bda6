/**
 * `npm run bench:startup -- --client DIR [--client DIR2 ...] [--runs N] [--seconds S]`: this checkout against
 * other built checkouts, launched in turns (A, B, A, B, ...) so that the machine's drift falls on all alike. Each launch
 * captures from the virtual microphone and streams to the double at its real timings; per launch it takes:
 * - ready: launch -> the double sees the WebSocket upgrade request;
 * - first audio: launch -> the first audio frame reaches the double (after the real Begin, 1.2 s);
 * - CPU time of the client process up to S seconds after its first frame (start-up and streaming);
 * - peak RSS (VmHWM) at that point.
 * Prints the medians and minimums of both, and their ratios. `npm run bench -- --quick` takes one launch per
 * figure; this is the tool for a change to start-up (docs/performance.md, "Start-up").
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAST_TIMINGS, startFakeServer, type FakeServer } from '../test/support/fake-server.js';
import { clientEnv, killAll, sleep, startClient, waitForAudio } from './clients.js';
import { cpuPreciseMs, memoryMb } from './proc.js';
import { median } from './stats.js';
import { startVirtualMic } from './virtual-mic.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Plan {
  checkouts: string[];
  runs: number;
  seconds: number;
}

function parseArgs(argv: string[]): Plan {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const clients = argv.flatMap((a, i) => (a === '--client' && argv[i + 1] !== undefined ? [path.resolve(argv[i + 1] as string)] : []));
  const known = new Set(['--client', '--runs', '--seconds']);
  const unknown = argv.filter((a, i) => !known.has(a) && !known.has(argv[i - 1] ?? ''));
  const runs = Number(value('--runs') ?? 15);
  const seconds = Number(value('--seconds') ?? 3);
  if (unknown.length > 0 || argv.includes('--help') || !(runs >= 1) || !(seconds >= 0)) {
    process.stderr.write(
      'usage: npm run bench:startup [-- --client DIR (another checkout, built; again for more)] [--runs N (15)] [--seconds S (3)]\n',
    );
    process.exit(2);
  }
  return { checkouts: [ROOT, ...clients], runs, seconds };
}

function binOf(checkout: string): string {
  const pkg = JSON.parse(readFileSync(path.join(checkout, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const rel = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.['live-transcribe'];
  if (rel === undefined) throw new Error(`${checkout}/package.json has no bin for live-transcribe`);
  return path.join(checkout, rel);
}

interface Launch {
  readyMs: number;
  firstAudioMs: number;
  cpuMs: number;
  peakRssMb: number;
}

async function once(bin: string, server: FakeServer, env: NodeJS.ProcessEnv, seconds: number): Promise<Launch> {
  const index = server.sessions.length;
  const client = startClient({ kind: 'ours', script: bin, url: server.url, env });
  try {
    const record = await waitForAudio(server, index, client);
    await sleep(seconds * 1000);
    const cpu = cpuPreciseMs(client.pid) ?? Number.NaN;
    const mem = memoryMb(client.pid);
    return {
      readyMs: record.openedAt - client.spawnedAtMs,
      firstAudioMs: record.openedAt + (record.frames[0]?.atMs ?? Number.NaN) - client.spawnedAtMs,
      cpuMs: cpu,
      peakRssMb: mem?.hwm ?? Number.NaN,
    };
  } finally {
    await client.stop();
    await server.waitForSessionClosed(index, 10_000).catch(() => undefined);
  }
}

const fmt = (x: number, digits = 0): string => x.toFixed(digits);

async function main(): Promise<void> {
  const plan = parseArgs(process.argv.slice(2));
  const mic = await startVirtualMic();
  // As in bench/run.ts: the service's real Begin (the default), clicks and silence need no speech threshold, and
  // Termination comes fast because no figure is taken once a client is told to stop.
  const server = await startFakeServer({ speechThresholdDbfs: 0, frameCheck: 'lenient', terminationDelayMs: FAST_TIMINGS.terminationDelayMs });
  const stopAll = async (): Promise<void> => {
    killAll();
    await server.close();
    await mic.stop();
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  try {
    const env = clientEnv(mic.env);
    const bins = plan.checkouts.map(binOf);
    const results: Launch[][] = bins.map(() => []);
    for (const bin of bins) await once(bin, server, env, 0); // warms the page cache, not counted
    for (let run = 0; run < plan.runs; run += 1) {
      // Alternate which goes first, so neither always follows the other's exit.
      const order = run % 2 === 0 ? bins.map((_, i) => i) : bins.map((_, i) => i).reverse();
      for (const i of order) results[i]?.push(await once(bins[i] as string, server, env, plan.seconds));
      process.stderr.write(`[startup] ${run + 1}/${plan.runs}\n`);
    }
    const row = (name: string, pick: (l: Launch) => number, digits: number): string => {
      const cells = results.map((rs) => {
        const xs = rs.map(pick);
        return `${fmt(median(xs), digits)} (min ${fmt(Math.min(...xs), digits)})`;
      });
      return `| ${name} | ${cells.join(' | ')} |`;
    };
    const head = ['this checkout', ...plan.checkouts.slice(1)];
    process.stdout.write(
      [
        `${plan.runs} launches each, in turns; median (min)`,
        '',
        `| figure | ${head.join(' | ')} |`,
        `| --- | ${head.map(() => '---').join(' | ')} |`,
        row('ready: launch to upgrade request (ms)', (l) => l.readyMs, 0),
        row('first audio frame (ms)', (l) => l.firstAudioMs, 0),
        row(`CPU time, launch to first frame + ${plan.seconds} s (ms)`, (l) => l.cpuMs, 0),
        row(`peak RSS at first frame + ${plan.seconds} s (MB)`, (l) => l.peakRssMb, 1),
        '',
      ].join('\n'),
    );
  } finally {
    await stopAll();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  killAll();
  process.exit(1);
});
