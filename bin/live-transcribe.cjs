#!/usr/bin/env node
'use strict';
// The two commands people run to check an install answer without loading the program: start-up stays
// within 1.3x of a bare `node` (bench/). Everything else loads dist/main.js.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${require('../package.json').version}\n`);
} else if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
  // Written by `npm run build` from the program's own help, so the two never differ.
  process.stdout.write(require('node:fs').readFileSync(require('node:path').join(__dirname, '../dist/help.txt'), 'utf8'));
} else {
  import('../dist/main.js').catch((err) => {
    process.stderr.write(`error: live-transcribe could not start: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  });
}
