#!/usr/bin/env node
'use strict';
// The commands people run to check an install answer without loading the program: start-up stays
// within 1.3x of a bare `node` (bench/). Everything else loads dist/main.js.
const args = process.argv.slice(2);
const helpFlag = (arg) => arg === '--help' || arg === '-h';
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${require('../package.json').version}\n`);
} else if ((args.length === 1 && helpFlag(args[0])) || (args.length === 2 && args[0] === 'doctor' && helpFlag(args[1]))) {
  // The structure of the program's own help, written by `npm run build`, laid out for this terminal
  // (80 columns when stdout is not one).
  const help = require('../dist/help.json')[args.length === 1 ? 'main' : 'doctor'];
  const width = process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : 80;
  process.stdout.write(require('./help.cjs').renderHelp(help, width));
} else {
  import('../dist/main.js').catch((err) => {
    process.stderr.write(`error: live-transcribe could not start: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  });
}
