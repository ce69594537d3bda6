/**
 * The captions page (issue 20): one self-contained HTML document, its style and script inline under a nonce,
 * no external fonts, scripts or images. The help view lists the keys and the URL options. Pure.
 */
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

/** The Content-Security-Policy of the page: nothing but its own inline style and script, and /events. */
export function pagePolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'none'",
    "font-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The URL options, as the help view and docs/captions.md list them. */
export const URL_OPTIONS: readonly (readonly [string, string])[] = [
  ['size=64', 'text size in pixels (keys + and − change it; the address remembers it)'],
  ['lines=3', 'how many lines show (default 4)'],
  ['theme=light', 'dark (default) or light'],
  ['bg=transparent', 'for an OBS browser source: no background, outlined text; or a colour: bg=00ff00'],
  ['partials=0', 'final lines only, no live partial line'],
  ['font=Atkinson Hyperlegible', 'a font installed on the viewing device'],
  ['align=center', 'left (default), center or right'],
  ['upper=1', 'UPPER CASE, as many broadcast captions are'],
  ['width=70', 'line width: percent of the screen, or 40ch, 900px...'],
];

const KEYS: readonly (readonly [string, string])[] = [
  ['+ / −', 'text bigger / smaller'],
  ['space', 'pause / resume the captions (the transcript goes on)'],
  ['f', 'full screen'],
  ['t', 'the transcript of the whole run'],
  ['?', 'this help'],
  ['Esc', 'back to the captions'],
];

function rows(pairs: readonly (readonly [string, string])[], tag: 'kbd' | 'code'): string {
  return pairs.map(([k, v]) => `<tr><td><${tag}>${k}</${tag}></td><td>${v}</td></tr>`).join('');
}

export function pageHtml(nonce: string): string {
  return `<!doctype html>
<html lang="en" data-theme="dark">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="dark light">
<meta name="referrer" content="no-referrer">
<title>Live captions · live-transcribe</title>
<style nonce="${nonce}">${PAGE_STYLE}</style>
</head>
<body data-state="connecting">
<main id="captions" aria-label="Live captions"><div id="flow" aria-live="polite"><div id="lines"></div><div id="partials" aria-hidden="true"></div></div></main>
<div id="status" role="status"></div>
<nav id="bar" aria-label="Caption controls">
<button id="smaller" type="button" title="Smaller text (−)">A−</button>
<button id="bigger" type="button" title="Bigger text (+)">A+</button>
<button id="pause" type="button" title="Pause or resume (space)">Pause</button>
<button id="show-transcript" type="button" title="The whole transcript (t)">Transcript</button>
<button id="full" type="button" title="Full screen (f)">Full screen</button>
<button id="show-help" type="button" title="Help (?)">?</button>
</nav>
<section id="transcript" class="sheet" hidden aria-label="Transcript">
<header><h1>Transcript</h1>
<a class="button download" href="/transcript.txt" download>.txt</a>
<a class="button download" href="/transcript.srt" download>.srt</a>
<a class="button download" href="/transcript.vtt" download>.vtt</a>
<button class="close" type="button">Back to captions</button></header>
<div id="all"></div>
</section>
<section id="help" class="sheet" hidden aria-label="Help">
<header><h1>Live captions</h1><button class="close" type="button">Back to captions</button></header>
<p>The words spoken in the running <code>live-transcribe --captions</code>, live. Final lines stay; the last, slanted line is still being heard and may change.</p>
<h2>Keys</h2><table>${rows(KEYS, 'kbd')}</table>
<h2>Options in the address</h2>
<p>Add them after <code>?</code> (or <code>&amp;</code> when the address already has one), e.g. <code>?size=72&amp;lines=2&amp;bg=transparent</code>.</p>
<table>${rows(URL_OPTIONS, 'code')}</table>
<p>The downloads in the transcript view hold the current run. If the connection drops, the page reconnects and catches up by itself; a new run on the same address continues here.</p>
</section>
<script nonce="${nonce}">${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
