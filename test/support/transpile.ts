/**
 * Compiles a few source modules to plain ESM JavaScript in a temp dir, for child processes that must run
 * our code outside vitest (a writer killed with SIGKILL, a keyboard in a real terminal). Uses TypeScript's
 * transpileModule (no type check: `npx tsc` does that), keeps the relative layout so `../x.js` imports
 * resolve, and adds `{"type":"module"}`. Imports of packages resolve from the repository's node_modules
 * through a symlink.
 */
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { testTmpRoot } from './fake-sox.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Transpiles `sources` (paths relative to the repository, e.g. 'src/audio/wav-writer.ts') into a new temp
 * dir and returns it; `src/a/b.ts` becomes `<dir>/src/a/b.js`.
 */
export async function transpileToTemp(sources: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(testTmpRoot(), 'lt-transpiled-'));
  await writeFile(path.join(dir, 'package.json'), '{"type":"module"}\n');
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const source of sources) {
    const text = await readFile(path.join(REPO_ROOT, source), 'utf8');
    const out = ts.transpileModule(text, {
      fileName: source,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    const target = path.join(dir, source.replace(/\.ts$/, '.js'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, out.outputText);
  }
  return dir;
}
