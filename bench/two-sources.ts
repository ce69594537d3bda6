/**
 * The benchmark's two-source rows (issue 13, meetings): live-transcribe records the virtual microphone and the
 * virtual speakers' monitor at once (`--system-device virtspk.monitor`: two SoX processes, two sessions on the
 * double) while clicks are played into both sinks at the same time. Compared with the one-source capture run
 * of the same bench: CPU and peak RSS of the client process (target: at most twice one source's), and
 * capture-to-wire per source (target: no worse than one source's, within LATENCY_MARGIN_MS of noise). Each
 * session is matched to its source by the clicks it carries (the two click tracks differ), not by the order
 * the sessions opened. A client whose --help has no --system-device (before issue 13) is not run: the row
 * says so instead of failing.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { FakeServer, SessionRecord } from '../test/support/fake-server.js';
import { OnsetDetector, pairLatencies, writeClicksWav, type TimedOnset } from './clicks.js';
import { nowMs, sleep, type RunningClient } from './clients.js';
import { cpuPreciseMs, memoryMb } from './proc.js';
import { summarize, type Summary } from './stats.js';
import { ratio, type Row } from './table.js';
import { MIC_SINK, play, SPEAKER_SINK, startReference, type VirtualMic } from './virtual-mic.js';

/** What makes the run two sources: the default microphone (virtmic.monitor) and the virtual speakers. */
export const TWO_SOURCE_ARGS: readonly string[] = ['--system-device', `${SPEAKER_SINK}.monitor`];
export const NOT_RUN_REASON = 'not run: needs --system-audio';
/** Capture-to-wire per source may exceed one source's by this much before it counts as worse (run-to-run noise). */
export const LATENCY_MARGIN_MS = 10;

const SOURCES = [
  { id: 'microphone', label: 'microphone', sink: MIC_SINK, seed: 31 },
  { id: 'system', label: 'system audio', sink: SPEAKER_SINK, seed: 32 },
] as const;
type SourceId = (typeof SOURCES)[number]['id'];

export interface SourceLatency {
  latencyMs: Summary;
  clicksPlayed: number;
  clicksMatched: number;
}

export interface TwoSourcesMeasured {
  run: true;
  seconds: number;
  /** The client process (node), % of one core. */
  cpuPercent: number;
  /** Each of its SoX processes, % of one core. */
  soxCpuPercent: number[];
  peakRssMb: number;
  sources: Record<SourceId, SourceLatency>;
}

/** Not measured: the client has no --system-device, or the run did not record both sources (`failed`). */
export interface TwoSourcesNotRun {
  run: false;
  reason: string;
  failed: boolean;
}

export type TwoSources = TwoSourcesMeasured | TwoSourcesNotRun;

/** The one-source figures of the same bench run that the two-source run is held against. */
export interface OneSource {
  cpuPercent: number;
  peakRssMb: number;
  latencyP50Ms: number;
}

export interface TwoSourcesOptions {
  server: FakeServer;
  mic: VirtualMic;
  captureSeconds: number;
  warmupSeconds: number;
  /** Starts live-transcribe against `server` with these arguments added. */
  launch: (extraArgs: readonly string[]) => RunningClient;
}

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Whether the live-transcribe at `bin` takes --system-device: its full help says so (`--help all`; the plain
 * `--help` shows only the essential options since the option table, so it no longer lists it), or, in older
 * checkouts without `--help all`, its `--help`.
 */
function supportsTwoSources(bin: string): boolean {
  return [['--help', 'all'], ['--help']].some((args) => {
    const help = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 15_000 });
    return help.status === 0 && help.stdout.includes('--system-device');
  });
}

/** Both sessions of the run (the first two opened from `first` on), once each has received audio. */
async function waitForSessions(server: FakeServer, first: number, client: RunningClient): Promise<SessionRecord[]> {
  await server
    .waitFor((s) => [first, first + 1].every((i) => (s[i]?.frames.length ?? 0) > 0), 15_000)
    .catch((e: unknown) => {
      throw new Error(`two sources: audio did not reach two sessions: ${(e as Error).message}\nclient stderr:\n${client.stderr()}`);
    });
  return [first, first + 1].map((i) => server.sessions[i]).filter((r): r is SessionRecord => r !== undefined);
}

