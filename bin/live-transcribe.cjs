#!/usr/bin/env node
'use strict';
// The commands people run to check an install answer without loading the program: start-up stays
// within 1.3x of a bare `node` (bench/). Everything else loads dist/main.js.
const args = process.argv.slice(2);
/** Which help of dist/help.json the arguments ask for: --help (or help), --help all (or help all), doctor --help (or help doctor). */
function helpAsked(a) {
  const help = a[0] === '--help' || a[0] === '-h' || a[0] === 'help';
  if (a.length === 1 && help) return 'main';
  if (a.length === 2 && help && a[1] === 'all') return 'all';
  if (a.length === 2 && ((a[0] === 'doctor' && (a[1] === '--help' || a[1] === '-h')) || (a[0] === 'help' && a[1] === 'doctor'))) return 'doctor';
  return undefined;
}
const asked = helpAsked(args);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${require('../package.json').version}\n`);
} else if (asked !== undefined) {
  // The structure of the program's own help, written by `npm run build`, laid out for this terminal
  // (80 columns when stdout is not one).
  const help = require('../dist/help.json')[asked];
  const width = process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : 80;
  process.stdout.write(require('./help.cjs').renderHelp(help, width));
} else {
  import('../dist/main.js').catch((err) => {
    process.stderr.write(`error: live-transcribe could not start: ${err?.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  });
}
