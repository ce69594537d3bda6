/**
 * Comments and test titles cite public documentation by URL, or a document inside this repository (issue 18):
 * no section-sign citations of documents a maintainer cannot open, no citation of the shared protocol notes
 * outside the repository, and every `docs/<page>.md#<anchor>` cited in src/, test/, bench/ and scripts/ names a
 * heading that exists in that page (GitHub's anchors).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCANNED = ['src', 'test', 'bench', 'scripts'];
/** Built from parts so that this file does not cite them itself. */
const SECTION_SIGN = '\u00a7';
const OUTSIDE_DOC = 'PROTOCOL' + '.md';
const CITATION = /\bdocs\/([\w.-]+)\.md#([\w-]+)/g;
const TEXT_FILE = /\.(ts|js|mjs|cjs|json|md|sh|txt|toml|ya?ml|html|css)$/;

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function githubAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown page, fenced code skipped; a repeated heading gets `-1`, `-2`... as on GitHub. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = githubAnchor(heading[1] ?? '');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Each line of `text` that cites by section sign or cites the outside document, as `file:line: text`. */
function badCitations(file: string, text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, i) => (line.includes(SECTION_SIGN) || line.includes(OUTSIDE_DOC) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
}

/** Each `docs/<page>.md#<anchor>` in `text` whose page or heading does not exist, as `file:line: citation`. */
function brokenAnchors(file: string, text: string, pageAnchors: (page: string) => Set<string> | undefined): string[] {
  const broken: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const match of line.matchAll(CITATION)) {
      const [cited, page = '', anchor = ''] = match;
      if (!pageAnchors(page)?.has(anchor)) broken.push(`${file}:${i + 1}: ${cited}`);
    }
  });
  return broken;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(full);
    return TEXT_FILE.test(name) ? [full] : [];
  });
}

const pages = new Map<string, Set<string> | undefined>();
function docAnchors(page: string): Set<string> | undefined {
  if (!pages.has(page)) {
    const file = path.join(ROOT, 'docs', `${page}.md`);
    pages.set(page, existsSync(file) ? anchorsOf(readFileSync(file, 'utf8')) : undefined);
  }
  return pages.get(page);
}

const scanned = SCANNED.flatMap((dir) => filesUnder(path.join(ROOT, dir))).map((file) => ({
  file: path.relative(ROOT, file),
  text: readFileSync(file, 'utf8'),
}));

describe('citations in the code and the tests', () => {
  it('scans the source and test trees', () => {
    expect(scanned.some((f) => f.file.startsWith('src/'))).toBe(true);
    expect(scanned.some((f) => f.file === path.join('test', 'unit', 'docs-citations.test.ts'))).toBe(true);
  });

  it('cite no section of a document outside the repository (no section sign, no shared protocol notes)', () => {
    expect(scanned.flatMap((f) => badCitations(f.file, f.text))).toEqual([]);
  });

  it('cite docs/<page>.md#<anchor> only where the page has that heading', () => {
    const cited = scanned.flatMap((f) => [...f.text.matchAll(CITATION)]);
    expect(cited.length).toBeGreaterThan(100);
    expect(scanned.flatMap((f) => brokenAnchors(f.file, f.text, docAnchors))).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('make GitHub anchors: lower case, punctuation dropped, spaces to hyphens', () => {
    expect(githubAnchor('Errors and close codes')).toBe('errors-and-close-codes');
    expect(githubAnchor('Terminate and Termination')).toBe('terminate-and-termination');
    expect(githubAnchor('Notes at the end of a run: `--notes [PROMPT]`')).toBe('notes-at-the-end-of-a-run---notes-prompt');
    expect(githubAnchor('Proxies, limits and known gaps')).toBe('proxies-limits-and-known-gaps');
  });

  it('number repeated headings and skip fenced code', () => {
    const anchors = anchorsOf('# Page\n## Limits\n```sh\n# not a heading\n```\n## Limits\n');
    expect([...anchors]).toEqual(['page', 'limits', 'limits-1']);
  });

  it('find a section-sign citation and a citation of the outside document', () => {
    expect(badCitations('a.ts', `ok\n// see ${SECTION_SIGN}3.2\n`)).toEqual([`a.ts:2: // see ${SECTION_SIGN}3.2`]);
    expect(badCitations('b.ts', `// ${OUTSIDE_DOC} says so`)).toHaveLength(1);
    expect(badCitations('c.ts', '// https://www.assemblyai.com/docs/streaming/message-sequence')).toEqual([]);
  });

  it('find a citation of a missing heading or a missing page', () => {
    const docs = 'docs/'; // split, so that these made-up citations are not read as this file's own
    const anchors = (page: string) => (page === 'service' ? anchorsOf('## Turns\n') : undefined);
    const text = [`// ${docs}service.md#turns`, `// ${docs}service.md#nowhere`, `// ${docs}missing.md#turns`].join('\n');
    expect(brokenAnchors('d.ts', text, anchors)).toEqual([`d.ts:2: ${docs}service.md#nowhere`, `d.ts:3: ${docs}missing.md#turns`]);
  });
});
