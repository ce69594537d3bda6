/**
 * Issue 20: the captions page in a real browser, fed through the captions output itself (the events every
 * output receives): meeting source labels, language changes, the URL options' effect on the computed style,
 * pause, the transcript view and its downloads. No service needed: the events are the run's.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer-core';
import { openCaptionsOutput, type CaptionsOutput } from '../../src/captions/output.js';
import type { TranscriptEvent, TurnRecord } from '../../src/transcript/records.js';
import { turnEvent } from '../support/records.js';
import { inPage, launchChromium, pageFinals } from '../support/browser.js';
import { waitUntil } from '../support/wait.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});
afterEach(() => {
  expect(complaints.splice(0)).toEqual([]);
});

const turn = (index: number, text: string, extra: Partial<TurnRecord> = {}): TranscriptEvent =>
  turnEvent(index, text, { startMs: index * 2000, endMs: index * 2000 + 1500, ...extra });

async function serve(): Promise<{ out: CaptionsOutput; printed: string[] }> {
  const printed: string[] = [];
  const out = await openCaptionsOutput({ host: '127.0.0.1', port: 0 }, { env: {}, platform: 'linux', print: (t) => printed.push(t), warn: () => {} });
  return { out, printed };
}
/** What the browser complained about on each page (a CSP violation, a script error): must stay empty. */
const complaints: string[] = [];
async function open(url: string, query = ''): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') complaints.push(m.text());
  });
  page.on('pageerror', (e) => complaints.push(String(e)));
  await page.goto(url + query);
  await waitUntil(() => inPage(page, `document.body.dataset.state === 'live'`), { timeoutMs: 10_000, what: 'the page to connect' });
  return page;
}
const style = (page: Page, selector: string, prop: string): Promise<string> =>
  inPage(page, `getComputedStyle(document.querySelector(${JSON.stringify(selector)}))[${JSON.stringify(prop)}]`);

