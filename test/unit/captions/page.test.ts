import { describe, expect, it } from 'vitest';
import { pageHtml, pagePolicy, URL_OPTIONS } from '../../../src/captions/page.js';

describe('the captions page', () => {
  const html = pageHtml('N0NCE');

  it('is self-contained: its style and script inline under the nonce, nothing loaded from elsewhere', () => {
    expect(html.match(/<script nonce="N0NCE">/g)?.length).toBe(1);
    expect(html.match(/<style nonce="N0NCE">/g)?.length).toBe(1);
    expect(html).not.toMatch(/<script(?! nonce="N0NCE">)/);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:|\/\/)/i);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).not.toMatch(/ style=/);
    expect(html).not.toMatch(/ on[a-z]+=/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">');
  });

  it('never puts transcript text in as markup', () => {
    expect(html).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    expect(html).toMatch(/textContent/);
  });

  it('its policy allows its own nonce and same-origin events only', () => {
    expect(pagePolicy('N0NCE')).toBe(
      "default-src 'none'; script-src 'nonce-N0NCE'; style-src 'nonce-N0NCE'; connect-src 'self'; img-src 'none'; font-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('the help view lists every URL option', () => {
    for (const [example] of URL_OPTIONS) expect(html).toContain(`<code>${example}</code>`);
    for (const name of ['size', 'lines', 'theme', 'bg', 'partials', 'font', 'align', 'upper', 'width'])
      expect(
        URL_OPTIONS.some(([e]) => e.startsWith(`${name}=`)),
        name,
      ).toBe(true);
  });
});
