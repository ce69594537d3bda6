/**
 * `npm run bench [-- --quick] [--out FILE] [--client DIR]`: what users feel, measured on this machine against the test
 * double on loopback, each figure next to a reference measured in the same run (`node -e 0` for start-up,
 * the official AssemblyAI SDK for the session figures). Prints one table and writes the same figures as JSON
 * (default bench/results/latest.json). Self-contained: it starts its own PulseAudio virtual microphone, its
 * own doubles (plain ws:// and TLS wss:// with a certificate made by openssl) and stops everything it started.
 * The method of each figure is described in docs/performance.md.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAST_TIMINGS, REAL_TIMINGS, startFakeServer, type FakeServer } from '../test/support/fake-server.js';
import { OnsetDetector, pairLatencies, writeClicksWav } from './clicks.js';
import { clientEnv, killAll, nowMs, sleep, startClient, track, waitForAudio, type ClientKind, type RunningClient } from './clients.js';
import { cpuMs, cpuPreciseMs, memoryMb } from './proc.js';
import { median, percentile, prng, summarize, type Summary } from './stats.js';
import { ratio, renderTable, type Row } from './table.js';
import { benchTwoSources, reportTwoSources, TWO_SOURCE_ARGS } from './two-sources.js';
import { makeCertificate, type TestCertificate } from './tls.js';
import { sendFinalPair, turnMessage } from './turns.js';
import { play, startReference, startVirtualMic, type VirtualMic } from './virtual-mic.js';

/** This checkout: the SDK client, node_modules and the default results folder live here. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SDK_CLIENT = path.join(ROOT, 'bench', 'sdk-client.mjs');
const MINIMAL_CLIENT = path.join(ROOT, 'bench', 'minimal-client.mjs');
/** live-transcribe's bin in the measured checkout (from its package.json, so a moved bin is followed). */
let BIN = path.join(ROOT, 'bin', 'live-transcribe.cjs');

function resolveBin(checkout: string): string {
  const pkg = JSON.parse(readFileSync(path.join(checkout, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const rel = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.['live-transcribe'];
  if (rel === undefined) throw new Error(`${checkout}/package.json has no bin for live-transcribe`);
  return path.join(checkout, rel);
}

function launch(kind: ClientKind, url: string, env: NodeJS.ProcessEnv, pausedStdout = false, extraArgs: readonly string[] = []): RunningClient {
  const script = kind === 'ours' ? BIN : kind === 'sdk' ? SDK_CLIENT : MINIMAL_CLIENT;
  return startClient({ kind, script, url, env, pausedStdout, extraArgs });
}

// ---------------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------------

interface Plan {
  quick: boolean;
  out: string;
  /** The live-transcribe checkout measured (default: this one): its package.json `bin` and dist/. */
  client: string;
  startupRuns: number;
  readyRuns: number;
  captureReps: number;
  captureSeconds: number;
  warmupSeconds: number;
  screenTurns: number;
  longTurns: number;
  blockedTurns: number;
  blockedSeconds: number;
}

function parseArgs(argv: string[]): Plan {
  const quick = argv.includes('--quick');
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const out = path.resolve(value('--out') ?? path.join(ROOT, 'bench', 'results', 'latest.json'));
  const client = path.resolve(value('--client') ?? ROOT);
  const unknown = argv.filter((a, i) => a !== '--quick' && !['--out', '--client'].includes(a) && !['--out', '--client'].includes(argv[i - 1] ?? ''));
  if (unknown.length > 0 || argv.includes('--help')) {
    process.stderr.write('usage: npm run bench [-- --quick] [--out FILE] [--client DIR (another live-transcribe checkout, built)]\n');
    process.exit(unknown.length > 0 ? 2 : 0);
  }
  return quick
    ? {
        quick,
        out,
        client,
        startupRuns: 8,
        readyRuns: 5,
        captureReps: 1,
        captureSeconds: 10,
        warmupSeconds: 1.5,
        screenTurns: 60,
        longTurns: 2_000,
        blockedTurns: 400,
        blockedSeconds: 3,
      }
    : {
        quick,
        out,
        client,
        startupRuns: 30,
        readyRuns: 20,
        captureReps: 3,
        captureSeconds: 60,
        warmupSeconds: 2,
        screenTurns: 300,
        longTurns: 20_000,
        blockedTurns: 600,
        blockedSeconds: 5,
      };
}

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

/** Run on an interruption (Ctrl+C): close the doubles, stop PulseAudio, remove the temp dir. */
const cleanups: Array<() => Promise<void>> = [];

const round = (x: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

// ---------------------------------------------------------------------------------------------------
// Phases
// ---------------------------------------------------------------------------------------------------

interface StartupResult {
  nodeMs: Summary;
  versionMs: Summary;
  helpMs: Summary;
  versionRatio: number;
  helpRatio: number;
}

function timeCommand(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const t0 = nowMs();
    const child = track(spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'ignore'] }));
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ ms: nowMs() - t0, code, out }));
  });
}

