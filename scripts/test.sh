#!/usr/bin/env bash
# The whole test run (README's test command lands here through `npm test`): typecheck, lint, then every
# vitest project (unit, integration against a real Samba DC and the sandbox tenant, e2e in chromium).
# Ends with one plain line `N passed, N failed` summed over everything.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
extra_failed=0; extra_passed=0
if npx tsc -p tsconfig.json --noEmit > test-results/typecheck.txt 2>&1; then extra_passed=$((extra_passed+1)); else
  extra_failed=$((extra_failed+1)); echo "typecheck FAILED:"; head -40 test-results/typecheck.txt; fi
if npx eslint . > test-results/lint.txt 2>&1; then extra_passed=$((extra_passed+1)); else
  extra_failed=$((extra_failed+1)); echo "lint FAILED:"; head -40 test-results/lint.txt; fi
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
vitest_rc=$?
node scripts/test-summary.mjs test-results/vitest.json "$extra_passed" "$extra_failed" "$vitest_rc"
