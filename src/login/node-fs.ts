/**
 * The real file system for login/logout: the config file written at mode 600 in a folder of mode 700.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { KeyFileSystem } from './command.js';

export function createKeyFileSystem(): KeyFileSystem {
  return {
    readFile: (path) => readFile(path, 'utf8'),
    writePrivate: async (path, data) => {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      // An existing file is made private before the key is written into it.
      await chmod(path, 0o600).catch(() => undefined);
      await writeFile(path, data, { mode: 0o600 });
      await chmod(path, 0o600);
    },
  };
}
