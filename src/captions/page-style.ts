/** The captions page's stylesheet (issue 20), inlined into the page under its CSP nonce. */
export const PAGE_STYLE = `
:root { --size: clamp(24px, 4.4vw, 84px); --lines: 4; --font: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  --bg: #0b0d10; --fg: #f4f4f2; --dim: #9aa0a6; --partial: #c8ccd0; --panel: #16191e; --rule: #2c3038; --accent: #6cb6ff;
  --align: left; --width: 100%; --transform: none;
  --s0: #56d4e8; --s1: #f08cf5; --s2: #f2d35b; --s3: #7ee38a; --s4: #8fb3ff; --s5: #9ff3ff; }
:root[data-theme=light] { --bg: #fbfaf7; --fg: #111316; --dim: #5f6368; --partial: #444a52; --panel: #ffffff; --rule: #d8d8d4; --accent: #0b5cad;
  --s0: #00707f; --s1: #9b1fa6; --s2: #7a5a00; --s3: #1c7a2c; --s4: #2347b3; --s5: #006b6b; }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; background: var(--bg); color: var(--fg); font-family: var(--font); }
body { overflow: hidden; -webkit-text-size-adjust: 100%; }
:root[data-bg=transparent], :root[data-bg=transparent] body { background: transparent; }
:root[data-bg=transparent] #captions { color: #fff; -webkit-text-stroke: 0.09em #000; paint-order: stroke fill;
  text-shadow: -0.04em -0.04em 0 #000, 0.04em -0.04em 0 #000, -0.04em 0.04em 0 #000, 0.04em 0.04em 0 #000, 0 0.05em 0.12em rgba(0,0,0,0.9); }
:root[data-bg=transparent] #captions .partial { color: #f0f0f0; opacity: 1; }
:root[data-bg=transparent] #captions .source { color: #d0d0d0; }
#captions { position: fixed; inset: 0; display: flex; flex-direction: column; justify-content: flex-end; overflow: hidden;
  padding: max(12px, env(safe-area-inset-top)) max(4vw, env(safe-area-inset-right)) calc(max(16px, env(safe-area-inset-bottom)) + 0.3em) max(4vw, env(safe-area-inset-left));
  font-size: var(--size); line-height: 1.25; text-align: var(--align); text-transform: var(--transform); }
#flow { width: 100%; max-width: var(--width); margin: 0 auto; max-height: calc(var(--lines) * 1.25em); overflow: hidden; display: flex; flex-direction: column; justify-content: flex-end; }
:root[data-align=left] #flow { margin-left: 0; }
:root[data-align=right] #flow { margin-right: 0; }
.line { margin: 0; overflow-wrap: anywhere; }
.partial { color: var(--partial); font-style: italic; opacity: 0.85; }
.partial.empty, :root[data-partials="0"] .partial { display: none; }
.label { font-weight: 700; margin-right: 0.35em; }
.speaker.c0 { color: var(--s0); } .speaker.c1 { color: var(--s1); } .speaker.c2 { color: var(--s2); }
.speaker.c3 { color: var(--s3); } .speaker.c4 { color: var(--s4); } .speaker.c5 { color: var(--s5); } .speaker.cx { color: var(--dim); }
.source { color: var(--dim); font-weight: 600; }
.lang { font-size: 0.55em; vertical-align: 0.25em; border: 1px solid currentColor; border-radius: 0.3em; padding: 0 0.3em; margin-right: 0.4em; color: var(--dim); }
.divider { color: var(--dim); font-size: 0.5em; text-align: center; border-top: 1px solid var(--rule); padding-top: 0.2em; margin: 0.3em 0; }
#status { position: fixed; top: max(10px, env(safe-area-inset-top)); right: max(10px, env(safe-area-inset-right)); max-width: min(36em, calc(100vw - 20px)); font-size: 15px;
  background: var(--panel); color: var(--fg); border: 1px solid var(--rule); border-radius: 8px; padding: 6px 12px; opacity: 0.92; }
#status:empty { display: none; }
#bar { position: fixed; left: 0; right: 0; margin: 0 auto; width: max-content; max-width: calc(100% - 16px); top: max(8px, env(safe-area-inset-top)); display: flex; gap: 6px; flex-wrap: wrap; justify-content: center;
  background: var(--panel); border: 1px solid var(--rule); border-radius: 12px; padding: 6px; opacity: 0; transition: opacity 0.3s; z-index: 2; }
body.show-bar #bar, #bar:focus-within { opacity: 0.97; }
body.show-bar #status { visibility: hidden; }
button, .button { font: inherit; font-size: 16px; min-width: 44px; min-height: 40px; padding: 6px 12px; border-radius: 8px; border: 1px solid var(--rule);
  background: var(--bg); color: var(--fg); cursor: pointer; text-decoration: none; display: inline-flex; align-items: center; justify-content: center; }
button:focus-visible, .button:focus-visible { outline: 3px solid var(--accent); outline-offset: 1px; }
.sheet { position: fixed; inset: 0; background: var(--bg); color: var(--fg); overflow: auto; z-index: 3; padding: max(16px, env(safe-area-inset-top)) max(16px, 4vw) 32px; font-size: 18px; line-height: 1.5; }
.sheet[hidden] { display: none; }
.sheet header { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; position: sticky; top: calc(-1 * max(16px, env(safe-area-inset-top))); background: var(--bg); padding: 8px 0; border-bottom: 1px solid var(--rule); }
.sheet h1 { font-size: 22px; margin: 0 auto 0 0; }
.sheet h2 { font-size: 18px; margin: 1.2em 0 0.3em; }
#all .line { margin: 0.4em 0; }
#all time { color: var(--dim); font-variant-numeric: tabular-nums; margin-right: 0.6em; font-size: 0.85em; }
#help table { border-collapse: collapse; }
#help td { padding: 3px 14px 3px 0; vertical-align: top; }
#help code, #help kbd { font-family: ui-monospace, "DejaVu Sans Mono", monospace; background: var(--panel); border: 1px solid var(--rule); border-radius: 4px; padding: 0 4px; }
@media (max-width: 600px) { .sheet { font-size: 16px; } button, .button { padding: 6px 8px; min-width: 40px; } #bar { gap: 4px; } }
@media (prefers-reduced-motion: reduce) { #bar { transition: none; } }
`;
