/**
 * The map of src/ (ARCHITECTURE.md, "The folders"), checked on the real imports: every file belongs to a
 * folder of the declared order, a folder imports only itself and the folders the order puts below it (an
 * allow-list), no two folders import each other (directly or around a loop), no two files do, and only
 * src/main.ts touches `process`. A change that breaks a rule fails here with the import that broke it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/**
 * The folders, bottom to top, each with the folders directly below it; what a folder may import is the
 * closure of that (its own folder included). `options` holds the option table, the config file and the
 * profiles: src/config*.ts, src/source-specs.ts and src/settings/ belong to it (see FOLDER_OF_ROOT_FILE).
 */
export const ORDER = {
  core: [],
  system: ['core'],
  devices: ['system'],
  audio: ['devices'],
  streaming: ['system'],
  transcript: ['streaming'],
  batch: ['transcript'],
  render: ['audio', 'batch'],
  notes: ['render'],
  captions: ['render'],
  dictation: ['render'],
  options: ['notes', 'captions', 'dictation'],
  recovery: ['options'],
  app: ['recovery'],
  doctor: ['options'],
  completion: ['options'],
  commands: ['options'],
  login: ['doctor'],
  cli: ['app', 'doctor', 'completion', 'commands', 'login'],
  main: ['cli'],
} as const satisfies Record<string, readonly string[]>;
export type Folder = keyof typeof ORDER;

/** Files at src/'s root, and folders with another name, that belong to a folder of the order. */
const FOLDER_OF_ROOT_FILE: Record<string, Folder> = {
  'main.ts': 'main',
  'cli.ts': 'cli',
};

/**
 * Imports the order does not allow yet, each with why; the test fails when one is no longer there, so the
 * list only shrinks. render/config-messages.ts words `live-transcribe config` from the option keys and the
 * config file's types: it goes when the option table (issue 18, item 1) hands render plain rows.
 */
const KNOWN_UPWARD: readonly { from: string; to: Folder }[] = [];

/** The folder of a file (path relative to src/), or undefined when it belongs to none of the order. */
export function folderOf(file: string): Folder | undefined {
  const top = file.includes('/') ? file.slice(0, file.indexOf('/')) : file;
  const named = FOLDER_OF_ROOT_FILE[top] ?? top;
  return Object.hasOwn(ORDER, named) ? (named as Folder) : undefined;
}

/** The folders `folder` may import: itself and everything below it. */
export function allowedFrom(folder: Folder): Set<Folder> {
  const seen = new Set<Folder>([folder]);
  const walk = (f: Folder): void => {
    for (const below of ORDER[f] as readonly Folder[]) {
      if (seen.has(below)) continue;
      seen.add(below);
      walk(below);
    }
  };
  walk(folder);
  return seen;
}

export interface Edge {
  from: string;
  to: string;
}

/** Every import the order does not allow, as "from -> to (folder -> folder)". */
export function upwardImports(edges: readonly Edge[], known: readonly { from: string; to: Folder }[] = []): string[] {
  return edges.flatMap((e) => {
    const from = folderOf(e.from);
    const to = folderOf(e.to);
    if (from === undefined || to === undefined || allowedFrom(from).has(to)) return [];
    if (known.some((k) => k.from === e.from && k.to === to)) return [];
    return [`${e.from} -> ${e.to} (${from} -> ${to})`];
  });
}

/** Every loop in a directed graph, as "a -> b -> a" (one per back edge found by a depth-first walk). */
export function loopsOf(next: ReadonlyMap<string, readonly string[]>): string[] {
  const loops: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, trail: string[]): void => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'open') {
      loops.push([...trail.slice(trail.indexOf(node)), node].join(' -> '));
      return;
    }
    state.set(node, 'open');
    for (const to of next.get(node) ?? []) visit(to, [...trail, node]);
    state.set(node, 'done');
  };
  for (const node of [...next.keys()].sort()) visit(node, []);
  return loops;
}

/** The graph of folders: an edge for every import from one folder into another. */
export function folderGraph(edges: readonly Edge[]): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const from = folderOf(e.from) ?? e.from;
    const to = folderOf(e.to) ?? e.to;
    if (from === to) continue;
    const list = next.get(from) ?? [];
    if (!list.includes(to)) list.push(to);
    next.set(from, list);
  }
  return next;
}

export function fileGraph(edges: readonly Edge[]): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  return next;
}

// The real tree.

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(ts|cts)$/.test(e.name) ? [full] : [];
  });
}

const FILES = sourceFiles(SRC).map((f) => path.relative(SRC, f).split(path.sep).join('/'));
const text = (file: string): string => readFileSync(path.join(SRC, file), 'utf8');

