import type { ASTPath } from 'jscodeshift';
import type { Node } from '../../analysis/syntax.js';
import type { Migration } from './migration.js';

const FUNCTION = /^(FunctionDeclaration|FunctionExpression|ArrowFunctionExpression|ClassMethod|ObjectMethod)$/;

/**
 * Every way out of processCampaign once its scheduler exists flushes the campaign first, so a process that ends
 * there loses nothing: each `return` of processCampaign's own (an early one after a `failed` status too), and each
 * `process.exit()` in what it declares (a SIGTERM handler). An exit in a function that cannot await is marked TODO.
 */
export function flushOnExit(m: Migration, fn: Node, from: number): void {
  const { j } = m;
  const flush = () => j(`await scheduler.flush(${m.campaign}.id);`).find(j.ExpressionStatement).get().node;
  const isFlush = (s: Node) => s?.type === 'ExpressionStatement' && /^await scheduler\.flush\(/.test(j(s).toSource());
  // The returns: through the statement lists of processCampaign's own body, not into the functions it declares.
  const visit = (list: Node[], from = 0) => {
    for (let i = from; i < list.length; i++) {
      const s = list[i];
      if (s.type === 'ReturnStatement' && !isFlush(list[i - 1])) {
        list.splice(i, 0, flush());
        i++;
        continue;
      }
      if (s.type === 'IfStatement') {
        s.consequent = branch(s.consequent);
        if (s.alternate) s.alternate = branch(s.alternate);
      } else if (s.type === 'BlockStatement') visit(s.body);
      else if (s.type === 'TryStatement') {
        visit(s.block.body);
        if (s.handler) visit(s.handler.body.body);
        if (s.finalizer) visit(s.finalizer.body);
      } else if (s.type === 'SwitchStatement') for (const c of s.cases) visit(c.consequent);
      else if (s.type === 'LabeledStatement' || /^(For|ForIn|ForOf|While|DoWhile)Statement$/.test(s.type))
        s.body = branch(s.body);
    }
  };
  // An unbraced `if (x) return;` becomes `if (x) { await scheduler.flush(…); return; }`; other bodies stay as they are.
  const branch = (s: Node): Node => {
    if (s.type === 'ReturnStatement') return j.blockStatement([flush(), s]);
    visit(s.type === 'BlockStatement' ? s.body : [s]);
    return s;
  };
  visit(fn.body.body, from);

  // The exits: `process.exit()` anywhere in processCampaign, flushed in the function that calls it.
  j(fn.body)
    .find(j.CallExpression)
    .filter((path) => j(path.node.callee).toSource() === 'process.exit')
    .forEach((path) => {
      let statement: ASTPath | undefined;
      let owner: Node;
      for (let p: ASTPath | null = path.parent; p; p = p.parent) {
        if (FUNCTION.test(p.node.type)) {
          owner = p.node;
          break;
        }
        const container = p.parent?.node as Node;
        if (!statement && (Array.isArray(container?.body) || Array.isArray(container?.consequent))) statement = p;
      }
      if (!statement || isFlush(statement.parent?.node.body?.[(statement.name as number) - 1])) return;
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
