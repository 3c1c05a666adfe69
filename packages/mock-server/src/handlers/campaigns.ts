import { HttpResponse, http } from 'msw';
import type { MockServer } from '../MockServer.js';
import { pathCampaign, refuse, served, unknownCampaign } from './served.js';

const PAGE = 100;

/**
 * Work intake: campaigns waiting for a worker, one campaign, and its recipients page by page. A campaign id the
 * server refuses gets a 400 naming the field, an unknown one a 404.
 */
export function campaignHandlers(mock: MockServer) {
  const { state } = mock;
  return [
    http.get(
      '*/api/campaigns',
      served(mock, 'intake', ({ request }) => {
        const wanted = new URL(request.url).searchParams.get('state');
        const campaigns = [...state.campaigns.values()].filter((c) => wanted === null || c.state === wanted);
        return HttpResponse.json({ campaigns });
      }),
    ),
    http.get(
      '*/api/campaigns/:id',
      served(mock, 'intake', ({ params }) => {
        const id = pathCampaign(params);
        if (id instanceof Response) return id;
        return unknownCampaign(mock, id) ?? HttpResponse.json(state.campaigns.get(id));
      }),
    ),
    http.get(
      '*/api/campaigns/:id/recipients',
      served(mock, 'intake', ({ request, params }) => {
        const id = pathCampaign(params);
        if (id instanceof Response) return id;
        const unknown = unknownCampaign(mock, id);
        if (unknown) return unknown;
        const recipients = state.recipients.get(id) ?? [];
        const cursor = new URL(request.url).searchParams.get('cursor') || '0';
        const start = /^\d+$/.test(cursor) ? Number(cursor) : Number.NaN;
        if (!(start >= 0 && start <= recipients.length))
          return refuse(400, `cursor: expected a cursor from a previous page, got "${cursor}"`);
        const end = Math.min(recipients.length, start + PAGE);
        return HttpResponse.json({
          recipients: recipients.slice(start, end),
          nextCursor: end < recipients.length ? String(end) : null,
        });
      }),
    ),
  ];
}
