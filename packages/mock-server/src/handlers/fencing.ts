import type { MockServer } from '../MockServer.js';
import { refuse } from './served.js';

/** The header a legacy request carries its owner epoch in. */
export const OWNER_EPOCH_HEADER = 'x-owner-epoch';

/**
 * A legacy request's `X-Owner-Epoch`: undefined when there is none, a 400 naming the header when it is not a whole
 * number >= 0.
 */
export function epochOf(request: Request): number | undefined | Response {
  const header = request.headers.get(OWNER_EPOCH_HEADER);
  if (header === null) return undefined;
  const value = /^\d{1,15}$/.test(header.trim()) ? Number(header.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    return refuse(400, `header X-Owner-Epoch: expected a whole number >= 0, got "${header}"`);
  }
  return value;
}

/**
 * Fencing: a 412 naming both epochs for the first update whose owner epoch is older than the newest the server has
 * seen for its campaign (another worker took the campaign over), or undefined when every one may be applied.
 * `field` names where each epoch was given (`campaigns[0].ownerEpoch`, `header X-Owner-Epoch`).
 */
export function fenced(
  mock: MockServer,
  updates: readonly { campaignId: string; ownerEpoch?: number | undefined; field: string }[],
): Response | undefined {
  for (const { campaignId, ownerEpoch, field } of updates) {
    const verdict = mock.state.fence(campaignId, ownerEpoch);
    if (!verdict.ok) {
      return refuse(
        412,
        `${field}: owner epoch ${verdict.epoch} of campaign "${campaignId}" is older than ${verdict.newest}, the newest this server has seen (another worker owns the campaign now)`,
      );
    }
  }
  return undefined;
}
