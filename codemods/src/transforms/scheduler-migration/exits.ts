import type { ASTPath } from 'jscodeshift';
import { isLoop, type Node, placeOf } from '../../analysis/syntax.js';
import type { Migration } from './migration.js';

/**
 * Every way out of processCampaign once its scheduler exists flushes the campaign first, so a process that ends
 * there loses nothing: each `return` and `throw` of processCampaign's own (an early one after a `failed` status too),
 * and each `process.exit()` in what it declares (a SIGTERM handler). An exit in a function that cannot await is
 * marked TODO.
 */
export function flushOnExit(m: Migration, fn: Node, from: number): void {
  const { j } = m;
  const flush = () => j(`await scheduler.flush(${m.campaign}.id);`).find(j.ExpressionStatement).get().node;
  const isFlush = (s: Node) => s?.type === 'ExpressionStatement' && /^await scheduler\.flush\(/.test(j(s).toSource());
  const exits = (s: Node) => s.type === 'ReturnStatement' || s.type === 'ThrowStatement';
  // Already flushed on the way here: looking back in the same list, a flush comes before any update.
  const flushed = (list: Node[], i: number) => {
    for (let k = i - 1; k >= 0; k--) {
      const text = j(list[k]).toSource();
      if (/\bscheduler\.flush\(/.test(text)) return true;
      if (/\bscheduler\.(setStatus|record)\(/.test(text)) return false;
    }
    return false;
  };
  // The returns and throws: through the statement lists of processCampaign's own body, not into the functions it
  // declares.
  const visit = (list: Node[], from = 0) => {
    for (let i = from; i < list.length; i++) {
      const s = list[i];
      if (exits(s) && !flushed(list, i)) {
        list.splice(i, 0, flush());
        i++;
        continue;
      }
      if (s.type === 'IfStatement') {
        const done = flushed(list, i);
        s.consequent = branch(s.consequent, done);
        if (s.alternate) s.alternate = branch(s.alternate, done);
      } else if (s.type === 'BlockStatement') visit(s.body);
      else if (s.type === 'TryStatement') {
        visit(s.block.body);
        if (s.handler) visit(s.handler.body.body);
        if (s.finalizer) visit(s.finalizer.body);
      } else if (s.type === 'SwitchStatement') for (const c of s.cases) visit(c.consequent);
      else if (s.type === 'LabeledStatement' || isLoop(s)) s.body = branch(s.body, flushed(list, i));
    }
  };
  // An unbraced `if (x) return;` becomes `if (x) { await scheduler.flush(…); return; }`, unless a flush came just
  // before the `if`; other bodies stay as they are.
  const branch = (s: Node, done: boolean): Node => {
    if (exits(s) && !done) {
      const again = s.type === 'ReturnStatement' ? j.returnStatement(s.argument) : j.throwStatement(s.argument);
      return j.blockStatement([flush(), again]);
    }
    visit(s.type === 'BlockStatement' ? s.body : [s]);
    return s;
  };
  visit(fn.body.body, from);

  // The exits: `process.exit()` anywhere in processCampaign, flushed in the function that calls it.
  j(fn.body)
    .find(j.CallExpression)
    .filter((path) => j(path.node.callee).toSource() === 'process.exit')
    .forEach((path) => {
      const { fn: owner, statement: found } = placeOf(path);
      let statement = found;
      // `() => process.exit(130)`: the exit is the arrow's whole body.
      if (!statement && owner?.type === 'ArrowFunctionExpression' && owner.body === path.node) {
        if (owner.async) {
          owner.body = j.blockStatement([flush(), j.expressionStatement(path.node)]);
          return;
        }
        const around = j(path).closest(j.Statement).paths()[0] as ASTPath | undefined;
        if (around) statement = around;
      } else if (!statement || isFlush(statement.parent?.node.body?.[(statement.name as number) - 1])) return;
      if (!statement) return;
      if (owner?.async) {
        j(statement).insertBefore(flush());
        return;
      }
      m.notes.push(
        `line ${path.node.loc?.start.line ?? '?'}: process.exit() where the campaign cannot be flushed first`,
      );
      (statement.node as Node).comments = [
        j.commentLine(
          ` TODO(scheduler-migration): await scheduler.flush(${m.campaign}.id) before exiting.`,
          true,
          false,
        ),
        ...((statement.node as Node).comments ?? []),
      ];
    });
}
