#!/usr/bin/env node
// `pnpm start` and the other run scripts build what they run first: turbo's own lines (its version, the packages in
// scope, the task summary) are kept back and printed only if the build fails, so a run shows the run alone.
// Usage: node scripts/build-quietly.mjs [--filter=<package>...]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const result = spawnSync('turbo', ['run', 'build', '--output-logs=errors-only', ...process.argv.slice(2)], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
  shell: process.platform === 'win32',
});
if (result.error !== undefined) {
  process.stderr.write(`build: cannot run turbo (${result.error.message})\n`);
  process.exit(1);
}
if (result.status !== 0) {
  process.stderr.write(`${result.stdout}${result.stderr}`);
  process.exit(result.status ?? 1);
}
