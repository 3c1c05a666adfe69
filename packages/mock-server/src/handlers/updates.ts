import { bulkUpdateBody, check, legacyEventsBody, legacyStatusBody } from '@scope/contract';
import { HttpResponse, http } from 'msw';
import type { MockServer } from '../MockServer.js';
import { refuse, served } from './served.js';

/** `POST /api/updates`: the bulk endpoint, deduplicated by `Idempotency-Key` / `batchId`. */
export function bulkHandlers(mock: MockServer) {
  return [
    http.post(
      '*/api/updates',
      served(mock, 'bulk', ({ request, body }) => {
        const key = request.headers.get('idempotency-key');
        const checked = check(bulkUpdateBody, body);
        if (!checked.ok) return refuse(400, checked.problems.join('; '));
        if (key === null) return refuse(400, 'header Idempotency-Key: expected the batchId, got nothing');
        if (key !== checked.value.batchId) {
          return refuse(400, `header Idempotency-Key: expected the batchId "${checked.value.batchId}", got "${key}"`);
        }
        return HttpResponse.json(mock.state.applyBulk(checked.value));
      }),
    ),
  ];
}

/** The legacy endpoints: `POST /api/campaigns/:id/events` and `PUT /api/campaigns/:id/status`. */
export function legacyHandlers(mock: MockServer) {
  const { state } = mock;
  // A legacy request may carry an Idempotency-Key; a repeat of one that was applied is acknowledged and not
  // applied again. A key is remembered only once its request was applied (a refused one may come back fixed).
  const repeated = (request: Request) => {
    const key = request.headers.get('idempotency-key');
    if (key === null || !state.seen(key)) return false;
    state.countDuplicateBatch();
    return true;
  };
  const applied = (request: Request) => {
    const key = request.headers.get('idempotency-key');
    if (key !== null) state.remember(key);
  };
  return [
    http.post(
      '*/api/campaigns/:id/events',
      served(mock, 'events', ({ request, params, body }) => {
        const checked = check(legacyEventsBody, body);
        if (!checked.ok) return refuse(400, checked.problems.join('; '));
        if (repeated(request)) return HttpResponse.json({ accepted: 0, duplicate: true });
        const accepted = state.applyEvents(String(params.id), checked.value.events);
        applied(request);
        return HttpResponse.json({ accepted, duplicate: false });
      }),
    ),
    http.put(
      '*/api/campaigns/:id/status',
      served(mock, 'status', ({ request, params, body }) => {
        const checked = check(legacyStatusBody, body);
        if (!checked.ok) return refuse(400, checked.problems.join('; '));
        if (repeated(request)) return HttpResponse.json({ accepted: 0, duplicate: true });
        const campaignId = String(params.id);
        const current = state.statuses.get(campaignId);
        if (!state.applyStatus(campaignId, checked.value)) {
          return refuse(409, `seq: expected above ${current?.seq}, got ${checked.value.seq} (stale status)`);
        }
        applied(request);
        return HttpResponse.json({ accepted: 1, duplicate: false });
      }),
    ),
  ];
}
