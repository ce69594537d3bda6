// Takes the screenshots of the captions page (issue 20) for docs/: the page is served by the real captions
// output (src/captions/, bundled here with esbuild) and fed the events of a small meeting, then Debian's
// Chromium (puppeteer-core) shoots it. Usage: node scripts/captions-screenshots.mjs [out-dir] [--all]
// (docs/ holds the first three; --all adds the projector and transcript views, to look at them).
//   captions-dark.png      dark theme, two speakers and a partial (1280x720)
//   captions-obs.png       bg=transparent over a coloured background, as OBS composites it (1280x720)
//   captions-phone.png     a phone (390x844)       captions-projector.png  a projector (1920x1080, lines=2)
//   captions-transcript.png  the transcript view (1280x720)
import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const args = process.argv.slice(2);
const all = args.includes('--all');
const outDir = path.resolve(args.find((a) => !a.startsWith('--')) ?? 'docs');
const tmp = await mkdtemp(path.join(tmpdir(), 'lt-shots-'));
// The transcript events are made by the tests' own helper (test/support/records.ts).
await build({
  entryPoints: { output: 'src/captions/output.ts', records: 'test/support/records.ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outdir: tmp,
  outExtension: { '.js': '.mjs' },
  logLevel: 'error',
});
const { openCaptionsOutput } = await import(pathToFileURL(path.join(tmp, 'output.mjs')).href);
const { turnEvent } = await import(pathToFileURL(path.join(tmp, 'records.mjs')).href);

const out = await openCaptionsOutput({ host: '127.0.0.1', port: 0 }, { env: {}, platform: process.platform, print: () => {}, warn: () => {} });
const lines = [
  ['A', 'Good morning, everyone. Thanks for joining the planning call.'],
  ['B', 'Morning! Can we start with the release date?'],
  ['A', 'Yes. We are aiming for the second week of March.'],
  ['B', 'That works for the support team.'],
];
let t = 0;
lines.forEach(([speaker, text], index) => {
  out.write(turnEvent(index, text, { speaker, startMs: t, endMs: t + 2500 }));
  t += 3000;
});
out.write({ type: 'partial', sessionId: 's', turnOrder: 4, text: 'and the documentation will be ready by', time: new Date() });

const root = typeof process.getuid === 'function' && process.getuid() === 0;
const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [...(root ? ['--no-sandbox'] : []), '--disable-gpu', '--hide-scrollbars'],
});
async function shoot(name, query, viewport, prepare) {
  const page = await browser.newPage();
  await page.setViewport(viewport);
  await page.goto(out.url + query);
  // Polled from here: the page's CSP (rightly) refuses the evaluated code waitForFunction would inject.
  const deadline = Date.now() + 10_000;
  while (!(await page.evaluate(() => document.querySelectorAll('#lines .final').length === 4 && document.body.dataset.state === 'live'))) {
    if (Date.now() > deadline) throw new Error(`the page did not show the lines: ${await page.evaluate(() => document.body.dataset.state)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  if (prepare) await prepare(page);
  await page.screenshot({ path: path.join(outDir, name), omitBackground: false });
  await page.close();
  console.log(`wrote ${path.join(outDir, name)}`);
}
try {
  await shoot('captions-dark.png', '', { width: 1280, height: 720 });
  // OBS composites a transparent page over the video: the same here over a coloured gradient "video".
  await shoot('captions-obs.png', '?bg=transparent&lines=3&align=center', { width: 1280, height: 720 }, (page) =>
    page.evaluate(() => {
      document.documentElement.style.background = 'linear-gradient(135deg, #2e7d32 0%, #f9a825 45%, #e3f2fd 70%, #1565c0 100%)';
    }),
  );
  await shoot('captions-phone.png', '?lines=6', { width: 390, height: 844, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
  if (all) {
    await shoot('captions-projector.png', '?lines=2&theme=light', { width: 1920, height: 1080 });
    await shoot('captions-transcript.png', '', { width: 1280, height: 720 }, (page) => page.keyboard.press('KeyT'));
  }
} finally {
  await browser.close();
  out.close();
  await rm(tmp, { recursive: true, force: true });
}
