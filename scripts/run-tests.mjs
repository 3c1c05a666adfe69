#!/usr/bin/env node
// `pnpm test`: runs every workspace package's tests through turbo (which builds what they need first), then
// totals the vitest JSON reports into one closing line, `N passed, N failed`. Exits non-zero when any test
// failed, when a package with tests wrote no report, or when no test ran at all.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const reportPath = (dir) => join(dir, '.reports', 'vitest.json');

/** Package folders named by pnpm-workspace.yaml (`dir/*` or `dir` entries). */
function workspaceDirs() {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const section = yaml.split(/^packages:\s*$/m)[1]?.split(/^\S/m)[0] ?? '';
  const patterns = [...section.matchAll(/^\s+-\s+['"]?([^'"\n]+)['"]?\s*$/gm)].map((match) => match[1].trim());
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [join(root, pattern)];
    const parent = join(root, pattern.slice(0, -2));
    if (!existsSync(parent)) return [];
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(parent, entry.name));
  });
}

const tested = workspaceDirs()
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => typeof manifest.scripts?.test === 'string');

// A report left from an earlier run must not count for this one (turbo restores it on a cache hit).
for (const { dir } of tested) rmSync(reportPath(dir), { force: true });

const turboRun = (args) =>
  spawnSync('pnpm', ['exec', 'turbo', 'run', ...args, ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1', ...process.env },
  });
// Builds first, side by side as turbo likes; then the tests (a package whose build failed fails there again), one
// package per two cores: each vitest run already spreads its files over every core, and two of them at once on a
// 2-core machine slowed timed tests past their limits.
turboRun(['build', '--continue']);
const testConcurrency = String(Math.max(1, Math.floor(availableParallelism() / 2)));
const turbo = turboRun(['test', '--continue', `--concurrency=${testConcurrency}`]);

let passed = 0;
let failed = 0;
const problems = [];
for (const { dir, manifest } of tested) {
  if (!existsSync(reportPath(dir))) {
    problems.push(`${manifest.name}: no test report (its tests did not run to the end)`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(reportPath(dir), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A test file that fails to load counts no failed test; count it, or the run would look green.
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.length === 0,
  );
  for (const file of brokenFiles) problems.push(`${manifest.name}: ${file.name} failed to run: ${file.message}`);
  failed += brokenFiles.length;
  console.log(`${manifest.name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
for (const problem of problems) console.log(problem);
if (passed + failed === 0) problems.push('no test ran');
console.log(`${passed} passed, ${failed} failed`);
process.exit(turbo.status !== 0 || failed > 0 || passed === 0 ? 1 : 0);
