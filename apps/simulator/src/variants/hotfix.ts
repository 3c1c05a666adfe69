import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hotfixThrottle, runTransform } from '@scope/codemods';
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
function prepare(): void {
  if (prepared) return;
  mkdirSync(generated, { recursive: true });
  const file = `${legacyDir}campaign.js`;
  const outcome = runTransform(hotfixThrottle, file, readFileSync(file, 'utf8'));
  if (outcome.kind !== 'changed')
    throw new Error(`hotfix-throttle did not rewrite the legacy worker: ${JSON.stringify(outcome)}`);
  writeFileSync(`${generated}campaign.js`, outcome.output);
  copyFileSync(`${legacyDir}api.js`, `${generated}api.js`);
  // The legacy worker is CommonJS; this package is not.
  writeFileSync(`${generated}package.json`, '{ "type": "commonjs" }\n');
  prepared = true;
}

/**
 * The legacy worker after phase 1: one throttle per process (15 s between updates, a trailing call per campaign,
 * events merged so none is lost, the newest status winning), flushed before each campaign's final status.
 */
export const hotfix: Variant = {
  name: 'hotfix',
  async runWorker(campaigns: readonly SimCampaign[], serverUrl: string, mail: SimMail) {
    prepare();
    const processCampaign = loadLegacyWorker(generated);
    await Promise.all(
      campaigns.map(({ campaign, recipients }) =>
        processCampaign(campaign, { transporter: mail, serverUrl, recipients }),
      ),
    );
  },
};
