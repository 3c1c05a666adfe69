import { bulkUpdateBody, check } from '@scope/contract';
import { HttpResponse, http } from 'msw';
import { fingerprint } from '../fingerprint.js';
import { campaignId, problemOf } from '../ids.js';
import type { MockServer } from '../MockServer.js';
import { fenced } from './fencing.js';
import { applyOnce, refuse, served } from './served.js';

/**
 * `POST /api/updates`: the bulk endpoint. Checked in this order: the body (400), every campaign id (400), the
 * `Idempotency-Key`, which must be the batch id (400), every campaign known (404); then the batch is applied once
 * per batch id: the same body again is a duplicate, another body under a used batch id a 422; a new batch with a
 * campaign whose `ownerEpoch` is older than the newest seen for it is refused whole (412, fencing).
 */
export function updateHandlers(mock: MockServer) {
  const { state } = mock;
  return [
    http.post(
      '*/api/updates',
      served(mock, 'bulk', ({ request, body }) => {
        const checked = check(bulkUpdateBody, body);
        if (!checked.ok) return refuse(400, checked.problems.join('; '));
        const update = checked.value;
        const ids = update.campaigns.map((c) => c.campaignId);
        const badIds = ids.flatMap((id, i) => problemOf(campaignId, id, `campaigns[${i}].campaignId`) ?? []);
        if (badIds.length > 0) return refuse(400, badIds.join('; '));
        const key = request.headers.get('idempotency-key');
        if (key === null) return refuse(400, 'header Idempotency-Key: expected the batchId, got nothing');
        if (key !== update.batchId) {
          return refuse(400, `header Idempotency-Key: expected the batchId "${update.batchId}", got "${key}"`);
        }
        const unknown = ids.flatMap((id, i) =>
          state.knows(id) ? [] : [`campaigns[${i}].campaignId: campaign "${id}" is unknown`],
        );
        if (unknown.length > 0) return refuse(404, unknown.join('; '));
        return applyOnce(
          mock,
          key,
          fingerprint({ endpoint: 'bulk', body: update }),
          () => HttpResponse.json({ accepted: 0, duplicate: true, ...state.controlFor(ids) }),
          () =>
            fenced(
              mock,
              update.campaigns.map((c, i) => ({ ...c, field: `campaigns[${i}].ownerEpoch` })),
            ) ?? HttpResponse.json(state.applyBulk(update)),
        );
      }),
    ),
  ];
}
