/**
 * The one reader of the environment for options: every option of the table with an `env` variable
 * (ASSEMBLYAI_API_KEY, NO_COLOR...). An empty variable counts as unset. Its values then go through the same
 * checks as a flag's or the file's. Pure.
 */
import type { Env, RawOptions } from './raw-options.js';
import { OPTIONS } from './table.js';

export function readEnvironment(env: Env): RawOptions {
  const options: Record<string, string | boolean> = {};
  for (const option of OPTIONS) {
    if (option.env === undefined || option.field === undefined) continue;
    const value = env[option.env];
    if (value === undefined || value === '') continue;
    // A switch set by its variable: NO_COLOR=1 is --no-color.
    options[option.field] = option.value.kind === 'switch' ? option.negate !== 'only' : value;
  }
  return options as RawOptions;
}

/** The variable of an option of the table (its name in messages when the value came from there). */
export function envNameOf(name: string): string {
  const found = OPTIONS.find((o) => o.name === name)?.env;
  if (found === undefined) throw new Error(`--${name} has no environment variable in the table`);
  return found;
}
