/**
 * Issue 20: the live captions page in a real browser (Debian's Chromium, headless, through puppeteer-core),
 * fed by real runs against the test double. Audio goes in on standard input, so each test decides when a turn
 * is spoken: before or after a page opens, while its connection is cut.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createTcpServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { startFakeServer, type FakeServer, type FakeServerOptions } from '../support/fake-server.js';
import { makeSpeechWav, readWavPcm } from '../support/audio.js';
import { makeFakeSoxDir } from '../support/fake-sox.js';
import { cleanEnv, TEST_KEY } from '../support/cli.js';
import { inPage, launchChromium, pageFinals } from '../support/browser.js';
import { startCaptionsRun, type CaptionsRun } from '../support/captions-run.js';
import { waitUntil } from '../support/wait.js';

let dir: string;
let browser: Browser;
let speech: Buffer[];
const SILENCE = Buffer.alloc(32_000 * 2); // 2 s: ends a turn
let server: FakeServer | undefined;
const runs: CaptionsRun[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lt-captions-'));
  const texts = ['hello world', 'good morning everyone', 'the quick brown fox'];
  speech = [];
  for (const [i, t] of texts.entries()) {
    const f = path.join(dir, `t${i}.wav`);
    await makeSpeechWav(t, f);
    speech.push(readWavPcm(f).pcm);
  }
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const r of runs.splice(0)) r.kill();
  await server?.close();
  server = undefined;
});

async function start(options: FakeServerOptions = {}): Promise<FakeServer> {
  server = await startFakeServer({ script: ['hello world', 'good morning everyone', 'the quick brown fox'], ...options });
  return server;
}
const env = (extra: Record<string, string> = {}): Record<string, string> =>
  cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_STATE_HOME: path.join(dir, 'state'), ...extra });

async function run(s: FakeServer, args: string[] = [], address = '127.0.0.1:0'): Promise<CaptionsRun> {
  const r = await startCaptionsRun(['--api-host', s.url, '-i', '-', '--captions', address, ...args], env());
  runs.push(r);
  return r;
}
function say(r: CaptionsRun, turn: number): void {
  r.write(speech[turn]!);
  r.write(SILENCE);
}
async function open(url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  await waitUntil(() => inPage(page, `document.body.dataset.state === 'live'`), { timeoutMs: 10_000, what: 'the page to connect' });
  return page;
}
const finalsOn = (page: Page, n: number): Promise<{ screen: string[]; all: string[] }> =>
  waitUntil(
    async () => {
      const f = await pageFinals(page);
      return f.all.length >= n ? f : undefined;
    },
    { timeoutMs: 20_000, what: `${n} final lines on the page` },
  );

describe('captions page', () => {
  it('shows a spoken phrase as a final line, after partials of it; the run exits as without the page', async () => {
    const s = await start();
    const r = await run(s);
    const page = await open(r.url);
    // Every text the partial line held, recorded in the page as it changes.
    await inPage(
      page,
      `(() => { window.__partials = []; new MutationObserver(() => { const t = document.querySelector('#partials .text'); if (t && t.textContent) window.__partials.push(t.textContent); }).observe(document.getElementById('partials'), { subtree: true, childList: true, characterData: true }); })()`,
    );
    say(r, 0);
    const f = await finalsOn(page, 1);
    expect(f.screen).toEqual(['Hello world.']);
    const partials = await inPage<string[]>(page, 'window.__partials');
    expect(partials.length).toBeGreaterThan(0);
    expect(partials.some((p) => 'hello world'.startsWith(p.toLowerCase()))).toBe(true);
    // The partial line is gone once the turn is final.
    expect(await inPage(page, `document.querySelector('#partials .partial:not(.empty)') === null`)).toBe(true);
    r.end();
    expect(await r.exit()).toBe(0);
    expect(r.stdout()).toBe('Hello world.\n');
    await waitUntil(() => inPage(page, `document.body.dataset.state === 'ended'`), { timeoutMs: 10_000, what: 'the page to say the run ended' });
    expect((await pageFinals(page)).screen).toEqual(['Hello world.']);
    expect(await inPage(page, `document.getElementById('status').textContent`)).toMatch(/stopped/);
    await page.close();
  });

  it('a page opened after the first turn shows it; a cut connection catches up without duplicates', async () => {
    const s = await start();
    const r = await run(s);
    say(r, 0);
    await waitUntil(() => r.stdout().includes('Hello world.'), { timeoutMs: 20_000, what: 'the first turn on stdout' });
    const proxy = await tcpProxy(Number(new URL(r.url).port));
    try {
      const page = await open(r.url.replace(/:\d+\//, `:${proxy.port}/`));
      expect((await pageFinals(page)).screen).toEqual(['Hello world.']);
      // The connection is cut and held down while a turn is spoken, then let through: the page reconnects by itself.
      proxy.hold();
      proxy.cut();
      await waitUntil(() => inPage(page, `document.body.dataset.state === 'reconnecting'`), {
        timeoutMs: 10_000,
        what: 'the page to notice the cut',
      });
      say(r, 1);
      await waitUntil(() => r.stdout().includes('Good morning everyone.'), { timeoutMs: 20_000, what: 'the second turn on stdout' });
      expect((await pageFinals(page)).all).toEqual(['Hello world.']);
      proxy.release();
      say(r, 2);
      const f = await finalsOn(page, 3);
      expect(f.screen).toEqual(['Hello world.', 'Good morning everyone.', 'The quick brown fox.']);
      expect(f.all).toEqual(f.screen);
      expect(proxy.connections()).toBeGreaterThanOrEqual(2);
      r.end();
      expect(await r.exit()).toBe(0);
      await page.close();
    } finally {
      proxy.close();
    }
  });

  it('a page open across two runs on the same address shows the second run', async () => {
    const s = await start();
    const first = await run(s);
    const page = await open(first.url);
    say(first, 0);
    await finalsOn(page, 1);
    first.end();
    expect(await first.exit()).toBe(0);
    await waitUntil(() => inPage(page, `document.body.dataset.state === 'ended'`), { timeoutMs: 10_000, what: 'the page to say the run ended' });
    // The same port again, as a browser source set up once would expect.
    const second = await run(s, [], `127.0.0.1:${new URL(first.url).port}`);
    expect(second.url).toBe(first.url);
    await waitUntil(() => inPage(page, `document.body.dataset.state === 'live'`), { timeoutMs: 15_000, what: 'the page to pick up the second run' });
    say(second, 1);
    const f = await finalsOn(page, 2);
    expect(f.all).toEqual(['Hello world.', 'Hello world.']);
    expect(await inPage(page, `document.querySelectorAll('#all .divider').length`)).toBe(1);
    second.end();
    expect(await second.exit()).toBe(0);
    await page.close();
  });

  it('a turn that reads like markup is shown as text', async () => {
    const markup = '<img src=x onerror=alert(1)> <b>bold</b>';
    const s = await start({ script: [markup], formatMode: 'inline' });
    const r = await run(s);
    const page = await open(r.url);
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs += 1;
      void d.dismiss();
    });
    say(r, 0);
    const [line] = (await finalsOn(page, 1)).screen;
    expect(line).toContain('<img src=x onerror=alert(1)>');
    expect(line).toContain('<b>bold</b>');
    expect(await inPage(page, `document.querySelectorAll('#captions img, #captions b, #all img, #all b').length`)).toBe(0);
    r.end();
    expect(await r.exit()).toBe(0);
    expect(dialogs).toBe(0);
    await page.close();
  });

  it('speakers are labelled in their colours', async () => {
    const s = await start({ speakers: ['A', 'B'] });
    const r = await run(s, ['--speaker-labels']);
    const page = await open(r.url);
    say(r, 0);
    await finalsOn(page, 1);
    say(r, 1);
    await finalsOn(page, 2);
    const labels = await inPage<{ text: string; colour: string }[]>(
      page,
      `[...document.querySelectorAll('#lines .final .speaker')].map((e) => ({ text: e.textContent, colour: getComputedStyle(e).color }))`,
    );
    expect(labels.map((l) => l.text)).toEqual(['A:', 'B:']);
    expect(labels[0]!.colour).not.toBe(labels[1]!.colour);
    r.end();
    expect(await r.exit()).toBe(0);
    await page.close();
  });

  it('a meeting: each line names its source, as in the terminal', async () => {
    const sox = await makeFakeSoxDir('stream-file', { rawPath: path.join(dir, 't0.wav'), afterFile: 'silence' });
    const s = await start({ script: ['hello world'] });
    const r = await startCaptionsRun(
      ['--api-host', s.url, '--device', 'mic-one=You', '--device', 'mic-two=Guest', '--captions', '127.0.0.1:0'],
      env({ PATH: `${sox}:${process.env.PATH ?? ''}` }),
    );
    runs.push(r);
    const page = await open(r.url);
    await finalsOn(page, 2);
    const sources = await inPage<string[]>(page, `[...document.querySelectorAll('#lines .final .source')].map((e) => e.textContent).sort()`);
    expect(sources).toEqual(['Guest:', 'You:']);
    r.signal('SIGINT');
    expect(await r.exit()).toBe(0);
    await page.close();
  });
});

interface TcpProxy {
  port: number;
  /** Cuts every connection open now. */
  cut(): void;
  /** New connections wait (as on a network that is down) until release(). */
  hold(): void;
  release(): void;
  connections(): number;
  close(): void;
}

/** A TCP proxy in front of the captions server, so that a test can cut the page's connection. */
async function tcpProxy(target: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let count = 0;
  let held: Socket[] | undefined;
  const forward = (client: Socket): void => {
    count += 1;
    const upstream = connect(target, '127.0.0.1');
    for (const sock of [client, upstream]) {
      open.add(sock);
      sock.on('close', () => open.delete(sock));
      sock.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };
  const proxy: Server = createTcpServer((client) => {
    if (held === undefined) return forward(client);
    client.on('error', () => {});
    client.pause();
    held.push(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    cut: () => {
      for (const sock of open) sock.destroy();
    },
    hold: () => {
      held = [];
    },
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const client of waiting) if (!client.destroyed) forward(client);
    },
    connections: () => count,
    close: () => {
      for (const sock of [...open, ...(held ?? [])]) sock.destroy();
      proxy.close();
    },
  };
}