async function benchStartup(plan: Plan): Promise<StartupResult> {
  log(`start-up: ${plan.startupRuns} x (node -e 0, --version, --help), interleaved`);
  const env = clientEnv(process.env);
  const node: number[] = [];
  const version: number[] = [];
  const help: number[] = [];
  const expected = (JSON.parse(readFileSync(path.join(plan.client, 'package.json'), 'utf8')) as { version: string }).version;
  // One untimed round warms the page cache.
  await timeCommand(['-e', '0'], env);
  await timeCommand([BIN, '--version'], env);
  for (let i = 0; i < plan.startupRuns; i += 1) {
    node.push((await timeCommand(['-e', '0'], env)).ms);
    const v = await timeCommand([BIN, '--version'], env);
    if (v.code !== 0 || !v.out.includes(expected)) throw new Error(`--version printed ${JSON.stringify(v.out)} (exit ${v.code})`);
    version.push(v.ms);
    const h = await timeCommand([BIN, '--help'], env);
    if (h.code !== 0 || !/usage/i.test(h.out)) throw new Error(`--help failed (exit ${h.code})`);
    help.push(h.ms);
  }
  return {
    nodeMs: summarize(node),
    versionMs: summarize(version),
    helpMs: summarize(help),
    versionRatio: round(median(version) / median(node), 2),
    helpRatio: round(median(help) / median(node), 2),
  };
}

interface ReadyFigures {
  /** Launch -> the double sees the WebSocket upgrade request (its record's openedAt, epoch ms). */
  upgrade: Summary;
  /**
   * Launch -> the first audio frame reaches the double. Both clients send audio only after Begin (the SDK starts
   * recording once connect() resolves; live-transcribe records from the start and sends its early buffer at
   * Begin), so this is the upgrade, the double's real Begin delay (1.2 s) and what each does then.
   */
  firstAudio: Summary;
}

/** Launch -> upgrade request, and launch -> first audio frame, each on the double's clock (this process). */
async function benchReady(kind: ClientKind, server: FakeServer, env: NodeJS.ProcessEnv, runs: number): Promise<ReadyFigures> {
  const upgrade: number[] = [];
  const firstAudio: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const index = server.sessions.length;
    const client = launch(kind, server.url, env);
    try {
      await server.waitFor((s) => s[index] !== undefined, 15_000);
      // Let the session start properly before stopping, so each run ends the same clean way.
      const record = await waitForAudio(server, index, client);
      upgrade.push(record.openedAt - client.spawnedAtMs);
      firstAudio.push(record.openedAt + (record.frames[0]?.atMs ?? Number.NaN) - client.spawnedAtMs);
    } finally {
      await client.stop();
    }
    await server.waitForSessionClosed(index, 10_000).catch(() => undefined);
  }
  return { upgrade: summarize(upgrade), firstAudio: summarize(firstAudio) };
}

interface CaptureRun {
  latenciesMs: number[];
  clicksPlayed: number;
  clicksUnmatched: number;
  /** From the threads' schedstat (ns resolution). */
  cpuPercent: number;
  /** The same from /proc/<pid>/stat utime+stime (10 ms ticks), as a cross-check. */
  cpuTicksPercent: number;
  soxCpuPercent: number;
  peakRssMb: number;
  maxRssMb: number;
  frames: number;
  frameBytes: Record<string, number>;
  audioRealtimeRatio: number;
}

async function captureRun(
  kind: ClientKind,
  server: FakeServer,
  mic: VirtualMic,
  env: NodeJS.ProcessEnv,
  plan: Plan,
  rep: number,
): Promise<CaptureRun> {
  const index = server.sessions.length;
  const reference = startReference(mic);
  const client = launch(kind, server.url, env);
  try {
    const record = await waitForAudio(server, index, client);
    await sleep(plan.warmupSeconds * 1000);
    const sox = client.soxPid();
    if (sox === undefined) throw new Error(`${kind}: no sox child process found`);
    const wav = path.join(mic.scratch, `clicks-${kind}-${rep}.wav`);
    const clicks = writeClicksWav(wav, plan.captureSeconds * 1000 - 500, 6 + rep);
    const framesBefore = record.frames.length;
    const t0 = nowMs();
    const cpu0 = cpuPreciseMs(client.pid) ?? Number.NaN;
    const sox0 = cpuPreciseMs(sox) ?? Number.NaN;
    const ticks0 = cpuMs(client.pid) ?? Number.NaN;
    let maxRss = 0;
    const sampler = setInterval(() => {
      maxRss = Math.max(maxRss, memoryMb(client.pid)?.rss ?? 0);
    }, 500);
    const playing = play(mic, wav);
    playing.catch(() => undefined); // awaited below; an interruption must not crash the cleanup
    await sleep(plan.captureSeconds * 1000);
    const t1 = nowMs();
    const cpu1 = cpuPreciseMs(client.pid) ?? Number.NaN;
    const sox1 = cpuPreciseMs(sox) ?? Number.NaN;
    const ticks1 = cpuMs(client.pid) ?? Number.NaN;
    const mem = memoryMb(client.pid);
    clearInterval(sampler);
    await playing;
    await sleep(600); // the last click reaches the wire
    const wire = new OnsetDetector();
    for (const f of record.frames) wire.push(f.data, record.openedAt + f.atMs);
    const paired = pairLatencies(
      reference.onsets().filter((o) => o.atMs >= t0),
      wire.onsets.map((o) => ({ sample: o.sample, atMs: o.chunkArrivalMs })),
    );
    const frameBytes: Record<string, number> = {};
    for (const f of record.frames.slice(framesBefore)) frameBytes[String(f.bytes)] = (frameBytes[String(f.bytes)] ?? 0) + 1;
    const wallMs = t1 - t0;
    const receivedMs = record.frames.filter((f) => record.openedAt + f.atMs >= t0 && record.openedAt + f.atMs <= t1).reduce((s, f) => s + f.ms, 0);
    return {
      latenciesMs: paired.latencies.map((x) => round(x, 2)),
      clicksPlayed: clicks.length,
      clicksUnmatched: paired.unmatched,
      cpuPercent: round(((cpu1 - cpu0) / wallMs) * 100, 2),
      cpuTicksPercent: round(((ticks1 - ticks0) / wallMs) * 100, 2),
      soxCpuPercent: round(((sox1 - sox0) / wallMs) * 100, 2),
      peakRssMb: round(mem?.hwm ?? Number.NaN),
      maxRssMb: round(Math.max(maxRss, mem?.rss ?? 0)),
      frames: record.frames.length - framesBefore,
      frameBytes,
      audioRealtimeRatio: round(receivedMs / wallMs, 3),
    };
  } finally {
    await client.stop();
    await reference.stop();
    await server.waitForSessionClosed(index, 10_000).catch(() => undefined);
  }
}

