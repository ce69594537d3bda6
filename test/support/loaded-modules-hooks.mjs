// The loader hooks of loaded-modules.mjs (they run on the loader's own thread, which has the environment too).
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  const file = process.env.LT_LOADED_MODULES;
  if (file !== undefined) appendFileSync(file, `${url}\n`);
  return nextLoad(url, context);
}
