import { Node } from 'ts-morph';
import { type BufferUseKind, findOutcomeBuffer } from '../../legacy/buffer.js';
import { findRecipientLoop } from '../../legacy/recipient-loop.js';
import type { Decision, Rule } from '../Plan.js';

const ORDER: readonly BufferUseKind[] = ['push', 'swap', 'reset', 'post', 'guard', 'other'];

/**
 * The recipient loop's outcome buffer stays, and the report says what it is made of: its pushes, swaps, resets,
 * posts and guards now only feed the generated module, which takes each post in at once. A use the model cannot
 * classify is named with its line. The buffer is not removed: that would need each event recorded once through
 * the scheduler without the post that names its server, which the generated module does not offer yet.
 */
export const rule: Rule = {
  name: 'outcome-buffer-kept',
  transforms: ['scheduler-migration'],
  plan: (worker) =>
    worker.processCampaigns.flatMap((found): Decision[] => {
      if (found.body === undefined || !Node.isBlock(found.body)) return [];
      const recipientLoop = findRecipientLoop(found.body, found.file);
      const buffer = recipientLoop && findOutcomeBuffer(recipientLoop, worker.sinks);
      if (buffer === undefined) return [];
      const counts = ORDER.flatMap((kind) => {
        const n = buffer.uses.filter((u) => u.kind === kind).length;
        return n === 0 ? [] : [n === 1 ? kind : `${kind} ×${n}`];
      });
      const other = buffer.uses.filter((u) => u.kind === 'other').map((u) => u.line);
      const unclassified = other.length > 0 ? `; not plumbing at line ${other.join(', ')}` : '';
      return [
        {
          action: 'keep',
          file: buffer.file,
          line: buffer.line,
          why: `the outcome buffer \`${buffer.name}\` stays (${counts.join(', ')}${unclassified}): its posts now only feed the server-updates module`,
        },
      ];
    }),
};
