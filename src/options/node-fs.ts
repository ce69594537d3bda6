/**
 * The real file system for the settings modules: the only place they touch node:fs.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import type { ConfigCommandFileSystem } from '../settings/config-command.js';

export function createNodeConfigFs(): ConfigCommandFileSystem {
  return {
    readFile: (path) => readFile(path, 'utf8'),
    stat: (path) => stat(path),
    mkdir: (path, options) => mkdir(path, options),
    writeFile: (path, data, options) => writeFile(path, data, options),
  };
}
