/**
 * Headless Chromium from Debian's `chromium` package, driven by puppeteer-core (no browser download). One
 * browser per test file; each test opens its own pages.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...(root ? ['--no-sandbox'] : []), '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'],
  });
}

/** The texts of the page's final lines in the captions view and in the transcript view. */
export function pageFinals(page: Page): Promise<{ screen: string[]; all: string[] }> {
  return inPage(
    page,
    `({
    screen: [...document.querySelectorAll('#lines .final .text')].map((e) => e.textContent),
    all: [...document.querySelectorAll('#all .final .text')].map((e) => e.textContent),
  })`,
  );
}

/** Evaluates a JavaScript expression in the page (the tests are compiled without the DOM's types). */
export function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}
