import type { Node } from '../../analysis/syntax.js';
import { TransformSkip } from '../../transform.js';
import type { Migration } from './migration.js';

const FULL_STATUS = ['state', 'sent', 'failed', 'total'];

/** The status an update call sends: fetch's JSON body, got's `json`, or a helper's last argument. */
function statusArgument(m: Migration, call: Node): Node {
  const callee = m.j(call.callee).toSource();
  const option = (name: string) => call.arguments[1]?.properties?.find((p: Node) => p.key?.name === name)?.value;
  if (callee === 'fetch') return option('body')?.arguments?.[0];
  if (/^got\./.test(callee)) return option('json');
  return call.arguments.at(-1);
}

/**
 * `scheduler.setStatus(campaign.id, status)` in place of a status update call (`ctx.…` inside the per-recipient
 * work). A status that is not a full `{ state, sent, failed, total }` is marked TODO and reported.
 */
export function setStatusFor(m: Migration, call: Node, inRecipient: boolean): Node {
  const { j } = m;
  const status = statusArgument(m, call);
  if (!status) throw new TransformSkip('cannot tell which argument is the status', call.loc?.start.line);
  const [target, id] = inRecipient ? ['ctx.scheduler', 'ctx.campaignId'] : ['scheduler', `${m.campaign}.id`];
  const statement = j.expressionStatement(
    j.callExpression(j.identifier(`${target}.setStatus`), [j.identifier(id), status]),
  );
  const keys = status.type === 'ObjectExpression' ? status.properties.map((p: Node) => p.key?.name) : [];
  const partial = status.type === 'ObjectExpression' && !FULL_STATUS.every((k) => keys.includes(k));
  if (partial || !/^(ObjectExpression|CallExpression|Identifier)$/.test(status.type)) {
    m.notes.push(
      `line ${call.loc?.start.line ?? '?'}: the status was ${j(status).toSource()}; setStatus takes { state, sent, failed, total }`,
    );
    statement.comments = [
      j.commentLine(' TODO(scheduler-migration): setStatus takes { state, sent, failed, total }.', true, false),
    ];
  }
  return statement;
}
