/**
 * Issue 20: the live captions page in a real browser (Debian's Chromium, headless, through puppeteer-core),
 * fed by real runs against the test double. Audio goes in on standard input, so each test decides when a turn
 * is spoken: before or after a page opens, while its connection is cut.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { startFakeServer, type FakeServer, type FakeServerOptions } from '../support/fake-server.js';
import { makeSpeechWav, readWavPcm } from '../support/audio.js';
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
const env = (extra: Record<string, string> = {}): Record<string, string> => cleanEnv({ ASSEMBLYAI_API_KEY: TEST_KEY, XDG_STATE_HOME: path.join(dir, 'state'), ...extra });

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
  waitUntil(async () => {
    const f = await pageFinals(page);
    return f.all.length >= n ? f : undefined;
  }, { timeoutMs: 20_000, what: `${n} final lines on the page` });

describe('captions page', () => {
  it('shows a spoken phrase as a final line, after partials of it; the run exits as without the page', async () => {
    const s = await start();
    const r = await run(s);
    const page = await open(r.url);
    // Every text the partial line held, recorded in the page as it changes.
    await inPage(page, `(() => { window.__partials = []; new MutationObserver(() => { const t = document.querySelector('#partials .text'); if (t && t.textContent) window.__partials.push(t.textContent); }).observe(document.getElementById('partials'), { subtree: true, childList: true, characterData: true }); })()`);
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
});
