import { defineConfig } from 'vitest/config';

/**
 * The test settings every package shares. Each package's run also writes a JSON report to
 * `.reports/vitest.json`, which `scripts/run-tests.mjs` totals into the closing `N passed, N failed` line.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,mts}', 'test/**/*.test.{ts,mts}'],
    reporters: ['default', ['json', { outputFile: '.reports/vitest.json' }]],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
