import { Node } from 'ts-morph';
import { findStatusTimers } from '../../legacy/status-timer.js';
import type { Decision, Rule } from '../Plan.js';

/**
 * A status timer of `processCampaign` stays: each tick now goes to `scheduler.setStatus`, which keeps only the
 * newest status of a campaign and sends it when the campaign is due, so the timer costs no request of its own and
 * keeps the dashboard's progress moving between event batches. Removing it would need the same statuses proven sent
 * anyway, which the model does not try.
 */
export const rule: Rule = {
  name: 'status-timer-kept',
  transforms: ['scheduler-migration'],
  plan: (worker) =>
    worker.processCampaigns.flatMap((found): Decision[] => {
      if (found.body === undefined || !Node.isBlock(found.body)) return [];
      return findStatusTimers(found.body, worker.sinks).map((timer) => ({
        action: 'keep' as const,
        file: found.file,
        line: timer.line,
        why: `the status timer (${timer.timer}) stays: each tick goes to scheduler.setStatus, which keeps only the newest status and sends it when the campaign is due, so it costs no request of its own`,
      }));
    }),
};
