/** Finds an executable on PATH (like `which`), for test and benchmark helpers that need a tool's path. */
import { accessSync, constants as fsConstants } from 'node:fs';
import path from 'node:path';

export function findOnPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, cmd);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
