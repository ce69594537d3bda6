/**
 * Reading the config file: the thin I/O edge, with the file system injected. A missing file is no settings
 * unless it was named; a file holding a key must be private. Throws UsageError (exit 2).
 */
import { UsageError } from '../core/errors.js';
import type { ConfigPath } from './config-path.js';
import { shellQuote } from '../core/text.js';
import { where, type ConfigFile, type ConfigFileSystem } from './config-file.js';

/**
 * Refuses a file holding an api-key that others can read (mode & 0o077), as ssh does with private keys.
 * Windows modes do not describe access, so it is skipped there.
 */
export function checkKeyPermissions(file: ConfigFile, mode: number, platform: string): void {
  if (platform === 'win32' || file.apiKey === undefined || (mode & 0o077) === 0) return;
  throw new UsageError(
    `${where(file.apiKey)}: api-key in a file other users can read (mode ${(mode & 0o777).toString(8).padStart(3, '0')})`,
    `make it private: chmod 600 ${shellQuote(file.path)}`,
  );
}

/** Reads and parses the file; a missing file is no settings (undefined) unless it was named explicitly. */
export async function loadConfigFile(location: ConfigPath, fs: ConfigFileSystem, platform: string): Promise<ConfigFile | undefined> {
  let text: string;
  try {
    text = await fs.readFile(location.path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' && !location.explicit) return undefined;
    if (code === 'ENOENT') {
      const namedBy = location.chosenBy === 'env' ? 'LIVE_TRANSCRIBE_CONFIG' : '--config';
      throw new UsageError(
        `config file ${location.path} does not exist`,
        `check the path given by ${namedBy}, or create it with: live-transcribe config --init --config ${shellQuote(location.path)}`,
      );
    }
    throw new UsageError(`cannot read config file ${location.path}: ${code ?? (err as Error).message}`);
  }
  // The TOML parser is loaded only now: most runs have no config file (scripts/bundle.mjs).
  const { parseConfigFile } = await import('./config-toml.js');
  const file = parseConfigFile(text, location.path);
  if (file.apiKey !== undefined) checkKeyPermissions(file, (await fs.stat(location.path)).mode, platform);
  return file;
}
