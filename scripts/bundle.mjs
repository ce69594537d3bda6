// Writes dist/: the program bundled by esbuild, after `tsc --noEmit` has checked the types (package.json `build`).
// ONE file, dist/main.js, instead of some 170 modules (ours and our dependencies'): Node loads an ES module graph
// file by file (resolve, URL, realpath, read, compile, link), and that, not the amount of code, was most of the
// time from launch to the connection (bench/, "ready"; docs/performance.md, "Start-up"). With esbuild's code
// splitting, every module shared with a lazily loaded command became a chunk of its own: a run loaded 44 files.
// What only some runs need (doctor, completion, `config`, the devices list, ...) still waits behind its dynamic
// import, which esbuild turns into a function called when used: V8 compiles a function only when it first runs.
// - ws and node-record-lpcm16 are loaded with createRequire, https-proxy-agent (only behind a proxy) and ora
//   (only on a terminal) when used: they stay in node_modules. commander, chalk and smol-toml are bundled; the
//   banner gives commander (CommonJS) the `require` it uses for Node's own modules.
// - `keepNames`: renaming an identifier to avoid a clash between modules does not change a function's or
//   class's `name`.
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

const root = new URL('../', import.meta.url).pathname;
const outdir = `${root}dist/`;

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  keepNames: true,
  metafile: true,
  write: false,
};
const built = await Promise.all([
  build({
    ...common,
    entryPoints: ['src/main.ts'],
    outdir,
    format: 'esm',
    external: ['ws', 'node-record-lpcm16', 'https-proxy-agent', 'ora'],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  }),
  build({ ...common, entryPoints: ['src/audio/sox-recorder.cts'], outfile: `${outdir}sox-recorder.cjs`, format: 'cjs' }),
  build({ ...common, entryPoints: ['src/cli.ts'], outfile: `${root}.build/cli.mjs`, format: 'esm', packages: 'external' }),
]);

// V8 keeps a script's source in memory for as long as the program runs, one byte a character if every character
// is Latin-1, else two for all of them: one `…` in a regular expression (esbuild escapes non-ASCII characters in
// strings, not in regular expression literals) doubled the 840 KB of main.js in every run's memory. So the build
// refuses it; write the character as an escape (`\u2026`).
for (const file of built.flatMap((b) => b.outputFiles)) {
  const at = file.contents.findIndex((byte) => byte > 0x7f);
  if (at >= 0) {
    const line = file.contents.subarray(0, at).filter((byte) => byte === 0x0a).length + 1;
    throw new Error(`${path.relative(root, file.path)}:${line}: a character outside ASCII; write it as an escape in the source (\\u...)`);
  }
}

for (const file of built.flatMap((b) => b.outputFiles)) {
  mkdirSync(path.dirname(file.path), { recursive: true });
  const partial = `${file.path}.${process.pid}.partial`;
  writeFileSync(partial, file.contents);
  renameSync(partial, file.path);
}

// What earlier builds left in dist/ (old chunks, tsc's module tree): everything but this build's files and help.json.
const made = new Set(built.flatMap((b) => Object.keys(b.metafile.outputs)).map((f) => path.resolve(root, f)));
for (const entry of readdirSync(outdir)) {
  const file = path.join(outdir, entry);
  if (!made.has(file) && entry !== 'help.json') rmSync(file, { recursive: true, force: true });
}