/** Every relative import of a file (static, dynamic, type-only and re-exports), as paths relative to src/. */
function importsOf(file: string): string[] {
  const found = [...text(file).matchAll(/(?:from\s+|import\(\s*)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return found.map((spec) =>
    path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.c?js$/, (ext) => (ext === '.cjs' ? '.cts' : '.ts')),
  );
}

const EDGES: Edge[] = FILES.flatMap((from) => importsOf(from).map((to) => ({ from, to })));

describe('the map of src/ (ARCHITECTURE.md)', () => {
  it('reads a real tree: every folder of the order has files, and imports are found', () => {
    for (const f of Object.keys(ORDER) as Folder[])
      expect(
        FILES.some((file) => folderOf(file) === f),
        f,
      ).toBe(true);
    expect(EDGES.length).toBeGreaterThan(100);
    expect(EDGES).toContainEqual({ from: 'app/run.ts', to: 'app/channel.ts' });
    expect(EDGES).toContainEqual({ from: 'app/run.ts', to: 'core/errors.ts' });
  });

  it('every file belongs to a folder of the order, and every import lands on a file that exists', () => {
    expect(FILES.filter((f) => folderOf(f) === undefined)).toEqual([]);
    expect(EDGES.filter((e) => !FILES.includes(e.to))).toEqual([]);
  });

  it('a folder imports only itself and the folders below it', () => {
    expect(upwardImports(EDGES, KNOWN_UPWARD)).toEqual([]);
  });

  it('each import the order does not allow yet is still there (the list of them only shrinks)', () => {
    for (const k of KNOWN_UPWARD)
      expect(
        EDGES.some((e) => e.from === k.from && folderOf(e.to) === k.to),
        `${k.from} -> ${k.to}`,
      ).toBe(true);
  });

  it('no two folders import each other, directly or around a loop (the known upward imports aside)', () => {
    const known = (e: Edge): boolean => KNOWN_UPWARD.some((k) => k.from === e.from && k.to === folderOf(e.to));
    expect(loopsOf(folderGraph(EDGES.filter((e) => !known(e))))).toEqual([]);
  });

  it('no two files import each other, directly or in a loop', () => {
    expect(loopsOf(fileGraph(EDGES))).toEqual([]);
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

describe('the checks themselves, on planted graphs', () => {
  const clean: Edge[] = [
    { from: 'app/run.ts', to: 'render/messages.ts' },
    { from: 'render/messages.ts', to: 'core/types.ts' },
    { from: 'config.ts', to: 'render/usage-messages.ts' },
    { from: 'app/run.ts', to: 'settings/sources.ts' },
  ];

  it('a clean graph passes', () => {
    expect(upwardImports(clean)).toEqual([]);
    expect(loopsOf(folderGraph(clean))).toEqual([]);
  });

  it('fails on a planted upward import, naming it', () => {
    const planted = [...clean, { from: 'audio/framer.ts', to: 'app/run.ts' }];
    expect(upwardImports(planted)).toEqual(['audio/framer.ts -> app/run.ts (audio -> app)']);
  });

  it('fails on an import between two folders of the same floor (peers are not below each other)', () => {
    expect(upwardImports([{ from: 'app/run.ts', to: 'doctor/doctor.ts' }])).toEqual(['app/run.ts -> doctor/doctor.ts (app -> doctor)']);
    expect(upwardImports([{ from: 'streaming/session.ts', to: 'audio/framer.ts' }])).toEqual([
      'streaming/session.ts -> audio/framer.ts (streaming -> audio)',
    ]);
  });

  it('render may not import the option table, app may; a subcommand may not import a run', () => {
    expect(upwardImports([{ from: 'render/formats.ts', to: 'options/resolve.ts' }])).toEqual([
      'render/formats.ts -> options/resolve.ts (render -> options)',
    ]);
    expect(
      upwardImports([
        { from: 'app/run.ts', to: 'options/table.ts' },
        { from: 'app/run.ts', to: 'options/source-specs.ts' },
      ]),
    ).toEqual([]);
    expect(upwardImports([{ from: 'commands/notes.ts', to: 'app/run.ts' }])).toEqual(['commands/notes.ts -> app/run.ts (commands -> app)']);
  });

  it('fails on a cycle between folders even when no two files form one', () => {
    const planted = [
      { from: 'render/a.ts', to: 'devices/b.ts' },
      { from: 'devices/c.ts', to: 'render/d.ts' },
    ];
    expect(loopsOf(fileGraph(planted))).toEqual([]);
    expect(loopsOf(folderGraph(planted))).toEqual(['devices -> render -> devices']);
  });

  it('the order itself has no loop, and every folder reaches core', () => {
    expect(loopsOf(new Map(Object.entries(ORDER)))).toEqual([]);
    for (const f of Object.keys(ORDER) as Folder[]) expect(allowedFrom(f).has('core'), f).toBe(true);
  });
});
