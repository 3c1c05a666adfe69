import { check, legacyStatusBody } from '@scope/contract';
import { HttpResponse, http } from 'msw';
import { fingerprint } from '../fingerprint.js';
import type { MockServer } from '../MockServer.js';
import { applyOnce, keyOf, pathCampaign, refuse, served, unknownCampaign } from './served.js';

/**
 * `PUT /api/campaigns/:id/status` (legacy): a status, answered `{ accepted, duplicate }`: `1, false` when kept;
 * `0, true` for a repeat (the seq and the content of the one held); `0, false` for a stale one (older seq, or the
 * same seq with other content), which the server does not keep. Checked like the events endpoint.
 */
export function statusHandlers(mock: MockServer) {
  const { state } = mock;
  return [
    http.put(
      '*/api/campaigns/:id/status',
      served(mock, 'status', ({ request, params, body }) => {
        const campaignId = pathCampaign(params);
        if (campaignId instanceof Response) return campaignId;
        const key = keyOf(request);
        if (key instanceof Response) return key;
        const checked = check(legacyStatusBody, body);
        if (!checked.ok) return refuse(400, checked.problems.join('; '));
        const unknown = unknownCampaign(mock, campaignId);
        if (unknown) return unknown;
        return applyOnce(
          mock,
          key,
          fingerprint({ endpoint: 'status', campaignId, body: checked.value }),
          () => HttpResponse.json({ accepted: 0, duplicate: true }),
          () => {
            const outcome = state.applyStatus(campaignId, checked.value);
            // A stale status is answered with success, not 409: 409 means "still processing" under the
            // idempotency draft, and the server keeps the newer status it holds.
            return HttpResponse.json({ accepted: outcome === 'applied' ? 1 : 0, duplicate: outcome === 'repeat' });
          },
        );
      }),
    ),
  ];
}
