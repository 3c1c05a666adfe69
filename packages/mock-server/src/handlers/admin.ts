import { HttpResponse, http } from 'msw';
import { campaignId as campaignIdRule, problemOf } from '../ids.js';
import type { MockServer } from '../MockServer.js';
import { refuse, served, unknownCampaign } from './served.js';

/** `/__mock/*`: the request log, the load summary, and faults and control set at run time. */
export function adminHandlers(mock: MockServer) {
  return [
    http.get(
      '*/__mock/log',
      served(mock, 'admin', () => HttpResponse.json({ log: mock.state.log.filter((e) => e.endpoint !== 'admin') })),
    ),
    http.get(
      '*/__mock/summary',
      served(mock, 'admin', () => HttpResponse.json(mock.state.summary())),
    ),
    http.post(
      '*/__mock/faults',
      served(mock, 'admin', ({ body }) => {
        try {
          mock.setFaults((body ?? {}) as never);
          return HttpResponse.json({ faults: mock.faults });
        } catch (error) {
          return refuse(400, (error as Error).message);
        }
      }),
    ),
    http.post(
      '*/__mock/control',
      served(mock, 'admin', ({ body }) => {
        const { campaignId, state } = (body ?? {}) as { campaignId?: unknown; state?: unknown };
        if (typeof campaignId !== 'string' || !['running', 'paused', 'cancelled'].includes(String(state))) {
          return refuse(400, 'body: expected { campaignId, state: running|paused|cancelled }');
        }
        const problem = problemOf(campaignIdRule, campaignId, 'campaignId');
        if (problem !== undefined) return refuse(400, problem);
        const unknown = unknownCampaign(mock, campaignId, 'campaignId');
        if (unknown) return unknown;
        mock.state.control.set(campaignId, state as 'running' | 'paused' | 'cancelled');
        return HttpResponse.json({ campaignId, state });
      }),
    ),
  ];
}
