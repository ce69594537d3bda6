/**
 * `npm run bench:outage [-- --minutes N] [--no-heap] [--out FILE]`: memory and CPU of a run during a long outage (default
 * ten minutes; issue 22). A file of silence streams in real time to the test double on loopback; its first
 * session drops after 5 s and every handshake after that is refused (503), so the run keeps recording and
 * retrying while the audio past `--replay-limit 5` goes to the spool on disk. Every 10 s it samples the
 * client's resident memory and CPU time, and its live heap: bench/heap-probe.cjs, preloaded into the client
 * (`--expose-gc --require`), collects garbage and logs process.memoryUsage() every 10 s. The heap must stay
 * flat once the replay buffer is full (the spool is on disk) while the spool file grows. The probe's forced
 * collections also keep resident memory lower: `--no-heap` leaves it out (resident memory as V8 lets it grow).
 * Not part of the test suite.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeServer } from '../test/support/fake-server.js';
import { flagValue } from './argv.js';
import { cpuPreciseMs, memoryMb } from './proc.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'live-transcribe.cjs');
const HEAP_PROBE = path.join(ROOT, 'bench', 'heap-probe.cjs');

interface HeapLine {
  s: number;
  heapUsed: number;
  arrayBuffers: number;
}

const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const minutes = Number(flagValue(argv, '--minutes', '10'));
  const probe = !argv.includes('--no-heap');
  const out = flagValue(argv, '--out', path.join(ROOT, 'bench', 'results', 'outage-memory.json'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lt-bench-outage-'));
  try {
    const input = path.join(dir, 'silence.wav');
    execFileSync('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', input, 'trim', '0', String(minutes * 60 + 10)]);
    const cache = path.join(dir, 'cache');
    const spoolDir = path.join(cache, 'live-transcribe', 'spool');
    const server = await startFakeServer({ perSession: (i) => (i === 0 ? { dropAfterMs: 5000 } : { refuseUpgrade: 503 }) });
    const started = Date.now();
    const heapLog = path.join(dir, 'heap.jsonl');
    const child = spawn(
      process.execPath,
      [
        ...(probe ? ['--expose-gc', '--require', HEAP_PROBE] : []),
        BIN,
        '--api-host',
        server.url,
        '-i',
        input,
        '--replay-limit',
        '5',
        '--max-duration',
        `${minutes * 60}s`,
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? dir,
          ASSEMBLYAI_API_KEY: 'test-key-0000',
          XDG_CACHE_HOME: cache,
          HEAP_PROBE_FILE: heapLog,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const samples: Array<{ s: number; rssMb: number; cpuMs: number; spoolMb: number }> = [];
    const sample = (): void => {
      const m = child.pid === undefined ? undefined : memoryMb(child.pid);
      const c = child.pid === undefined ? undefined : cpuPreciseMs(child.pid);
      if (m === undefined || c === undefined || !Number.isFinite(m.rss)) return;
      let spool = 0;
      try {
        for (const f of readdirSync(spoolDir)) spool += statSync(path.join(spoolDir, f)).size;
      } catch {
        // not created yet
      }
      samples.push({
        s: Math.round((Date.now() - started) / 1000),
        rssMb: Math.round(m.rss * 10) / 10,
        cpuMs: Math.round(c),
        spoolMb: Math.round(spool / 1e5) / 10,
      });
    };
    const timer = setInterval(sample, 10_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearInterval(timer);
    await server.close();
    const after30 = samples.filter((x) => x.s >= 30);
    const first = after30[0];
    const last = after30[after30.length - 1];
    const heap = existsSync(heapLog)
      ? readFileSync(heapLog, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as HeapLine)
      : [];
    const heap30 = heap.filter((x) => x.s >= 30);
    const heapFirst = heap30[0];
    const heapLast = heap30[heap30.length - 1];
    const result = {
      date: new Date().toISOString(),
      outageSeconds: minutes * 60 - 5,
      /** The live heap (after a full collection) and the audio buffers outside it, MB. */
      heapUsedMbAt30s: heapFirst === undefined ? undefined : mb(heapFirst.heapUsed),
      heapUsedMbAtEnd: heapLast === undefined ? undefined : mb(heapLast.heapUsed),
      arrayBuffersMbAtEnd: heapLast === undefined ? undefined : mb(heapLast.arrayBuffers),
      heapUsedKbPerMinute:
        heapFirst !== undefined && heapLast !== undefined && heapLast.s > heapFirst.s
          ? Math.round((((heapLast.heapUsed - heapFirst.heapUsed) / 1000) * 60) / (heapLast.s - heapFirst.s))
          : undefined,
      exitCode: code,
      rssMbAt30s: first?.rssMb,
      rssMbAtEnd: last?.rssMb,
      rssMbMax: Math.max(...samples.map((x) => x.rssMb)),
      cpuPercentOfOneCore:
        first !== undefined && last !== undefined && last.s > first.s
          ? Math.round(((last.cpuMs - first.cpuMs) / ((last.s - first.s) * 1000)) * 1000) / 10
          : undefined,
      spoolMbAtEnd: last?.spoolMb,
      samples,
      heap: heap.map((x) => ({ s: x.s, heapUsedMb: mb(x.heapUsed), arrayBuffersMb: mb(x.arrayBuffers) })),
    };
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify({ ...result, samples: undefined, heap: undefined }, null, 2)}\nwritten: ${out}\n`);
    process.stderr.write(stderr.split('\n').slice(-4).join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