function wireOnsets(record: SessionRecord): TimedOnset[] {
  const wire = new OnsetDetector();
  for (const f of record.frames) wire.push(f.data, record.openedAt + f.atMs);
  return wire.onsets.map((o) => ({ sample: o.sample, atMs: o.chunkArrivalMs }));
}

/** Latencies per reference, each paired with the session that carries its clicks (the assignment pairing the most). */
function pairBySource(references: readonly TimedOnset[][], wires: readonly TimedOnset[][]): number[][] {
  const [a, b] = references;
  const [x, y] = wires;
  if (a === undefined || b === undefined || x === undefined || y === undefined) return [[], []];
  const straight = [pairLatencies(a, x).latencies, pairLatencies(b, y).latencies];
  const crossed = [pairLatencies(a, y).latencies, pairLatencies(b, x).latencies];
  const count = (l: number[][]): number => l.reduce((n, v) => n + v.length, 0);
  return count(straight) >= count(crossed) ? straight : crossed;
}

/**
 * The two-source figures, or why there are none: not run when the client has no --system-device, failed
 * (with the client's stderr on `log`) when it did not record both sources. Never throws for the client.
 */
export async function benchTwoSources(o: TwoSourcesOptions, bin: string, log: (line: string) => void): Promise<TwoSources> {
  if (!supportsTwoSources(bin)) return { run: false, reason: NOT_RUN_REASON, failed: false };
  try {
    return await measureTwoSources(o);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log(`two sources failed: ${message}`);
    return { run: false, reason: `failed: ${message.split('\n')[0] ?? ''}`, failed: true };
  }
}

/** One run of `captureSeconds` with two sources; throws (with the client's stderr) if it does not record both. */
async function measureTwoSources(o: TwoSourcesOptions): Promise<TwoSourcesMeasured> {
  const first = o.server.sessions.length;
  const references = SOURCES.map((s) => startReference(o.mic, s.sink));
  const client = o.launch(TWO_SOURCE_ARGS);
  try {
    const records = await waitForSessions(o.server, first, client);
    await sleep(o.warmupSeconds * 1000);
    const sox = client.soxPids();
    if (sox.length !== SOURCES.length)
      throw new Error(`two sources: ${sox.length} SoX processes running, not ${SOURCES.length}\nclient stderr:\n${client.stderr()}`);
    const wavs = SOURCES.map((s) => path.join(o.mic.scratch, `clicks-two-${s.id}.wav`));
    const clicks = SOURCES.map((s, i) => writeClicksWav(wavs[i] ?? '', o.captureSeconds * 1000 - 500, s.seed));
    const t0 = nowMs();
    const cpu0 = cpuPreciseMs(client.pid) ?? Number.NaN;
    const sox0 = sox.map((pid) => cpuPreciseMs(pid) ?? Number.NaN);
    const playing = Promise.all(SOURCES.map((s, i) => play(o.mic, wavs[i] ?? '', s.sink)));
    playing.catch(() => undefined); // awaited below; an interruption must not crash the cleanup
    await sleep(o.captureSeconds * 1000);
    const wallMs = nowMs() - t0;
    const cpu1 = cpuPreciseMs(client.pid) ?? Number.NaN;
    const sox1 = sox.map((pid) => cpuPreciseMs(pid) ?? Number.NaN);
    const mem = memoryMb(client.pid);
    await playing;
    await sleep(600); // the last clicks reach the wire
    const latencies = pairBySource(
      references.map((r) => r.onsets().filter((x) => x.atMs >= t0)),
      records.map(wireOnsets),
    );
    const source = (i: number): SourceLatency => ({
      latencyMs: summarize((latencies[i] ?? []).map((x) => round(x))),
      clicksPlayed: clicks[i]?.length ?? 0,
      clicksMatched: latencies[i]?.length ?? 0,
    });
    return {
      run: true,
      seconds: round(wallMs / 1000, 1),
      cpuPercent: round(((cpu1 - cpu0) / wallMs) * 100),
      soxCpuPercent: sox1.map((c, i) => round(((c - (sox0[i] ?? Number.NaN)) / wallMs) * 100)),
      peakRssMb: round(mem?.hwm ?? Number.NaN, 1),
      sources: { microphone: source(0), system: source(1) },
    };
  } finally {
    await client.stop();
    for (const r of references) await r.stop();
    for (const i of [first, first + 1]) await o.server.waitForSessionClosed(i, 10_000).catch(() => undefined);
  }
}

