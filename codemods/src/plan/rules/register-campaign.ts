import { Node } from 'ts-morph';
import type { Decision, Rule } from '../Plan.js';

/**
 * The migration registers each campaign's rate with the scheduler where `processCampaign` starts (its interval
 * follows the rate), from the campaign it reads `id` and `emailsPerMinute` of: the first statement of its body, or
 * right after the constant that holds the campaign. Without one, the scheduler measures the rate, and the report
 * says so.
 */
export const rule: Rule = {
  name: 'register-campaign',
  transforms: ['scheduler-migration'],
  plan: (worker) =>
    worker.processCampaigns.flatMap((found): Decision[] => {
      const { body, campaign, file, line } = found;
      if (body === undefined || !Node.isBlock(body)) return [];
      if (campaign === undefined) {
        return [
          {
            action: 'keep',
            file,
            line,
            why: 'processCampaign reads no campaign `id` and `emailsPerMinute`: the scheduler measures its rate',
          },
        ];
      }
      if (body.getText().includes('serverUpdates.campaign(')) return [];
      const text = `serverUpdates.campaign(${campaign.name}.id, { emailsPerMinute: ${campaign.name}.emailsPerMinute });`;
      const source = body.getSourceFile().getFullText();
      const why = `registers ${campaign.name}'s rate with the scheduler`;
      const indentAt = (position: number) => /[ \t]*$/.exec(source.slice(0, position))?.[0] ?? '';
      if (campaign.after !== undefined) {
        const indent = indentAt(campaign.after.getStart());
        return [
          { action: 'add', file, line, at: campaign.after.getEnd(), text: `\n${indent}${text}`, usesModule: true, why },
        ];
      }
      // At the top of the body, above the first statement's own comments.
      const first = body.getStatements()[0];
      if (first === undefined) return [];
      return [
        {
          action: 'add',
          file,
          line,
          at: body.getStart() + 1,
          text: `\n${indentAt(first.getStart())}${text}`,
          usesModule: true,
          why,
        },
      ];
    }),
};
