import type { Collection, JSCodeshift } from 'jscodeshift';
import type { Node } from '../../analysis/syntax.js';
import type { Kind } from '../../analysis/updates.js';

/**
 * Update calls left outside processCampaign (a caller posting a `failed` status, an exported helper) post beside the
 * scheduler, and can land out of order with what it sends: each is marked TODO and reported.
 */
export function markUpdatesOutside(
  j: JSCodeshift,
  root: Collection,
  updateKind: (node: Node) => Kind | undefined,
  notes: string[],
) {
  root
    .find(j.CallExpression)
    .filter((path) => updateKind(path.node) !== undefined)
    .forEach((path) => {
      const statement = j(path).closest(j.Statement);
      if (statement.length === 0) return;
      const node = statement.get().node as Node;
      const name = j(path.node.callee).toSource();
      notes.push(`line ${path.node.loc?.start.line ?? '?'}: ${name}() still posts beside the scheduler`);
      node.comments = [
        j.commentLine(
          ` TODO(scheduler-migration): ${name}() posts beside the scheduler; report through updateScheduler(…) instead.`,
          true,
          false,
        ),
        ...(node.comments ?? []),
      ];
    });
}
