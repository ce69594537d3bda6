/** Issue 24.7: the README and every message send people to the same page for a key. */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { API_KEYS_PAGE } from '../../../src/render/links.js';

const ROOT = path.resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the API keys page', () => {
  it('is the one the README links', () => {
    expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(`<${API_KEYS_PAGE}>`);
  });
  it('is the only assemblyai.com account page named in the README and the sources (besides links.ts)', () => {
    const files = [path.join(ROOT, 'README.md'), ...sources(path.join(ROOT, 'src')).filter((f) => !f.endsWith('links.ts'))];
    for (const f of files) {
      const pages = readFileSync(f, 'utf8').match(/https:\/\/www\.assemblyai\.com\/(?:app|dashboard)[\w/-]*/g) ?? [];
      expect({
        file: path.relative(ROOT, f),
        pages: pages.filter((p) => p !== API_KEYS_PAGE && p !== 'https://www.assemblyai.com/dashboard'),
      }).toEqual({ file: path.relative(ROOT, f), pages: [] });
    }
  });
});
