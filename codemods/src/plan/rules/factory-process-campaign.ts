import type { Rule } from '../Plan.js';

/**
 * `const processCampaign = runners.campaign`: a `processCampaign` made at run time, by a factory whose result the
 * source does not follow. Which sinks it reaches cannot be told, so the tree is left as it is.
 */
export const rule: Rule = {
  name: 'factory-process-campaign',
  transforms: ['hotfix-throttle', 'scheduler-migration'],
  plan: (worker) =>
    worker.processCampaigns
      .filter((found) => found.takenFrom !== undefined)
      .map((found) => ({
        action: 'refuse',
        file: found.file,
        line: found.line,
        why: `processCampaign is taken from \`${found.takenFrom}\` here, built elsewhere at run time: its body cannot be followed, so nothing was rewritten; migrate it by hand`,
      })),
};
