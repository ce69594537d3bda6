/**
 * The real file system for the settings modules: the only place they touch node:fs.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import type { ConfigFileSystem } from './config-file.js';

/** What `config --init` needs besides reading: a folder, and a file created only when it does not exist. */
export interface ConfigCommandFileSystem extends ConfigFileSystem {
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown>;
  /** Called with flag 'wx': must fail with code EEXIST when the file exists. */
  writeFile(path: string, data: string, options: { mode: number; flag: 'wx' }): Promise<void>;
}

export function createNodeConfigFs(): ConfigCommandFileSystem {
  return {
    readFile: (path) => readFile(path, 'utf8'),
    stat: (path) => stat(path),
    mkdir: (path, options) => mkdir(path, options),
    writeFile: (path, data, options) => writeFile(path, data, options),
  };
}
