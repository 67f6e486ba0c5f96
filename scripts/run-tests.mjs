#!/usr/bin/env node
// Runs every test suite (unit + integration, then the browser tests) and ends with one
// totals line, `N passed, N failed`, which CI reads. Exits non-zero when anything failed,
// including a test file that could not even load.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const resultsDir = path.join(root, '.test-results');
fs.rmSync(resultsDir, { recursive: true, force: true });
fs.mkdirSync(resultsDir, { recursive: true });

const suites = [{ name: 'unit-and-integration', config: 'vitest.config.ts' }];
if (fs.existsSync(path.join(root, 'vitest.e2e.config.ts'))) suites.push({ name: 'browser', config: 'vitest.e2e.config.ts' });

// Process-level tests (the CLI, SIGTERM) and the browser tests run the production build.
process.stdout.write('=== build\n');
const build = spawnSync('pnpm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  process.stdout.write('\n0 passed, 1 failed\n');
  process.exit(1);
}

const vitest = path.join(root, 'node_modules', '.bin', 'vitest');
const extra = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;
for (const suite of suites) {
  const out = path.join(resultsDir, `${suite.name}.json`);
  process.stdout.write(`\n=== ${suite.name} (${suite.config})\n`);
  const run = spawnSync(
    vitest,
    ['run', '--config', suite.config, '--reporter=default', '--reporter=json', `--outputFile=${out}`, ...extra],
    { cwd: root, stdio: 'inherit' },
  );
  if (!fs.existsSync(out)) {
    process.stdout.write(`${suite.name}: vitest wrote no results (exit ${run.status ?? run.signal})\n`);
    broken = true;
    continue;
  }
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  const brokenFiles = report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0);
  for (const f of brokenFiles) process.stdout.write(`could not run ${path.relative(root, f.name)}: ${f.message}\n`);
  if (run.status !== 0 || brokenFiles.length > 0) broken = true;
}
const failedTotal = failed + (broken && failed === 0 ? 1 : 0);
process.stdout.write(`\n${passed} passed, ${failedTotal} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(broken || failed > 0 ? 1 : 0);
