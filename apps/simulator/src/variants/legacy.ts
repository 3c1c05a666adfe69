import { createRequire } from 'node:module';
import type { SimCampaign, SimMail, Variant } from './types.js';

const require = createRequire(import.meta.url);
type ProcessCampaign = (campaign: unknown, deps: unknown) => Promise<unknown>;
const legacyDir = require.resolve('@scope/legacy-worker/src/campaign.js').replace(/campaign\.js$/, '');

/**
 * Loads a fresh copy of the legacy worker's modules, as a new process would, optionally changing its api module
 * before `campaign.js` takes its functions (how the hotfix wraps them).
 */
export function loadLegacyWorker(patchApi?: (api: Record<string, unknown>) => void): ProcessCampaign {
  for (const file of ['api.js', 'campaign.js']) delete require.cache[`${legacyDir}${file}`];
  const api = require(`${legacyDir}api.js`) as Record<string, unknown>;
  patchApi?.(api);
  return (require(`${legacyDir}campaign.js`) as { processCampaign: ProcessCampaign }).processCampaign;
}

/** The legacy worker, unchanged: `processCampaign` per campaign, as its own process would run them. */
export const legacy: Variant = {
  name: 'legacy',
  async runWorker(campaigns: readonly SimCampaign[], serverUrl: string, mail: SimMail) {
    const processCampaign = loadLegacyWorker();
    await Promise.all(
      campaigns.map(({ campaign, recipients }) =>
        processCampaign(campaign, { transporter: mail, serverUrl, recipients }),
      ),
    );
  },
};