/** A final Turn sent by the double -> its line on the client's stdout (both timed in this process). */
async function benchTurnToScreen(kind: ClientKind, server: FakeServer, env: NodeJS.ProcessEnv, turns: number): Promise<Summary> {
  const index = server.sessions.length;
  const client = launch(kind, server.url, env);
  const random = prng(42);
  const values: number[] = [];
  try {
    await waitForAudio(server, index, client);
    await server.waitFor((s) => (s[index]?.id ?? '') !== '', 5_000);
    for (let order = 0; order < turns; order += 1) {
      const text = `Turn ${order} of the screen test, the quick brown fox jumps over the lazy dog.`;
      const seen = client.lines.length;
      server.sendTurn(index, turnMessage(order, text.toLowerCase().replace(/[.,]/g, ''), { final: true, formatted: false }));
      const sentAt = nowMs();
      if (!server.sendTurn(index, turnMessage(order, text, { final: true, formatted: true })))
        throw new Error(`${kind}: the double could not send turn ${order}`);
      await client.waitForLines((l) => l.length > seen, 5_000);
      const line = client.lines[seen];
      if (line?.text !== text) throw new Error(`${kind}: expected line ${JSON.stringify(text)}, got ${JSON.stringify(line?.text)}`);
      values.push(line.atMs - sentAt);
      await sleep(20 + random() * 60);
    }
  } finally {
    await client.stop();
    await server.waitForSessionClosed(index, 10_000).catch(() => undefined);
  }
  return summarize(values.map((v) => round(v, 3)));
}

interface LongSession {
  turns: number;
  messages: number;
  seconds: number;
  /** RSS (MB) after each tenth of the turns. */
  rssByTenthMb: number[];
  /** RSS after the first 10% of the turns (warmed up) and at the end. */
  rssStartMb: number;
  rssEndMb: number;
  growthMb: number;
  /** Growth over the second half only, per 1000 turns: a leak shows here, heap warm-up does not. */
  lateGrowthMbPer1000Turns: number;
  peakRssMb: number;
  linesDelivered: number;
}

