import { HttpResponse, http } from 'msw';
import type { MockServer } from '../MockServer.js';
import { refuse, served } from './served.js';

const PAGE = 100;

/** Work intake: campaigns waiting for a worker, one campaign, and its recipients page by page. */
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
        const campaign = state.campaigns.get(String(params.id));
        return campaign ? HttpResponse.json(campaign) : refuse(404, `campaign "${String(params.id)}" is unknown`);
      }),
    ),
    http.get(
      '*/api/campaigns/:id/recipients',
      served(mock, 'intake', ({ request, params }) => {
        const recipients = state.recipients.get(String(params.id));
        if (recipients === undefined) return refuse(404, `campaign "${String(params.id)}" is unknown`);
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
