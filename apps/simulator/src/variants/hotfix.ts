import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apply, hotfixThrottle } from '@scope/codemods';
import { legacyDir, loadLegacyWorker } from './legacy.js';
import type { SimCampaign, SimMail, Variant } from './types.js';

/** This package's folder (from src/ in tests, from dist/ when built). */
function packageRoot(): string {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

// Inside this package, so the rewritten worker's require('@scope/throttle') resolves as a user's would.
const generated = join(packageRoot(), '.generated', 'hotfix') + sep;
let prepared = false;

/**
 * Writes the legacy worker as the `hotfix-throttle` codemod rewrites it: the simulator measures the codemod's
 * real output, not a hand-made copy.
 */
async function prepare(): Promise<void> {
  if (prepared) return;
  rmSync(generated, { recursive: true, force: true });
  mkdirSync(generated, { recursive: true });
  for (const file of ['campaign.js', 'api.js']) copyFileSync(`${legacyDir}${file}`, `${generated}${file}`);
  // The legacy worker is CommonJS; this package is not.
  writeFileSync(`${generated}package.json`, '{ "name": "legacy-worker-hotfix", "type": "commonjs" }\n');
  const options = { dry: false, print: false, diff: false, force: true, json: true, gitignore: false };
  const report = await apply(
    hotfixThrottle,
    [generated],
    { ...options, dependencyRange: '*', cwd: generated },
    () => {},
  );
  if (report.changed.length === 0) {
    throw new Error(`hotfix-throttle did not rewrite the legacy worker: ${JSON.stringify(report)}`);
  }
  prepared = true;
}

/**
 * The legacy worker after phase 1: one throttle per process (15 s between updates, a trailing call per campaign,
 * events merged so none is lost, the newest status winning), flushed before each campaign's final status.
 */
export const hotfix: Variant = {
  name: 'hotfix',
  prepare,
  async runWorker(campaigns: readonly SimCampaign[], serverUrl: string, mail: SimMail) {
    const processCampaign = loadLegacyWorker(generated);
    await Promise.all(
      campaigns.map(({ campaign, recipients }) =>
        processCampaign(campaign, { transporter: mail, serverUrl, recipients }),
      ),
    );
  },
};