/** Thousands of turns (partials and both finals each), as fast as the client prints them; RSS along the way. */
async function benchLongSession(kind: ClientKind, server: FakeServer, env: NodeJS.ProcessEnv, turns: number): Promise<LongSession> {
  const index = server.sessions.length;
  const client = launch(kind, server.url, env);
  try {
    await waitForAudio(server, index, client);
    await server.waitFor((s) => (s[index]?.id ?? '') !== '', 5_000);
    const words = 'so the plan for the next release is to ship the new parser first and then measure everything again'.split(' ');
    let messages = 0;
    let peak = 0;
    const byTenth: number[] = [];
    const t0 = nowMs();
    const tenth = Math.max(1, Math.floor(turns / 10));
    for (let order = 0; order < turns; order += 1) {
      const n = 8 + (order % 9);
      const text = `${order} ${words.slice(0, n).join(' ')}`;
      for (let k = 3; k < n; k += 4) {
        server.sendTurn(index, turnMessage(order, `${order} ${words.slice(0, k).join(' ')}`, { final: false, formatted: false }));
        messages += 1;
      }
      const formatted = `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
      if (!sendFinalPair(server, index, order, text, formatted)) throw new Error(`${kind}: the double could not send turn ${order}`);
      messages += 2;
      if (order % 50 === 49) {
        // Back-pressure: at most ~500 turns in flight, so this measures the client, not a queue.
        await client.waitForLines((l) => l.length >= order - 500, 30_000);
        peak = Math.max(peak, memoryMb(client.pid)?.rss ?? 0);
      }
      if ((order + 1) % tenth === 0 && byTenth.length < 10) {
        // Sample once the client has caught up, so every sample sees the same amount of work done.
        await client.waitForLines((l) => l.length >= order + 1, 30_000);
        byTenth.push(round(memoryMb(client.pid)?.rss ?? Number.NaN));
      }
    }
    await client.waitForLines((l) => l.length >= turns, 60_000);
    const seconds = (nowMs() - t0) / 1000;
    const mem = memoryMb(client.pid);
    const rssStart = byTenth[0] ?? Number.NaN;
    const rssEnd = mem?.rss ?? Number.NaN;
    const half = byTenth[4] ?? Number.NaN;
    return {
      turns,
      messages,
      seconds: round(seconds, 2),
      rssByTenthMb: byTenth,
      rssStartMb: round(rssStart),
      rssEndMb: round(rssEnd),
      growthMb: round(rssEnd - rssStart),
      lateGrowthMbPer1000Turns: round(((rssEnd - half) / (turns / 2)) * 1000, 2),
      peakRssMb: round(Math.max(peak, mem?.hwm ?? 0)),
      linesDelivered: client.lines.length,
    };
  } finally {
    await client.stop(20_000);
    await server.waitForSessionClosed(index, 10_000).catch(() => undefined);
  }
}

interface BlockedStdout {
  finalsSent: number;
  bytesWritten: number;
  blockedSeconds: number;
  maxFrameGapMs: number;
  audioRealtimeRatio: number;
  finalsDeliveredAfterDrain: number;
  rssWhileBlockedMb: number;
}

/**
 * live-transcribe's stdout is a pipe nobody reads: the double sends far more final text than the pipe holds,
 * audio must keep arriving at real-time rate, and once the reader drains every final must be there.
 */
async function benchBlockedStdout(server: FakeServer, env: NodeJS.ProcessEnv, plan: Plan): Promise<BlockedStdout> {
  const index = server.sessions.length;
  const client = launch('ours', server.url, env, true);
  try {
    const record = await waitForAudio(server, index, client);
    await server.waitFor((s) => (s[index]?.id ?? '') !== '', 5_000);
    await sleep(500);
    const filler = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor '.repeat(13).trim();
    const t0 = nowMs();
    let bytes = 0;
    for (let order = 0; order < plan.blockedTurns; order += 1) {
      const text = `Blocked ${order} ${filler}.`;
      sendFinalPair(server, index, order, text.toLowerCase().replace(/\./g, ''), text);
      bytes += text.length + 1;
      if (order % 50 === 49) await sleep(10);
    }
    await sleep(plan.blockedSeconds * 1000 - (nowMs() - t0));
    const t1 = nowMs();
    const rssWhileBlocked = memoryMb(client.pid)?.rss ?? Number.NaN;
    const inWindow = record.frames.filter((f) => record.openedAt + f.atMs >= t0 && record.openedAt + f.atMs <= t1);
    const times = [t0, ...inWindow.map((f) => record.openedAt + f.atMs), t1];
    let maxGap = 0;
    for (let i = 1; i < times.length; i += 1) maxGap = Math.max(maxGap, (times[i] ?? 0) - (times[i - 1] ?? 0));
    const audioMs = inWindow.reduce((s, f) => s + f.ms, 0);
    client.readStdout();
    await client.waitForLines((l) => l.length >= plan.blockedTurns, 30_000).catch(() => undefined);
    const delivered = client.lines.filter((l) => l.text.startsWith('Blocked ')).length;
    return {
      finalsSent: plan.blockedTurns,
      bytesWritten: bytes,
      blockedSeconds: round((t1 - t0) / 1000, 2),
      maxFrameGapMs: round(maxGap),
      audioRealtimeRatio: round(audioMs / (t1 - t0), 3),
      finalsDeliveredAfterDrain: delivered,
      rssWhileBlockedMb: round(rssWhileBlocked),
    };
  } finally {
    client.readStdout();
    await client.stop(20_000);
    await server.waitForSessionClosed(index, 10_000).catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------

interface ClientCapture {
  runs: CaptureRun[];
  latencyMs: Summary;
  clicksPlayed: number;
  clicksMatched: number;
  cpuPercent: Summary;
  soxCpuPercent: Summary;
  peakRssMb: Summary;
}

function aggregateCapture(runs: CaptureRun[]): ClientCapture {
  return {
    runs,
    latencyMs: summarize(runs.flatMap((r) => r.latenciesMs)),
    clicksPlayed: runs.reduce((s, r) => s + r.clicksPlayed, 0),
    clicksMatched: runs.reduce((s, r) => s + r.latenciesMs.length, 0),
    cpuPercent: summarize(runs.map((r) => r.cpuPercent)),
    soxCpuPercent: summarize(runs.map((r) => r.soxCpuPercent)),
    peakRssMb: summarize(runs.map((r) => r.peakRssMb)),
  };
}

const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
const fmtMs = (s: Summary, digits = 0): string => `${s.median.toFixed(digits)} ms (${s.p25.toFixed(digits)}-${s.p75.toFixed(digits)})`;

async function main(): Promise<void> {
  const plan = parseArgs(process.argv.slice(2));
  if (process.platform !== 'linux') throw new Error('the benchmark reads /proc and needs PulseAudio: Linux only');
  BIN = resolveBin(plan.client);
  if (!existsSync(path.join(plan.client, 'dist', 'main.js'))) throw new Error(`${plan.client}/dist is missing: run \`npm run build\` first`);
  const started = nowMs();
  log(`${plan.quick ? 'quick' : 'full'} run; results -> ${path.relative(process.cwd(), plan.out) || plan.out}`);

  const startup = await benchStartup(plan);

  const mic = await startVirtualMic();
  const servers: FakeServer[] = [];
  cleanups.push(async () => {
    for (const s of servers) await s.close();
    await mic.stop();
  });
  try {
    const cert: TestCertificate = await makeCertificate(mic.scratch);
    // No turns from the script: the audio is clicks and silence; turns come only from sendTurn().
    // The double at the service's real timings: Begin 1.2 s after the upgrade (both clients wait for it before
    // their first audio; the SDK's stock connect timeout did not, bench/sdk-client.mjs), ForceEndpoint 270 ms.
    // Fast in one place: Termination comes 50 ms after Terminate instead of 0.9 s. No figure is taken once a
    // client is told to stop, and the real delay would add about 20 s to every quick run (the test suite runs one)
    // and over a minute to a full run, measuring nothing.
    const common = { speechThresholdDbfs: 0, frameCheck: 'lenient' as const, terminationDelayMs: FAST_TIMINGS.terminationDelayMs };
    const plain = await startFakeServer(common);
    const tls = await startFakeServer({ ...common, tls: { cert: cert.cert, key: cert.key } });
    servers.push(plain, tls);
    const env = clientEnv(mic.env, { NODE_EXTRA_CA_CERTS: cert.certPath });

    log(`ready: ${plan.readyRuns} launches each (live-transcribe ws:// and wss://, SDK wss://)`);
    const readyRuns = {
      oursWs: await benchReady('ours', plain, env, plan.readyRuns),
      oursWss: await benchReady('ours', tls, env, plan.readyRuns),
      sdkWss: await benchReady('sdk', tls, env, plan.readyRuns),
    };
    const ready = {
      oursWs: readyRuns.oursWs.upgrade,
      oursWss: readyRuns.oursWss.upgrade,
      sdkWss: readyRuns.sdkWss.upgrade,
      firstAudio: { oursWs: readyRuns.oursWs.firstAudio, oursWss: readyRuns.oursWss.firstAudio, sdkWss: readyRuns.sdkWss.firstAudio },
    };

    log(`capture: ${plan.captureReps} x ${plan.captureSeconds} s per client, clicks into the virtual microphone, wss://`);
    const runs: Record<ClientKind, CaptureRun[]> = { ours: [], sdk: [], minimal: [] };
    for (let rep = 0; rep < plan.captureReps; rep += 1) {
      for (const kind of ['ours', 'sdk', 'minimal'] as const) {
        const r = await captureRun(kind, tls, mic, env, plan, rep);
        runs[kind].push(r);
        log(
          `  ${kind} #${rep + 1}: latency p50 ${round(percentile(r.latenciesMs, 50))} ms, p95 ${round(percentile(r.latenciesMs, 95))} ms (${r.latenciesMs.length}/${r.clicksPlayed} clicks), CPU ${r.cpuPercent}% (+SoX ${r.soxCpuPercent}%), peak RSS ${r.peakRssMb} MB`,
        );
      }
    }
    const capture = { ours: aggregateCapture(runs.ours), sdk: aggregateCapture(runs.sdk), minimal: aggregateCapture(runs.minimal) };

    log(`two sources: ${plan.captureSeconds} s, live-transcribe ${TWO_SOURCE_ARGS.join(' ')}, clicks into the virtual microphone and speakers`);
    const twoSourceOptions = {
      server: tls,
      mic,
      captureSeconds: plan.captureSeconds,
      warmupSeconds: plan.warmupSeconds,
      launch: (args: readonly string[]) => launch('ours', tls.url, env, false, args),
    };
    const twoSources = await benchTwoSources(twoSourceOptions, BIN, log);
    if (twoSources.run) {
      const { microphone: m, system: s } = twoSources.sources;
      log(
        `  CPU ${twoSources.cpuPercent}% (+SoX ${twoSources.soxCpuPercent.join('%, ')}%), peak RSS ${twoSources.peakRssMb} MB, latency p50 ${m.latencyMs.median} ms (${m.clicksMatched}/${m.clicksPlayed} clicks) / ${s.latencyMs.median} ms (${s.clicksMatched}/${s.clicksPlayed})`,
      );
    } else log(`  ${twoSources.reason}`);

    log(`turn-to-screen: ${plan.screenTurns} finals per client`);
    const screen = {
      ours: await benchTurnToScreen('ours', tls, env, plan.screenTurns),
      sdk: await benchTurnToScreen('sdk', tls, env, plan.screenTurns),
    };

    log(`long session: ${plan.longTurns} turns per client`);
    const long = { ours: await benchLongSession('ours', tls, env, plan.longTurns), sdk: await benchLongSession('sdk', tls, env, plan.longTurns) };
    log(
      `  ours: ${long.ours.turns} turns in ${long.ours.seconds} s, RSS ${long.ours.rssStartMb} -> ${long.ours.rssEndMb} MB; sdk: ${long.sdk.turns} turns in ${long.sdk.seconds} s, RSS ${long.sdk.rssStartMb} -> ${long.sdk.rssEndMb} MB`,
    );

    log(`blocked stdout: ${plan.blockedTurns} long finals into a pipe nobody reads for ${plan.blockedSeconds} s`);
    const blocked = await benchBlockedStdout(tls, env, plan);

    // ------------------------------------------------------------------ figures and targets
    const lat = capture.ours.latencyMs;
    const sdkLat = capture.sdk.latencyMs;
    const cpuOurs = capture.ours.cpuPercent.median;
    const cpuSdk = capture.sdk.cpuPercent.median;
    const cpuMinimal = capture.minimal.cpuPercent.median;
    const rssOurs = capture.ours.peakRssMb.median;
    const rssSdk = capture.sdk.peakRssMb.median;
    // Flat: no growth left once warmed up (a leak of 1 KB per turn would show as ~1 MB per 1000 turns).
    const flat = long.ours.lateGrowthMbPer1000Turns <= 0.25;
    const targets = {
      startupRatio: startup.versionRatio <= 1.3 && startup.helpRatio <= 1.3,
      ready: ready.oursWs.median <= 150,
      latency: lat.median <= 100 && lat.p95 <= 150,
      turnToScreen: screen.ours.p99 <= 5,
      cpu: cpuOurs <= 2,
      memory: rssOurs <= 80 && long.ours.peakRssMb <= 80 && (plan.quick || flat),
      sdkCpu: cpuOurs <= cpuSdk,
      sdkRss: rssOurs <= rssSdk,
      sdkLatency: lat.median < sdkLat.median && lat.p95 < sdkLat.p95,
      blockedStdout: blocked.maxFrameGapMs <= 250 && blocked.audioRealtimeRatio >= 0.9 && blocked.finalsDeliveredAfterDrain === blocked.finalsSent,
    };
    const two = reportTwoSources(twoSources, { cpuPercent: cpuOurs, peakRssMb: rssOurs, latencyP50Ms: lat.median });
    const rows: Row[] = [
      {
        figure: 'start-up `--version` (vs `node -e 0`)',
        ours: fmtMs(startup.versionMs),
        reference: fmtMs(startup.nodeMs),
        ratio: `${startup.versionRatio.toFixed(2)}x`,
        target: '<= 1.3x',
        met: startup.versionRatio <= 1.3,
      },
      {
        figure: 'start-up `--help` (vs `node -e 0`)',
        ours: fmtMs(startup.helpMs),
        reference: fmtMs(startup.nodeMs),
        ratio: `${startup.helpRatio.toFixed(2)}x`,
        target: '<= 1.3x',
        met: startup.helpRatio <= 1.3,
      },
      {
        figure: 'ready: launch to upgrade request, ws://',
        ours: fmtMs(ready.oursWs),
        reference: '-',
        ratio: '-',
        target: '<= 150 ms',
        met: targets.ready,
      },
      {
        figure: 'ready: launch to upgrade request, wss:// (vs SDK)',
        ours: fmtMs(ready.oursWss),
        reference: fmtMs(ready.sdkWss),
        ratio: ratio(ready.oursWss.median, ready.sdkWss.median),
        target: '-',
        met: undefined,
      },
      {
        figure: `... to the first audio at the double, after Begin (${REAL_TIMINGS.beginDelayMs} ms), wss:// (vs SDK; ws:// ${ready.firstAudio.oursWs.median.toFixed(0)} ms)`,
        ours: fmtMs(ready.firstAudio.oursWss),
        reference: fmtMs(ready.firstAudio.sdkWss),
        ratio: ratio(ready.firstAudio.oursWss.median, ready.firstAudio.sdkWss.median),
        target: '-',
        met: undefined,
      },
      {
        figure: `capture-to-wire p50 (${capture.ours.clicksMatched}/${capture.ours.clicksPlayed} clicks; SDK ${capture.sdk.clicksMatched}/${capture.sdk.clicksPlayed})`,
        ours: `${lat.median.toFixed(1)} ms`,
        reference: `${sdkLat.median.toFixed(1)} ms`,
        ratio: ratio(lat.median, sdkLat.median),
        target: '<= 100 ms, < SDK',
        met: lat.median <= 100 && lat.median < sdkLat.median,
      },
      {
        figure: 'capture-to-wire p95',
        ours: `${lat.p95.toFixed(1)} ms`,
        reference: `${sdkLat.p95.toFixed(1)} ms`,
        ratio: ratio(lat.p95, sdkLat.p95),
        target: '<= 150 ms, < SDK',
        met: lat.p95 <= 150 && lat.p95 < sdkLat.p95,
      },
      {
        figure: `turn-to-screen p99 (${screen.ours.n} finals; p50 ${screen.ours.median.toFixed(2)} ms)`,
        ours: `${screen.ours.p99.toFixed(2)} ms`,
        reference: `${screen.sdk.p99.toFixed(2)} ms`,
        ratio: ratio(screen.ours.p99, screen.sdk.p99),
        target: '<= 5 ms',
        met: targets.turnToScreen,
      },
      {
        figure: `CPU while streaming, client process (% of one core, ${plan.captureSeconds} s x ${plan.captureReps})`,
        ours: `${cpuOurs.toFixed(2)}% (${capture.ours.cpuPercent.min}-${capture.ours.cpuPercent.max})`,
        reference: `${cpuSdk.toFixed(2)}% (${capture.sdk.cpuPercent.min}-${capture.sdk.cpuPercent.max})`,
        ratio: ratio(cpuOurs, cpuSdk),
        target: '<= 2%',
        met: targets.cpu,
      },
      {
        figure: '... against the SDK',
        ours: `${cpuOurs.toFixed(2)}%`,
        reference: `${cpuSdk.toFixed(2)}%`,
        ratio: ratio(cpuOurs, cpuSdk),
        target: '<= SDK',
        met: targets.sdkCpu,
      },
      {
        figure: '... floor: a minimal client sending the same 50 ms frames, nothing else (vs SDK)',
        ours: `${cpuMinimal.toFixed(2)}% (${capture.minimal.cpuPercent.min}-${capture.minimal.cpuPercent.max})`,
        reference: `${cpuSdk.toFixed(2)}%`,
        ratio: ratio(cpuMinimal, cpuSdk),
        target: '-',
        met: undefined,
      },
      {
        figure: 'CPU of its SoX process',
        ours: `${capture.ours.soxCpuPercent.median.toFixed(2)}%`,
        reference: `${capture.sdk.soxCpuPercent.median.toFixed(2)}%`,
        ratio: ratio(capture.ours.soxCpuPercent.median, capture.sdk.soxCpuPercent.median),
        target: '-',
        met: undefined,
      },
      {
        figure: 'peak RSS during capture',
        ours: `${rssOurs.toFixed(1)} MB`,
        reference: `${rssSdk.toFixed(1)} MB`,
        ratio: ratio(rssOurs, rssSdk),
        target: '<= 80 MB, <= SDK',
        met: rssOurs <= 80 && targets.sdkRss,
      },
      {
        figure: `RSS over a ${long.ours.turns}-turn session: after 10% -> end`,
        ours: `${long.ours.rssStartMb.toFixed(1)} -> ${long.ours.rssEndMb.toFixed(1)} MB`,
        reference: `${long.sdk.rssStartMb.toFixed(1)} -> ${long.sdk.rssEndMb.toFixed(1)} MB`,
        ratio: '-',
        target: '-',
        met: undefined,
      },
      {
        figure: '... growth in its second half, per 1000 turns',
        ours: `${signed(long.ours.lateGrowthMbPer1000Turns)} MB`,
        reference: `${signed(long.sdk.lateGrowthMbPer1000Turns)} MB`,
        ratio: '-',
        target: plan.quick ? 'flat (full run only)' : 'flat (<= 0.25 MB)',
        met: plan.quick ? undefined : flat,
      },
      {
        figure: 'peak RSS over the long session',
        ours: `${long.ours.peakRssMb.toFixed(1)} MB`,
        reference: `${long.sdk.peakRssMb.toFixed(1)} MB`,
        ratio: ratio(long.ours.peakRssMb, long.sdk.peakRssMb),
        target: '<= 80 MB',
        met: long.ours.peakRssMb <= 80,
      },
      {
        figure: `stdout a pipe nobody reads (${Math.round(blocked.bytesWritten / 1024)} KiB of finals): longest audio gap`,
        ours: `${blocked.maxFrameGapMs.toFixed(0)} ms, audio at ${(blocked.audioRealtimeRatio * 100).toFixed(0)}% of real time`,
        reference: '-',
        ratio: '-',
        target: 'audio unaffected',
        met: blocked.maxFrameGapMs <= 250 && blocked.audioRealtimeRatio >= 0.9,
      },
      {
        figure: '... finals on stdout once the reader drains',
        ours: `${blocked.finalsDeliveredAfterDrain}/${blocked.finalsSent}`,
        reference: '-',
        ratio: '-',
        target: 'all',
        met: blocked.finalsDeliveredAfterDrain === blocked.finalsSent,
      },
      ...two.rows,
    ];

    const headline: Record<string, number> = {
      'startup.nodeMs': startup.nodeMs.median,
      'startup.versionMs': startup.versionMs.median,
      'startup.helpMs': startup.helpMs.median,
      'startup.versionRatio': startup.versionRatio,
      'startup.helpRatio': startup.helpRatio,
      'ready.oursWsMs': ready.oursWs.median,
      'ready.oursWssMs': ready.oursWss.median,
      'ready.sdkWssMs': ready.sdkWss.median,
      'ready.oursWsFirstAudioMs': ready.firstAudio.oursWs.median,
      'ready.oursWssFirstAudioMs': ready.firstAudio.oursWss.median,
      'ready.sdkWssFirstAudioMs': ready.firstAudio.sdkWss.median,
      'latency.ours.p50Ms': lat.median,
      'latency.ours.p95Ms': lat.p95,
      'latency.sdk.p50Ms': sdkLat.median,
      'latency.sdk.p95Ms': sdkLat.p95,
      'latency.ours.clicks': capture.ours.clicksMatched,
      'latency.sdk.clicks': capture.sdk.clicksMatched,
      'turnToScreen.ours.p50Ms': screen.ours.median,
      'turnToScreen.ours.p99Ms': screen.ours.p99,
      'turnToScreen.sdk.p50Ms': screen.sdk.median,
      'turnToScreen.sdk.p99Ms': screen.sdk.p99,
      'cpu.ours.percent': cpuOurs,
      'cpu.ours.soxPercent': capture.ours.soxCpuPercent.median,
      'cpu.sdk.percent': cpuSdk,
      'cpu.sdk.soxPercent': capture.sdk.soxCpuPercent.median,
      'cpu.minimal.percent': cpuMinimal,
      'latency.minimal.p50Ms': capture.minimal.latencyMs.median,
      'memory.ours.peakRssMb': rssOurs,
      'memory.sdk.peakRssMb': rssSdk,
      'longSession.ours.turns': long.ours.turns,
      'longSession.ours.growthMb': long.ours.growthMb,
      'longSession.ours.lateGrowthMbPer1000Turns': long.ours.lateGrowthMbPer1000Turns,
      'longSession.sdk.lateGrowthMbPer1000Turns': long.sdk.lateGrowthMbPer1000Turns,
      'longSession.ours.peakRssMb': long.ours.peakRssMb,
      'longSession.ours.turnsPerSecond': round(long.ours.turns / long.ours.seconds, 0),
      'longSession.sdk.growthMb': long.sdk.growthMb,
      'longSession.sdk.peakRssMb': long.sdk.peakRssMb,
      'stdoutBlocked.maxFrameGapMs': blocked.maxFrameGapMs,
      'stdoutBlocked.audioRealtimeRatio': blocked.audioRealtimeRatio,
      'stdoutBlocked.finalsDelivered': blocked.finalsDeliveredAfterDrain,
      'stdoutBlocked.finalsSent': blocked.finalsSent,
      ...two.headline,
    };

    const table = renderTable(rows);
    const result = {
      schema: 1,
      quick: plan.quick,
      date: new Date().toISOString(),
      durationSeconds: round((nowMs() - started) / 1000, 1),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? '',
        memoryGb: round(os.totalmem() / 2 ** 30, 1),
        kernel: os.release(),
        node: process.version,
      },
      client: {
        version: (JSON.parse(readFileSync(path.join(plan.client, 'package.json'), 'utf8')) as { version: string }).version,
        commit: gitCommit(plan.client) ?? null,
        bin: path.relative(plan.client, BIN),
      },
      sdk: { package: 'assemblyai', version: sdkVersion() },
      plan,
      targets,
      headline,
      table,
      figures: { startup, ready, capture, turnToScreen: screen, longSession: long, blockedStdout: blocked },
      // Beside `targets` and `figures`, not in them: their keys stay the same whether this row ran or not.
      twoSources: { ...twoSources, targets: two.targets ?? null },
    };
    mkdirSync(path.dirname(plan.out), { recursive: true });
    writeFileSync(plan.out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      `\nlive-transcribe ${result.client.version}${result.client.commit === null ? '' : ` (${result.client.commit})`} benchmark: ${plan.quick ? 'quick' : 'full'} run, ${os.cpus().length} cores, Node ${process.version}, reference SDK assemblyai ${result.sdk.version}; medians (p25-p75)\n\n${table}\n\n` +
        `JSON: ${plan.out}\n`,
    );
  } finally {
    for (const s of servers) await s.close();
    await mic.stop();
  }
}

/** The measured checkout's commit, if it is a git work tree (with `-dirty` for uncommitted changes). */
function gitCommit(dir: string): string | undefined {
  try {
    const rev = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty =
      execFileSync('git', ['-C', dir, 'status', '--porcelain', '--untracked-files=no'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() !== '';
    return dirty ? `${rev}-dirty` : rev;
  } catch {
    return undefined;
  }
}

function sdkVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'assemblyai', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'missing';
  }
}

process.on('exit', killAll);
let interrupted = false;
process.on('unhandledRejection', (err) => {
  if (interrupted) return; // children killed on purpose: their promises reject while we clean up
  throw err;
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: stopping everything the bench started`);
    killAll();
    const timer = setTimeout(() => process.exit(130), 5_000);
    void Promise.allSettled(cleanups.map((c) => c())).then(() => {
      clearTimeout(timer);
      process.exit(130);
    });
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  killAll();
  process.exitCode = 1;
});
