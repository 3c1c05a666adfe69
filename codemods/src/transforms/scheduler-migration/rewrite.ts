import { callOf, type Node, statementsOf } from '../../analysis/syntax.js';
import type { Migration } from './migration.js';
import { callsRemoved, isRemovedCall, usesBuffer } from './removed-code.js';
import { setStatusFor } from './status.js';

/** `await ctx.scheduler.record(ctx.campaignId, event)` in place of `buffer.push(event)`. */
function record(m: Migration, event: Node): Node {
  const { j } = m;
  return j.expressionStatement(
    j.awaitExpression(j.callExpression(j.identifier('ctx.scheduler.record'), [j.identifier('ctx.campaignId'), event])),
  );
}

/** The body of an `if` or a loop, rewritten; as it was (braces and all) when nothing in its list changed. */
function rewriteBody(m: Migration, body: Node, inRecipient: boolean): Node {
  const list = statementsOf(body);
  const rewritten = rewriteStatements(m, list, inRecipient);
  const same = rewritten.length === list.length && rewritten.every((s, i) => s === list[i]);
  return same ? body : m.j.blockStatement(rewritten);
}

/**
 * Rewrites a list of statements: buffer pushes become `record`, status updates `setStatus`; event posts, flushes
 * and timers go. Inside the per-recipient work (`inRecipient`) the scheduler and campaign come from `ctx`.
 */
export function rewriteStatements(m: Migration, list: Node[], inRecipient: boolean): Node[] {
  return list.flatMap((s): Node[] => {
    if (isRemovedCall(m, s)) return [];
    const call = callOf(s);
    const kind = m.updateKind(call);
    if (kind === 'events') return [];
    if (kind === 'status') return [setStatusFor(m, call, inRecipient)];
    if (s.type === 'IfStatement') {
      // `if (buffer.length >= 50) flush()`: the condition only made sense for the buffer.
      if (usesBuffer(m, s.test) || callsRemoved(m, s)) return [];
      s.consequent = rewriteBody(m, s.consequent, inRecipient);
      if (s.alternate) s.alternate = rewriteBody(m, s.alternate, inRecipient);
      return [s];
    }
    if (s.type === 'TryStatement') {
      s.block.body = rewriteStatements(m, s.block.body, inRecipient);
      if (s.handler) s.handler.body.body = rewriteStatements(m, s.handler.body.body, inRecipient);
      if (s.finalizer) s.finalizer.body = rewriteStatements(m, s.finalizer.body, inRecipient);
      return [s];
    }
    if (s.type === 'SwitchStatement') {
      for (const branch of s.cases) branch.consequent = rewriteStatements(m, branch.consequent, inRecipient);
      return [s];
    }
    if (s.type === 'BlockStatement') return [rewriteBody(m, s, inRecipient)];
    if (/^(For|ForIn|ForOf|While|DoWhile)Statement$/.test(s.type)) {
      s.body = rewriteBody(m, s.body, inRecipient);
      return [s];
    }
    if (inRecipient && call?.callee.object?.name === m.buffer && call.callee.property?.name === 'push')
      return [record(m, call.arguments[0])];
    return [s];
  });
}
