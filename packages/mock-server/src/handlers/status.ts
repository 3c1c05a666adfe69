import { legacyStatusBody } from '@scope/contract';
import { HttpResponse, http } from 'msw';
import type { MockServer } from '../MockServer.js';
import { legacyWrite } from './legacy-write.js';

/**
 * `PUT /api/campaigns/:id/status` (legacy): a status, answered `{ accepted, duplicate }`: `1, false` when kept;
 * `0, true` for a repeat (the seq and the content of the one held); `0, false` for a stale one (older seq, or the
 * same seq with other content), which the server does not keep. Checked as in legacyWrite.
 */
export function statusHandlers(mock: MockServer) {
  return [
    http.put(
      '*/api/campaigns/:id/status',
      legacyWrite(mock, 'status', legacyStatusBody, (campaignId, status) => {
        const outcome = mock.state.applyStatus(campaignId, status);
        // A stale status is answered with success, not 409: 409 means "still processing" under the idempotency
        // draft, and the server keeps the newer status it holds.
        return HttpResponse.json({ accepted: outcome === 'applied' ? 1 : 0, duplicate: outcome === 'repeat' });
      }),
    ),
  ];
}
