import { Node, SyntaxKind } from 'ts-morph';
import type { WorkerFile } from '../../legacy/LegacyWorker.js';
import { readLoopBody } from '../../legacy/loop-body.js';
import { findRecipientLoop } from '../../legacy/recipient-loop.js';
import type { Decision, Rule } from '../Plan.js';
import { FUNCTION_NAME, isPacing, readsLocals, recipientCall } from '../recipient-function.js';

/**
 * The migration moves the per-recipient work of `processCampaign` into `processSingleRecipientOptimized(recipient,
 * ctx)`, an async arrow declared right before the recipient loop (so `this`, `arguments` and every outer local keep
 * their meaning), which the loop awaits: the recipients go one at a time, at the pace they went. A `continue` of
 * the loop becomes a `return`; the pacing stays in the loop when it closes the body. A body that jumps out of the
 * loop, yields, or assigns a binding of the loop's head is left where it is, and the report says why.
 */
export const rule: Rule = {
  name: 'extract-recipient',
  transforms: ['scheduler-migration'],
  plan: (worker) =>
    worker.processCampaigns.flatMap((found): Decision[] => {
      if (found.body === undefined || !Node.isBlock(found.body)) return [];
      const recipientLoop = findRecipientLoop(found.body, found.file);
      const keep = (line: number, why: string): Decision[] => [
        { action: 'keep', file: found.file, line, why: `the recipient loop stays as it is: ${why}` },
      ];
      if (recipientLoop === undefined)
        return keep(found.line, 'no loop of processCampaign sends one recipient an iteration');
      const { loop, statement, label, line } = recipientLoop;
      const body = (loop as Node & { getStatement(): Node }).getStatement();
      if (body.getText().includes(`${FUNCTION_NAME}(`)) return [];
      if (!Node.isBlock(body)) return keep(line, 'its body is a single statement, not a block');
      const fn = found.body.getParent() as Node & { isAsync?(): boolean };
      if (fn.isAsync?.() !== true) return keep(line, 'processCampaign is not async, so it cannot await the recipient');
      const read = readLoopBody(loop, body, label);
      if (read.blocker) return keep(line, read.blocker);
      const file = worker.files.get(found.file) as WorkerFile;
      const statements = body.getStatements();
      const call = recipientCall(worker, file, found, recipientLoop, statements);
      if (typeof call === 'string') return keep(line, call);

      const last = statements.at(-1);
      const pacing =
        last && read.continues.length === 0 && isPacing(last) && !readsLocals(last, body) && statements.length > 1
          ? last
          : undefined;
      const moved = statements.filter((s) => s !== call.taken && s !== pacing);
      const lastMoved = moved.at(-1);
      if (lastMoved === undefined) return keep(line, 'its body holds nothing but the pacing');
      const text = file.text;
      const indent = /[ \t]*$/.exec(text.slice(0, statement.getStart()))?.[0] ?? '';
      const inner = /[ \t]*$/.exec(text.slice(0, (statements[0] as Node).getStart()))?.[0] ?? `${indent}  `;
      const open = body.getFirstChildByKindOrThrow(SyntaxKind.OpenBraceToken);
      const start = call.taken ? call.taken.getEnd() : open.getEnd();
      const awaitCall = `await ${FUNCTION_NAME}(${call.args});`;
      const why = `the per-recipient work moves into ${FUNCTION_NAME}(), which the loop awaits`;
      const decisions: Decision[] = [
        {
          action: 'move',
          file: found.file,
          line,
          start,
          end: lastMoved.getEnd(),
          to: statement.getStart(),
          before: `const ${FUNCTION_NAME} = async (${call.params}) => {`,
          after: `\n${indent}};\n${indent}${call.counter ? `${call.counter}\n${indent}` : ''}`,
          text: call.taken ? awaitCall : `\n${inner}${awaitCall}`,
          why,
        },
      ];
      if (call.taken)
        decisions.push({
          action: 'replace',
          file: found.file,
          line,
          start: call.taken.getStart(),
          end: call.taken.getEnd(),
          text: '',
          usesModule: false,
          why: `the recipient is taken as the argument of ${FUNCTION_NAME}()`,
        });
      for (const jump of read.continues) {
        decisions.push({
          action: 'replace',
          file: found.file,
          line: jump.getStartLineNumber(),
          start: jump.getStart(),
          end: jump.getEnd(),
          text: jump.getText().trimEnd().endsWith(';') ? 'return;' : 'return',
          usesModule: false,
          why: `\`continue\` goes on with the next recipient: in ${FUNCTION_NAME}() it returns`,
        });
      }
      return decisions;
    }),
};
