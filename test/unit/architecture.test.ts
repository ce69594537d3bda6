/**
 * The layout's rules (ARCHITECTURE.md), checked on the real imports of src/: dependencies point one way, and
 * only src/main.ts touches `process`. A change that breaks a rule fails here with the import that broke it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(ts|cts)$/.test(e.name) ? [full] : [];
  });
}

const FILES = sourceFiles(SRC).map((f) => path.relative(SRC, f).split(path.sep).join('/'));
const text = (file: string): string => readFileSync(path.join(SRC, file), 'utf8');

/** Every relative import of a file (static, dynamic and type-only), as paths relative to src/. */
function importsOf(file: string): string[] {
  const found = [...text(file).matchAll(/(?:from\s+|import\(\s*)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return found.map((spec) => path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts'));
}

const EDGES = FILES.flatMap((from) => importsOf(from).map((to) => ({ from, to })));
const layer = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : file.replace(/\.c?ts$/, ''));

/** What each layer must never import. */
const FORBIDDEN: Record<string, readonly string[]> = {
  audio: ['streaming', 'render', 'app', 'cli', 'config', 'main', 'transcript'],
  streaming: ['audio', 'render', 'app', 'cli', 'config', 'main', 'transcript'],
  transcript: ['render', 'app', 'cli', 'config', 'main', 'audio'],
  render: ['app', 'cli', 'main'],
  devices: ['app', 'cli', 'main', 'streaming'],
  app: ['cli', 'main'],
  notes: ['app', 'cli', 'main'],
  config: ['app', 'cli', 'main'],
  types: FILES.map(layer).filter((l) => l !== 'types'),
  defaults: FILES.map(layer).filter((l) => l !== 'defaults'),
};

describe('the layout (ARCHITECTURE.md)', () => {
  it('reads a real tree: every layer has files and imports', () => {
    for (const l of ['app', 'audio', 'streaming', 'transcript', 'render', 'devices']) expect(FILES.some((f) => layer(f) === l)).toBe(true);
    expect(EDGES.length).toBeGreaterThan(100);
    expect(EDGES).toContainEqual({ from: 'app/run.ts', to: 'app/channel.ts' });
  });

  it.each(Object.entries(FORBIDDEN))('%s/ imports none of the layers above it', (from, forbidden) => {
    const broken = EDGES.filter((e) => layer(e.from) === from && forbidden.includes(layer(e.to)));
    expect(broken).toEqual([]);
  });

  it('no two files import each other, directly or in a loop', () => {
    const next = new Map<string, string[]>();
    for (const e of EDGES) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const loops: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, trail: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        loops.push([...trail.slice(trail.indexOf(f)), f].join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const t of next.get(f) ?? []) visit(t, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of FILES) visit(f, []);
    expect(loops).toEqual([]);
  });

  it('only main.ts touches process (comments aside)', () => {
    const touching = FILES.filter((f) => f !== 'main.ts').filter((f) => {
      const code = text(f)
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      return /\bprocess\.|from 'node:process'|\bglobalThis\.process\b/.test(code);
    });
    expect(touching).toEqual([]);
  });
});
