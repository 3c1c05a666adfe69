import { check, legacyEventsBody } from '@scope/contract';
import { HttpResponse, http } from 'msw';
import { fingerprint } from '../fingerprint.js';
import type { MockServer } from '../MockServer.js';
import { applyOnce, keyOf, pathCampaign, refuse, served, unknownCampaign } from './served.js';

/**
 * `POST /api/campaigns/:id/events` (legacy): `{ events }`, answered `{ accepted, duplicate }`. Checked in this
 * order: the campaign id (400), the `Idempotency-Key` if any (400), the body (400), the campaign known (404). With a
 * key, the request is applied once: the same body again is a duplicate, another body under that key a 422.
 */
export function eventHandlers(mock: MockServer) {
  const { state } = mock;
  return [
    http.post(
      '*/api/campaigns/:id/events',
      served(mock, 'events', ({ request, params, body }) => {
        const campaignId = pathCampaign(params);
        if (campaignId instanceof Response) return campaignId;
        const key = keyOf(request);
        if (key instanceof Response) return key;
        const checked = check(legacyEventsBody, body);
        if (!checked.ok) return refuse(400, checked.problems.join('; '));
        const unknown = unknownCampaign(mock, campaignId);
        if (unknown) return unknown;
        return applyOnce(
          mock,
          key,
          fingerprint({ endpoint: 'events', campaignId, body: checked.value }),
          () => HttpResponse.json({ accepted: 0, duplicate: true }),
          () => HttpResponse.json({ accepted: state.applyEvents(campaignId, checked.value.events), duplicate: false }),
        );
      }),
    ),
  ];
}
