// Prints the closing line CI reads — `N passed, N failed` — from vitest's JSON results plus the
// typecheck/lint checks; exits non-zero when anything failed or vitest itself crashed.
import fs from 'node:fs';

const [file, extraPassed = '0', extraFailed = '0', vitestRc = '0'] = process.argv.slice(2);
let passed = Number(extraPassed);
let failed = Number(extraFailed);
let report = null;
try {
  report = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch {
  failed += 1; // no report at all: vitest crashed before writing it
}
if (report) {
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  // A file that failed to load has no test results but must still count as a failure.
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed += 1;
  }
  if ((report.numTotalTests ?? 0) === 0) failed += 1;
}
if (Number(vitestRc) !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
