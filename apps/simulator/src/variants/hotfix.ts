import { createThrottle } from '@scope/throttle';
import { loadLegacyWorker } from './legacy.js';
import type { SimCampaign, SimMail, Variant } from './types.js';

type Events = [serverUrl: string, campaignId: string, events: unknown[]];
type Status = [serverUrl: string, campaignId: string, status: unknown];

/**
 * The legacy worker with phase 1 applied: its two update calls wrapped in one `@scope/throttle` per process (a call
 * per campaign, events merged so none is lost, the newest status winning), and a final `flush()`. This is the
 * change the `hotfix-throttle` codemod makes; until it lands, the simulator wraps the calls the same way.
 */
export const hotfix: Variant = {
  name: 'hotfix',
  async runWorker(campaigns: readonly SimCampaign[], serverUrl: string, mail: SimMail) {
    const throttle = createThrottle({ minIntervalMs: 15_000 });
    const processCampaign = loadLegacyWorker((api) => {
      api.postEvents = throttle.wrap(api.postEvents as (...args: Events) => Promise<boolean>, {
        key: (_url, campaignId) => campaignId,
        merge: ([url, id, a], [, , b]) => [url, id, [...a, ...b]],
      });
      api.updateStatus = throttle.wrap(api.updateStatus as (...args: Status) => Promise<boolean>, {
        key: (_url, campaignId) => campaignId,
      });
    });
    await Promise.all(
      campaigns.map(({ campaign, recipients }) =>
        processCampaign(campaign, { transporter: mail, serverUrl, recipients }),
      ),
    );
    await throttle.flush();
  },
};
