// Reads vitest's JSON report (argv[2]) and prints `N passed, N failed`. A test file that failed outside any
// test (an import error, a throwing beforeAll: its tests are reported skipped) counts as one failure.
// Exit code: 0 when nothing failed, 1 otherwise (or when the report cannot be read).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

let report;
try {
  report = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
} catch (e) {
  console.error(`error: cannot parse the vitest JSON report: ${e.message}`);
  process.exit(1);
}
const passed = Number(report.numPassedTests) || 0;
const failedTests = Number(report.numFailedTests) || 0;
const files = report.testResults || [];
const badFiles = files.filter((f) => f.status === 'failed' && !(f.assertionResults || []).some((a) => a.status === 'failed'));
if (badFiles.length > 0) {
  console.log(
    'note: ' +
      badFiles.length +
      ' test file(s) failed outside any test (import or hook error): ' +
      badFiles.map((f) => path.relative(process.cwd(), f.name)).join(', '),
  );
  for (const f of badFiles) if (f.message) console.log(`  ${path.relative(process.cwd(), f.name)}: ${String(f.message).split('\n')[0]}`);
}
const failed = failedTests + badFiles.length;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || report.success === false ? 1 : 0);
