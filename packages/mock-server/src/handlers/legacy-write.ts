import { check } from '@scope/contract';
import { HttpResponse, type HttpResponseResolver } from 'msw';
import type { z } from 'zod';
import { fingerprint } from '../fingerprint.js';
import type { MockServer } from '../MockServer.js';
import { epochOf, fenced } from './fencing.js';
import { applyOnce, keyOf, pathCampaign, refuse, served, unknownCampaign } from './served.js';

/**
 * What the legacy write endpoints (`…/events`, `…/status`) share, checked in this order: the campaign id in the path
 * (400), the `Idempotency-Key` if any (400), the body against `schema` (400), the campaign known (404). With a key,
 * the request is applied once: the same body again is `{ accepted: 0, duplicate: true }`, another body a 422.
 * An `X-Owner-Epoch` header that is not a whole number is a 400; an epoch older than the newest seen for the campaign
 * a 412 (fencing), and one that passes is remembered. `apply` says what the server does with a checked body.
 */
export function legacyWrite<T>(
  mock: MockServer,
  endpoint: 'events' | 'status',
  schema: z.ZodType<T>,
  apply: (campaignId: string, body: T) => Response,
): HttpResponseResolver {
  return served(mock, endpoint, ({ request, params, body }) => {
    const campaignId = pathCampaign(params);
    if (campaignId instanceof Response) return campaignId;
    const key = keyOf(request);
    if (key instanceof Response) return key;
    const epoch = epochOf(request);
    if (epoch instanceof Response) return epoch;
    const checked = check(schema, body);
    if (!checked.ok) return refuse(400, checked.problems.join('; '));
    const unknown = unknownCampaign(mock, campaignId);
    if (unknown) return unknown;
    return applyOnce(
      mock,
      key,
      fingerprint({ endpoint, campaignId, body: checked.value }),
      () => HttpResponse.json({ accepted: 0, duplicate: true }),
      () => {
        const refused = fenced(mock, [{ campaignId, ownerEpoch: epoch, field: 'header X-Owner-Epoch' }]);
        if (refused) return refused;
        mock.state.raiseEpoch(campaignId, epoch);
        return apply(campaignId, checked.value);
      },
    );
  });
}