export interface TwoSourcesReport {
  rows: Row[];
  /** Figures for the JSON headline (none when not run). */
  headline: Record<string, number>;
  /** Targets met (undefined when not run). */
  targets: { cpu: boolean; memory: boolean; latency: boolean } | undefined;
}

/** The table rows, headline figures and targets of the two-source run, against one source's figures. */
export function reportTwoSources(r: TwoSources, one: OneSource): TwoSourcesReport {
  if (!r.run) {
    const figure = `two sources (microphone + system audio, \`${TWO_SOURCE_ARGS.join(' ')}\`)`;
    const met = r.failed ? false : undefined;
    return {
      rows: [{ figure, ours: r.reason, reference: '-', ratio: '-', target: '<= 2x one source; capture-to-wire as one', met }],
      headline: {},
      targets: undefined,
    };
  }
  const noWorse = (s: SourceLatency): boolean => s.latencyMs.median <= one.latencyP50Ms + LATENCY_MARGIN_MS;
  const targets = {
    cpu: r.cpuPercent <= 2 * one.cpuPercent,
    memory: r.peakRssMb <= 2 * one.peakRssMb,
    latency: noWorse(r.sources.microphone) && noWorse(r.sources.system),
  };
  const latencyRow = (id: SourceId, label: string): Row => {
    const s = r.sources[id];
    return {
      figure: `... capture-to-wire p50, ${label} (${s.clicksMatched}/${s.clicksPlayed} clicks; p95 ${s.latencyMs.p95.toFixed(1)} ms)`,
      ours: `${s.latencyMs.median.toFixed(1)} ms`,
      reference: `${one.latencyP50Ms.toFixed(1)} ms (one source)`,
      ratio: ratio(s.latencyMs.median, one.latencyP50Ms),
      target: `<= one source (+${LATENCY_MARGIN_MS} ms)`,
      met: noWorse(s),
    };
  };
  const rows: Row[] = [
    {
      figure: `two sources (microphone + system audio, ${r.seconds} s): CPU, client process`,
      ours: `${r.cpuPercent.toFixed(2)}% (+SoX ${r.soxCpuPercent.map((c) => `${c.toFixed(2)}%`).join(', ')})`,
      reference: `${one.cpuPercent.toFixed(2)}% (one source)`,
      ratio: ratio(r.cpuPercent, one.cpuPercent),
      target: '<= 2x one source',
      met: targets.cpu,
    },
    {
      figure: '... peak RSS',
      ours: `${r.peakRssMb.toFixed(1)} MB`,
      reference: `${one.peakRssMb.toFixed(1)} MB (one source)`,
      ratio: ratio(r.peakRssMb, one.peakRssMb),
      target: '<= 2x one source',
      met: targets.memory,
    },
    ...SOURCES.map((s) => latencyRow(s.id, s.label)),
  ];
  const headline: Record<string, number> = {
    'twoSources.cpu.percent': r.cpuPercent,
    'twoSources.cpu.ratio': round(r.cpuPercent / one.cpuPercent),
    'twoSources.memory.peakRssMb': r.peakRssMb,
    'twoSources.memory.ratio': round(r.peakRssMb / one.peakRssMb),
    'twoSources.latency.microphone.p50Ms': r.sources.microphone.latencyMs.median,
    'twoSources.latency.system.p50Ms': r.sources.system.latencyMs.median,
    'twoSources.latency.microphone.clicks': r.sources.microphone.clicksMatched,
    'twoSources.latency.system.clicks': r.sources.system.clicksMatched,
  };
  return { rows, headline, targets };
}
