import { Node } from 'ts-morph';
import { type BufferUseKind, findOutcomeBuffer, removalBlocker } from '../../legacy/buffer.js';
import { findRecipientLoop } from '../../legacy/recipient-loop.js';
import type { Decision, Rule } from '../Plan.js';

const ORDER: readonly BufferUseKind[] = ['push', 'swap', 'reset', 'post', 'guard', 'other'];

/**
 * The recipient loop's outcome buffer stays, and the report says what it is made of: its pushes, swaps, resets,
 * posts and guards now only feed the generated module, which takes each post in at once. It also says what would
 * keep it even from a removal: a use that is not plumbing (with its line), a buffer that outlives processCampaign,
 * several posts, or a server its post names that the pushes cannot reach (a name out of scope, or reassigned).
 * Taking it out is not done yet: each push would become a record of its event and the flush, its timers and guards
 * would go, and a wrong removal loses events where a kept buffer costs a no-op.
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
      const blocker = removalBlocker(buffer, found.body, worker.sinks);
      const why =
        blocker === undefined
          ? 'the model proves it inert (all plumbing, local, its server known at every push), but this version does not take it out yet'
          : `it cannot go: ${blocker}`;
      return [
        {
          action: 'keep',
          file: buffer.file,
          line: buffer.line,
          why: `the outcome buffer \`${buffer.name}\` stays (${counts.join(', ')}): its posts now only feed the server-updates module; ${why}`,
        },
      ];
    }),
};
