/**
 * `npm run soak [-- --minutes N] [--drops MIN-MAX] [--outages S] [--replay-limit S] [--seed N] [--out FILE]`: a
 * long real-time session whose connection drops every 30-60 s (by default for 10 minutes), against the test
 * double on loopback. With `--outages S` every drop is followed by S seconds in which the double refuses
 * every handshake (503): with S longer than `--replay-limit` (default then 5 s) the audio past the replay
 * bound goes to the spool and is recovered through the double's pre-recorded API (issue 22); it counts as
 * delivered where a `recovered` gap event places it.
 * It prints and writes (default bench/results/soak.json): audio captured vs delivered (every position of
 * the timeline received by some session, and how much was sent twice across sessions), turns expected vs
 * written (each phrase once), reconnects, and the largest lag between audio and its arrival at the double.
 * Not part of the test suite: it takes as long as it says.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeServer } from '../test/support/fake-server.js';
import { prng } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'live-transcribe.cjs');
const FRAME_MS = 50;
const PHRASES = ['hello world', 'good morning everyone', 'the quick brown fox jumps over the lazy dog', 'please call me back tomorrow'];

function parseArgs(argv: string[]): {
  minutes: number;
  dropMin: number;
  dropMax: number;
  outageS: number;
  replayLimitS: number;
  seed: number;
  out: string;
} {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const [dropMin, dropMax] = (get('--drops') ?? '30-60').split('-').map(Number) as [number, number];
  return {
    minutes: Number(get('--minutes') ?? '10'),
    dropMin,
    dropMax,
    outageS: Number(get('--outages') ?? '0'),
    replayLimitS: Number(get('--replay-limit') ?? (get('--outages') === undefined ? '120' : '5')),
    seed: Number(get('--seed') ?? '7'),
    out: get('--out') ?? path.join(ROOT, 'bench', 'results', 'soak.json'),
  };
}

function say(text: string, out: string): void {
  const wav = execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '--stdout', text]);
  execFileSync('sox', ['-t', 'wav', '-', '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', out], { input: wav });
}

async function main(): Promise<void> {
  const plan = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lt-soak-'));
  try {
    // A recording of the phrases in turn, 1.2 s apart, as long as the soak.
    const gap = path.join(dir, 'gap.wav');
    execFileSync('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', gap, 'trim', '0', '1.2']);
    const parts = PHRASES.map((p, i) => {
      const f = path.join(dir, `p${i}.wav`);
      say(p, f);
      return f;
    });
    const round = path.join(dir, 'round.wav');
    execFileSync('sox', parts.flatMap((p) => [p, gap]).concat([round]));
    const roundS = Number(execFileSync('sox', ['--i', '-D', round]).toString());
    const rounds = Math.max(1, Math.round((plan.minutes * 60) / roundS));
    const input = path.join(dir, 'soak.wav');
    execFileSync('sox', [...Array.from({ length: rounds }, () => round), input]);
    const expected = Array.from({ length: rounds }, () => PHRASES).flat();

    const random = prng(plan.seed);
    const drops: number[] = [];
    let outageUntil = 0;
    let inputEndsAt = Number.POSITIVE_INFINITY;
    const cache = path.join(dir, 'cache');
    const server = await startFakeServer({
      script: ['scripted words'],
      // Every session drops after 30-60 s (a TCP drop with no close: the client sees 1006).
      perSession: () => {
        // --outages: after a drop, every handshake is refused until the outage is over.
        if (Date.now() < outageUntil) return { refuseUpgrade: 503 };
        const ms = Math.round((plan.dropMin + random() * (plan.dropMax - plan.dropMin)) * 1000);
        // An outage must be over before the input ends (else the run ends offline: its last gap is kept, not recovered).
        if (plan.outageS > 0 && Date.now() + ms + (plan.outageS + 10) * 1000 > inputEndsAt) return {};
        drops.push(ms);
        if (plan.outageS > 0) outageUntil = Date.now() + ms + plan.outageS * 1000;
        return { dropAfterMs: ms };
      },
      // Text is not the point here: the double makes one turn per phrase it hears, so turns written vs
      // phrases spoken shows a turn lost or written twice.
      maxLeadSeconds: 10,
    });
    process.stderr.write(
      `soak: ${rounds} rounds (${((rounds * roundS) / 60).toFixed(1)} min of audio), drops every ${plan.dropMin}-${plan.dropMax} s${plan.outageS > 0 ? `, each an outage of ${plan.outageS} s (replay limit ${plan.replayLimitS} s)` : ''}, seed ${plan.seed}\n`,
    );

    const started = Date.now();
    inputEndsAt = started + rounds * roundS * 1000;
    const child = spawn(
      process.execPath,
      [BIN, '--api-host', server.url, '-i', input, '--format', 'json', '--replay-limit', String(plan.replayLimitS)],
      {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, ASSEMBLYAI_API_KEY: 'test-key-0000', XDG_CACHE_HOME: cache },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const wallS = (Date.now() - started) / 1000;
    await server.close();

    const events = stdout
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const turns = events.filter((e) => e.type === 'turn');
    const reconnects = events.filter((e) => e.type === 'reconnected').length;
    const offsets = [0, ...events.filter((e) => e.type === 'reconnected').map((e) => e.offset_ms as number)];
    const sessions = server.sessions.filter((s) => s.id !== '');

    // Coverage of the timeline, and lag: frame k of a session carries the audio at offset + k x 50 ms,
    // captured (in real time) at start + that position; it arrived at the double at openedAt + atMs.
    const capturedMs = Number(execFileSync('sox', ['--i', '-s', input]).toString()) / 16 + 1000;
    const covered = new Uint8Array(Math.ceil(capturedMs / FRAME_MS) + 40);
    let sentTwiceMs = 0;
    let maxLagMs = 0;
    const streamStart = sessions[0] === undefined ? started : sessions[0].openedAt + (sessions[0].frames[0]?.atMs ?? 0);
    sessions.forEach((s, k) => {
      const first = Math.round((offsets[k] ?? 0) / FRAME_MS);
      s.frames.forEach((f, i) => {
        const pos = first + i;
        if (covered[pos] === 1) sentTwiceMs += FRAME_MS;
        covered[pos] = 1;
        const lag = s.openedAt + f.atMs - (streamStart + pos * FRAME_MS);
        if (lag > maxLagMs) maxLagMs = lag;
      });
    });
    // Issue 22: gaps recovered through the pre-recorded API cover their place on the timeline.
    const recoveredGaps = events.filter((e) => e.type === 'gap' && e.phase === 'recovered');
    for (const g of recoveredGaps) {
      const from = Math.round(Number(g.start_ms) / FRAME_MS);
      const to = from + Math.round(Number(g.duration_ms) / FRAME_MS);
      for (let pos = from; pos < to; pos += 1) {
        if (covered[pos] === 1) sentTwiceMs += FRAME_MS;
        covered[pos] = 1;
      }
    }
    const spoolDir = path.join(cache, 'live-transcribe', 'spool');
    const spoolLeft = existsSync(spoolDir) ? readdirSync(spoolDir).length : 0;
    const totalFrames = Math.ceil(capturedMs / FRAME_MS);
    let missing = 0;
    for (let i = 0; i < totalFrames; i += 1) if (covered[i] !== 1) missing += 1;

    const result = {
      date: new Date().toISOString(),
      seed: plan.seed,
      exitCode: code,
      wallSeconds: Math.round(wallS),
      audioCapturedSeconds: Math.round(capturedMs / 100) / 10,
      audioDeliveredSeconds: Math.round(((totalFrames - missing) * FRAME_MS) / 100) / 10,
      audioMissingSeconds: (missing * FRAME_MS) / 1000,
      audioSentTwiceSeconds: sentTwiceMs / 1000,
      turnsExpected: expected.length,
      turnsWritten: turns.length,
      turnsDistinctIndexes: new Set(turns.map((t) => t.index)).size,
      outageSeconds: plan.outageS,
      replayLimitSeconds: plan.replayLimitS,
      gapsRecovered: recoveredGaps.length,
      audioRecoveredSeconds: recoveredGaps.reduce((ms, g) => ms + Number(g.duration_ms), 0) / 1000,
      turnsRecovered: turns.filter((t) => t.recovered === true).length,
      spoolFilesLeft: spoolLeft,
      /** Where each recovered gap and each turn lies (a turn twice, or a phrase cut by a gap, shows here). */
      gaps: recoveredGaps.map((g) => [Number(g.start_ms), Number(g.start_ms) + Number(g.duration_ms)]),
      turnTimes: turns.map((t) => [Number(t.start_ms), Number(t.end_ms), t.recovered === true ? 'recovered' : 'live']),
      sessions: sessions.length,
      reconnects,
      dropsScheduledSeconds: drops.slice(0, sessions.length).map((d) => d / 1000),
      maxLagMs: Math.round(maxLagMs),
      lossReported: stderr.match(/could not be kept/g)?.length ?? 0,
    };
    mkdirSync(path.dirname(plan.out), { recursive: true });
    writeFileSync(plan.out, `${JSON.stringify(result, null, 2)}\n`);
    const rows: [string, string][] = [
      [
        'audio captured / delivered',
        `${result.audioCapturedSeconds} s / ${result.audioDeliveredSeconds} s (missing ${result.audioMissingSeconds} s)`,
      ],
      ['audio sent to two sessions (replay)', `${result.audioSentTwiceSeconds} s`],
      ['turns expected / written', `${result.turnsExpected} / ${result.turnsWritten}`],
      ['sessions / reconnects', `${result.sessions} / ${result.reconnects}`],
      [
        'gaps recovered (pre-recorded API)',
        `${result.gapsRecovered}: ${result.audioRecoveredSeconds} s, ${result.turnsRecovered} turns; spool files left ${result.spoolFilesLeft}`,
      ],
      ['max lag (audio to double)', `${result.maxLagMs} ms`],
      ['exit code', String(code)],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    process.stdout.write(`${rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n')}\nwritten: ${plan.out}\n`);
    if (code !== 0) process.stderr.write(stderr.split('\n').slice(-10).join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
