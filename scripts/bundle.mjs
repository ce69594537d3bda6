// Writes dist/: the program bundled, after `tsc --noEmit` has checked the types (package.json `build`).
//
// What a plain run loads is ONE file, dist/main.js: everything that src/main.ts imports statically, and nothing
// else. What only some runs or commands need (doctor, completion, login, `config`, the captions page, notes,
// recovery, ...) sits in files of its own, loaded by the dynamic `import()` that asks for it. Both counts matter
// to start-up and memory (docs/performance.md, "Start-up"):
// - Node loads an ES module graph file by file (resolve, URL, realpath, read, compile, link): some 170 modules,
//   or 44 chunks, cost more time to the connection than the code in them.
// - Code that is loaded is parsed and kept, even if it never runs: 250 KB more of it in main.js cost every run
//   about 1.5 MB of memory.
// Two steps, because esbuild cannot group chunks (https://github.com/evanw/esbuild/issues/207, /1128):
// 1. esbuild bundles the TypeScript and our dependencies with code splitting: a chunk per set of entry points
//    (src/main.ts and each dynamic import's target) that share code. Nothing is written.
// 2. Rollup regroups those chunks: the ones main.js imports statically go into main.js, and the others stay
//    files of their own, importing what they share with the run from main.js (a module is evaluated once: a
//    later `import('./doctor-X.js')` finds main.js already loaded). No tree shaking: esbuild did that.
// Also:
// - ws and node-record-lpcm16 are loaded with createRequire, https-proxy-agent (only behind a proxy) and ora
//   (only on a terminal) when used: they stay in node_modules. commander, chalk and smol-toml are bundled; the
//   banner gives commander (CommonJS) the `require` it uses for Node's own modules.
// - `keepNames`: renaming an identifier to avoid a clash between modules does not change a function's or
//   class's `name`.
// - Whitespace and syntax minified, names kept (a stack trace still names each function): V8 keeps the source,
//   and main.js a third smaller took about 1 MB off a run's memory.
// - ASCII only, checked below: V8 keeps a script's source for as long as the program runs, one byte a
//   character if every character is Latin-1, else two for all of them. One `…` in a regular expression
//   (esbuild escapes non-ASCII characters in strings, not in regular expression literals) once doubled the
//   840 KB of main.js in every run's memory.
// - The SoX recorder definition is loaded by node-record-lpcm16 from a path (src/audio/microphone.ts resolves
//   `./sox-recorder.cjs` next to the code that runs), so it is written next to main.js, as CommonJS.
// - .build/cli.mjs, outside the package, is src/cli.ts for scripts/build-help.mjs, which reads the program's
//   commander definitions: there commander stays external, so that the script patches the copy cli.ts uses.
// - dist/ is not emptied first, and each file is replaced whole (written beside it, then renamed over it): a
//   program started meanwhile (a test running while another packs or benchmarks) finds every file, old or new,
//   never half written. The ones no longer made are removed after.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { rollup } from 'rollup';

const root = new URL('../', import.meta.url).pathname;
const outdir = `${root}dist/`;

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  keepNames: true,
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  write: false,
};
const [split, recorder, cli] = await Promise.all([
  build({
    ...common,
    entryPoints: ['src/main.ts'],
    outdir,
    format: 'esm',
    splitting: true,
    external: ['ws', 'node-record-lpcm16', 'https-proxy-agent', 'ora'],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  }),
  build({ ...common, entryPoints: ['src/audio/sox-recorder.cts'], outfile: `${outdir}sox-recorder.cjs`, format: 'cjs' }),
  build({ ...common, entryPoints: ['src/cli.ts'], outfile: `${root}.build/cli.mjs`, format: 'esm', packages: 'external' }),
]);

/** esbuild's output files by absolute path, and the ones main.js loads: its static imports, and theirs. */
const chunks = new Map(split.outputFiles.map((f) => [f.path, f.text]));
const main = `${outdir}main.js`;
const loadedByMain = new Set();
for (const queue = [main]; queue.length > 0; ) {
  const file = queue.pop();
  if (loadedByMain.has(file)) continue;
  loadedByMain.add(file);
  const meta = split.metafile.outputs[path.relative(root, file)];
  for (const i of meta.imports) if (i.kind === 'import-statement' && !i.external) queue.push(path.resolve(root, i.path));
}

const regrouped = await rollup({
  input: main,
  treeshake: false,
  plugins: [
    {
      name: 'esbuild-chunks',
      resolveId(source, importer) {
        if (importer === undefined) return source;
        if (!source.startsWith('.')) return { id: source, external: true };
        const file = path.resolve(path.dirname(importer), source);
        if (!chunks.has(file)) throw new Error(`${importer} imports ${source}, which esbuild did not write`);
        return file;
      },
      load: (id) => chunks.get(id),
    },
  ],
});
const { output } = await regrouped.generate({
  dir: outdir,
  format: 'es',
  manualChunks: (id) => (loadedByMain.has(id) ? 'main' : undefined),
  entryFileNames: '[name].js',
  chunkFileNames: '[name].js',
});
await regrouped.close();

const files = [
  ...output.map((chunk) => ({ path: path.join(outdir, chunk.fileName), contents: Buffer.from(chunk.type === 'chunk' ? chunk.code : chunk.source) })),
  ...[recorder, cli].flatMap((b) => b.outputFiles).map((f) => ({ path: f.path, contents: Buffer.from(f.contents) })),
];
for (const file of files) {
  const at = file.contents.findIndex((byte) => byte > 0x7f);
  if (at >= 0) {
    const line = file.contents.subarray(0, at).filter((byte) => byte === 0x0a).length + 1;
    throw new Error(`${path.relative(root, file.path)}:${line}: a character outside ASCII; write it as an escape in the source (\\u...)`);
  }
}
for (const file of files) {
  mkdirSync(path.dirname(file.path), { recursive: true });
  const partial = `${file.path}.${process.pid}.partial`;
  writeFileSync(partial, file.contents);
  renameSync(partial, file.path);
}

// What earlier builds left in dist/ (old chunks, tsc's module tree): everything but this build's files and help.json.
const made = new Set(files.map((f) => path.resolve(f.path)));
for (const entry of readdirSync(outdir)) {
  const file = path.join(outdir, entry);
  if (!made.has(file) && entry !== 'help.json' && !entry.endsWith('.partial')) rmSync(file, { recursive: true, force: true });
}
