/**
 * Bench rows of the captions page (issue 20), run on their own: `npm run build && tsc -p bench/tsconfig.json &&
 * node .bench/bench/captions.js [--quick]`. Against the test double on loopback, with the real CLI:
 * - turn-to-page: the double sends a final (the format_turns pair); the time until the line is in the page's
 *   DOM, timed inside the page (a MutationObserver, `performance.timeOrigin + now()`, the same epoch clock as
 *   the bench's `nowMs()`), in Debian's Chromium through puppeteer-core. The same 300 finals as turn-to-screen.
 * - CPU and peak RSS of the CLI process while it streams with turns arriving (5 a second: partials and finals)
 *   with no page, one Chromium page, and 50 viewers (50 event-stream connections from this process: to the
 *   server a viewer is a viewer; 50 Chromium tabs would compete for the 2 cores being measured).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { startFakeServer, type FakeServer } from '../test/support/fake-server.js';
import { nowMs, sleep, API_KEY } from './clients.js';
import { cpuMs, memoryMb } from './proc.js';
import { prng, summarize } from './stats.js';
import { turnMessage } from './turns.js';

const quick = process.argv.includes('--quick');
const TURNS = quick ? 60 : 300;
const LOAD_SECONDS = quick ? 8 : 20;
const BIN = path.resolve('bin/live-transcribe.cjs');

interface Launched {
  child: ChildProcess;
  url: string;
  session: number;
}

async function launch(server: FakeServer, audio: string): Promise<Launched> {
  const session = server.sessions.length;
  const child = spawn(process.execPath, [BIN, '--api-host', server.url, '-i', audio, '--captions', '127.0.0.1:0', '--format', 'json'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ASSEMBLYAI_API_KEY: API_KEY },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const deadline = Date.now() + 10_000;
  while (!/captions: (http\S+)/.test(err)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no captions URL:\n${err}`);
    await sleep(20);
  }
  await server.waitFor((s) => (s[session]?.id ?? '') !== '', 10_000);
  return { child, url: /captions: (http\S+)/.exec(err)![1]!, session };
}

async function stop(l: Launched): Promise<void> {
  l.child.kill('SIGINT');
  await new Promise((resolve) => (l.child.exitCode !== null ? resolve(undefined) : l.child.once('close', resolve)));
}

async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  // Expressions, not functions: the bench compiles without the DOM's types.
  while (!(await page.evaluate(`document.body.dataset.state === 'live'`))) await sleep(20);
  await page.evaluate(`(() => {
    const seen = {};
    window.__seen = seen;
    new MutationObserver((records) => {
      const at = performance.timeOrigin + performance.now();
      for (const r of records) for (const n of r.addedNodes) if (n.classList && n.classList.contains('final')) seen[n.querySelector('.text').textContent] = at;
    }).observe(document.getElementById('lines'), { childList: true });
  })()`);
  return page;
}

async function turnToPage(server: FakeServer, browser: Browser, audio: string): Promise<ReturnType<typeof summarize>> {
  const run = await launch(server, audio);
  const page = await openPage(browser, run.url);
  const random = prng(42);
  const values: number[] = [];
  try {
    for (let order = 0; order < TURNS; order += 1) {
      const text = `Turn ${order} of the screen test, the quick brown fox jumps over the lazy dog.`;
      server.sendTurn(run.session, turnMessage(order, text.toLowerCase().replace(/[.,]/g, ''), { final: true, formatted: false }));
      const sentAt = nowMs();
      server.sendTurn(run.session, turnMessage(order, text, { final: true, formatted: true }));
      let at: number | undefined;
      const deadline = Date.now() + 5000;
      while ((at = (await page.evaluate(`window.__seen[${JSON.stringify(text)}]`)) as number | undefined) === undefined) {
        if (Date.now() > deadline) throw new Error(`turn ${order} never reached the page`);
        await sleep(2);
      }
      values.push(at - sentAt);
      await sleep(20 + random() * 60);
    }
  } finally {
    await page.close();
    await stop(run);
  }
  return summarize(values);
}

/** A viewer from this process: reads the event stream and throws it away. */
function sseViewer(url: string): { close(): void } {
  const u = new URL(url);
  const req = request({ host: u.hostname, port: u.port, path: '/events', headers: { Host: u.host } }, (res) => res.resume());
  req.on('error', () => {});
  req.end();
  return { close: () => req.destroy() };
}

async function load(
  server: FakeServer,
  browser: Browser,
  audio: string,
  viewers: 'none' | 'page' | 'fifty',
): Promise<{ cpuPercent: number; peakRssMb: number }> {
  const run = await launch(server, audio);
  const page = viewers === 'page' ? await openPage(browser, run.url) : undefined;
  const fifty = viewers === 'fifty' ? Array.from({ length: 50 }, () => sseViewer(run.url)) : [];
  try {
    await sleep(1000);
    const pid = run.child.pid!;
    const cpu0 = cpuMs(pid)!;
    const t0 = nowMs();
    let order = 0;
    while (nowMs() - t0 < LOAD_SECONDS * 1000) {
      const text = `turn ${order} so the plan for the next release is to ship the new parser first`;
      server.sendTurn(run.session, turnMessage(order, text.split(' ').slice(0, 6).join(' '), { final: false, formatted: false }));
      server.sendTurn(run.session, turnMessage(order, text, { final: true, formatted: false }));
      server.sendTurn(run.session, turnMessage(order, `${text[0]!.toUpperCase()}${text.slice(1)}.`, { final: true, formatted: true }));
      order += 1;
      await sleep(200);
    }
    const cpu = ((cpuMs(pid)! - cpu0) / (nowMs() - t0)) * 100;
    return { cpuPercent: cpu, peakRssMb: memoryMb(pid)!.hwm };
  } finally {
    for (const v of fifty) v.close();
    await page?.close();
    await stop(run);
  }
}

const dir = await mkdtemp(path.join(tmpdir(), 'lt-bench-captions-'));
const audio = path.join(dir, 'silence.wav');
execFileSync('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', audio, 'trim', '0', String(LOAD_SECONDS * 4 + 200)]);
const server = await startFakeServer({ speechThresholdDbfs: 0, frameCheck: 'lenient' });
const root = typeof process.getuid === 'function' && process.getuid() === 0;
const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [...(root ? ['--no-sandbox'] : []), '--disable-gpu'],
});
try {
  const page = await turnToPage(server, browser, audio);
  const none = await load(server, browser, audio, 'none');
  const one = await load(server, browser, audio, 'page');
  const fifty = await load(server, browser, audio, 'fifty');
  const f = (n: number): string => n.toFixed(2);
  console.log(`| turn-to-page p50 / p99 (${page.n} finals, timed in the page) | ${f(page.median)} ms / ${f(page.p99)} ms |`);
  console.log(
    `| CPU of the client process, ${LOAD_SECONDS} s, 5 turns/s: no page / one page / 50 viewers | ${f(none.cpuPercent)}% / ${f(one.cpuPercent)}% / ${f(fifty.cpuPercent)}% |`,
  );
  console.log(
    `| peak RSS: no page / one page / 50 viewers | ${none.peakRssMb.toFixed(1)} / ${one.peakRssMb.toFixed(1)} / ${fifty.peakRssMb.toFixed(1)} MB |`,
  );
} finally {
  await browser.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
