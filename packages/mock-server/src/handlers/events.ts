import { legacyEventsBody } from '@scope/contract';
import { HttpResponse, http } from 'msw';
import type { MockServer } from '../MockServer.js';
import { legacyWrite } from './legacy-write.js';

/** `POST /api/campaigns/:id/events` (legacy): `{ events }`, answered `{ accepted, duplicate }`; checked as in legacyWrite. */
export function eventHandlers(mock: MockServer) {
  return [
    http.post(
      '*/api/campaigns/:id/events',
      legacyWrite(mock, 'events', legacyEventsBody, (campaignId, { events }) =>
        HttpResponse.json({ accepted: mock.state.applyEvents(campaignId, events), duplicate: false }),
      ),
    ),
  ];
}