describe('captions page', () => {
  it('prints the URL once, and labels the sources of a meeting and a change of language', async () => {
    const { out, printed } = await serve();
    expect(printed).toEqual([`captions: ${out.url}\n`]);
    const page = await open(out.url);
    out.write({ type: 'partial', sessionId: 's', turnOrder: 0, text: 'good mor', source: 'You', time: new Date() });
    out.write({ type: 'partial', sessionId: 't', turnOrder: 0, text: 'hi th', source: 'Others', time: new Date() });
    await waitUntil(() => inPage(page, `document.querySelectorAll('#partials .partial:not(.empty)').length === 2`), {
      timeoutMs: 5000,
      what: 'a partial line per source',
    });
    out.write(turn(0, 'Good morning.', { source: 'You', languageCode: 'en' }));
    out.write(turn(1, 'Guten Morgen.', { source: 'Others', speaker: 'A', languageCode: 'de' }));
    out.write(turn(2, 'Wie geht es?', { source: 'Others', speaker: 'A', languageCode: 'de' }));
    await waitUntil(async () => (await pageFinals(page)).screen.length === 3, { timeoutMs: 5000, what: 'three lines' });
    const lines = await inPage<string[]>(page, `[...document.querySelectorAll('#lines .final')].map((e) => e.textContent)`);
    expect(lines).toEqual(['enYou:Good morning.', 'deOthersA:Guten Morgen.', 'OthersA:Wie geht es?']);
    expect(await inPage(page, `document.querySelectorAll('#partials .partial:not(.empty)').length`)).toBe(0);
    // The partial is a different style from the final lines.
    out.write({ type: 'partial', sessionId: 's', turnOrder: 1, text: 'and you', source: 'You', time: new Date() });
    await waitUntil(() => inPage(page, `document.querySelectorAll('#partials .partial:not(.empty)').length === 1`), {
      timeoutMs: 5000,
      what: 'the partial',
    });
    expect(await style(page, '#partials .partial:not(.empty)', 'fontStyle')).toBe('italic');
    expect(await style(page, '#lines .final', 'fontStyle')).toBe('normal');
    out.close();
    await waitUntil(() => inPage(page, `document.body.dataset.state === 'ended'`), { timeoutMs: 5000, what: 'the end' });
    expect((await pageFinals(page)).screen.length).toBe(3);
    await page.close();
  });

  it('size, lines, bg=transparent, theme, align and upper change the computed style; partials=0 hides the partial', async () => {
    const { out } = await serve();
    const plain = await open(out.url);
    const styled = await open(out.url, '?size=90&lines=2&bg=transparent&align=center&upper=1&partials=0');
    const light = await open(out.url, '?theme=light&bg=00ff00');
    out.write(turn(0, 'One.'));
    out.write({ type: 'partial', sessionId: 's', turnOrder: 1, text: 'two', time: new Date() });
    for (const p of [plain, styled, light])
      await waitUntil(async () => (await pageFinals(p)).screen.length === 1, { timeoutMs: 5000, what: 'the line' });
    expect(await style(styled, '#captions', 'fontSize')).toBe('90px');
    expect(await style(plain, '#captions', 'fontSize')).not.toBe('90px');
    expect(await style(styled, 'body', 'backgroundColor')).toBe('rgba(0, 0, 0, 0)');
    expect(await style(plain, 'body', 'backgroundColor')).not.toBe('rgba(0, 0, 0, 0)');
    expect(await style(styled, '#captions', 'textShadow')).not.toBe('none');
    expect(await style(plain, '#captions', 'textShadow')).toBe('none');
    expect(await style(styled, '#captions', 'textAlign')).toBe('center');
    expect(await style(styled, '#captions', 'textTransform')).toBe('uppercase');
    expect(await style(styled, '#flow', 'maxHeight')).toBe(`${2 * 1.25 * 90}px`);
    await waitUntil(() => inPage(plain, `document.querySelectorAll('#partials .partial:not(.empty)').length === 1`), {
      timeoutMs: 5000,
      what: 'the partial',
    });
    expect(await style(styled, '#partials .partial', 'display')).toBe('none');
    expect(await style(light, 'body', 'backgroundColor')).toBe('rgb(0, 255, 0)');
    expect(await style(light, '#captions', 'color')).toBe('rgb(17, 19, 22)');
    out.close();
    for (const p of [plain, styled, light]) await p.close();
  });

  it('keys: bigger, smaller, pause and resume; the transcript view and its downloads', async () => {
    const { out } = await serve();
    const page = await open(out.url, '?size=50');
    await page.keyboard.press('Equal');
    expect(parseFloat(await style(page, '#captions', 'fontSize'))).toBeGreaterThan(50);
    // The address keeps the new size, so a reload (or a saved browser source) keeps it.
    expect(Number(/size=(\d+)/.exec(page.url())?.[1])).toBeGreaterThan(50);
    await page.keyboard.press('Minus');
    await page.keyboard.press('Minus');
    expect(parseFloat(await style(page, '#captions', 'fontSize'))).toBeLessThan(50);
    await page.keyboard.press('Space');
    expect(await inPage(page, `document.getElementById('status').textContent`)).toMatch(/paused/);
    out.write(turn(0, 'Said while paused.'));
    await waitUntil(async () => (await pageFinals(page)).all.length === 1, { timeoutMs: 5000, what: 'the line in the transcript' });
    expect((await pageFinals(page)).screen).toEqual([]);
    await page.keyboard.press('Space');
    expect((await pageFinals(page)).screen).toEqual(['Said while paused.']);
    out.write(turn(1, 'Then <this>, & that.', { speaker: 'B' }));
    await waitUntil(async () => (await pageFinals(page)).all.length === 2, { timeoutMs: 5000, what: 'the second line' });
    await page.keyboard.press('KeyT');
    expect(await inPage(page, `document.getElementById('transcript').hidden`)).toBe(false);
    const files = await inPage<string[]>(
      page,
      `Promise.all([...document.querySelectorAll('a.download')].map((a) => fetch(a.href).then((r) => r.text())))`,
    );
    expect(files[0]).toBe('Said while paused.\nB: Then <this>, & that.\n');
    expect(files[1]).toBe('1\n00:00:00,000 --> 00:00:01,500\nSaid while paused.\n\n2\n00:00:02,000 --> 00:00:03,500\nB: Then <this>, & that.\n\n');
    expect(files[2]).toContain(
      'WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nSaid while paused.\n\n00:00:02.000 --> 00:00:03.500\n<v Speaker B>Then &lt;this&gt;, &amp; that.</v>',
    );
    await page.keyboard.press('Escape');
    await page.keyboard.type('?');
    expect(await inPage(page, `document.getElementById('help').hidden`)).toBe(false);
    expect(await inPage(page, `document.getElementById('help').textContent`)).toContain('bg=transparent');
    out.close();
    await page.close();
  });

  it('fits a phone: no sideways scrolling, the newest line in view, buttons big enough to tap', async () => {
    const { out } = await serve();
    const page = await browser.newPage();
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await page.goto(out.url);
    await waitUntil(() => inPage(page, `document.body.dataset.state === 'live'`), { timeoutMs: 10_000, what: 'the page to connect' });
    out.write(turn(0, 'A rather long first sentence that has to wrap over several rows on a narrow phone screen.'));
    out.write(turn(1, 'Supercalifragilisticexpialidocious-and-a-word-with-no-place-to-break-at-all.'));
    await waitUntil(async () => (await pageFinals(page)).screen.length === 2, { timeoutMs: 5000, what: 'the lines' });
    expect(await inPage(page, `document.documentElement.scrollWidth <= window.innerWidth`)).toBe(true);
    const last = await inPage<{ top: number; bottom: number; right: number }>(
      page,
      `(() => { const r = document.querySelector('#lines .final:last-child').getBoundingClientRect(); return { top: r.top, bottom: r.bottom, right: r.right }; })()`,
    );
    expect(last.bottom).toBeLessThanOrEqual(844);
    expect(last.top).toBeGreaterThanOrEqual(0);
    expect(last.right).toBeLessThanOrEqual(390);
    const buttons = await inPage<{ w: number; h: number }[]>(
      page,
      `[...document.querySelectorAll('#bar button')].map((b) => ({ w: b.getBoundingClientRect().width, h: b.getBoundingClientRect().height }))`,
    );
    for (const b of buttons) expect(Math.min(b.w, b.h)).toBeGreaterThanOrEqual(40);
    out.close();
    await page.close();
  });
});
