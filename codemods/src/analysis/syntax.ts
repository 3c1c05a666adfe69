import type { ASTNode, JSCodeshift } from 'jscodeshift';

/** A node of any type: jscodeshift's node types are too loose to narrow usefully in the rewrites. */
// biome-ignore lint/suspicious/noExplicitAny: see above.
export type Node = any;

/** Whether `node`, or anything inside it, matches. */
export function contains(j: JSCodeshift, node: Node, test: (n: Node) => boolean): boolean {
  if (test(node)) return true;
  let hit = false;
  j(node as ASTNode)
    .find(j.Node)
    .forEach((path) => {
      if (!hit && test(path.node)) hit = true;
    });
  return hit;
}

/**
 * The update call inside an expression: `await x(…)`, `void x(…)`, `x(…).catch(…)` are all `x(…)` (a `.then` or
 * `.finally` callback does work of its own, so such a call is not unwrapped).
 */
export function callIn(expression: Node): Node {
  let e = expression;
  for (;;) {
    if (e?.type === 'AwaitExpression' || (e?.type === 'UnaryExpression' && e.operator === 'void')) e = e.argument;
    else if (
      e?.type === 'CallExpression' &&
      e.callee.type === 'MemberExpression' &&
      e.callee.property?.name === 'catch' &&
      e.callee.object.type === 'CallExpression'
    )
      e = e.callee.object;
    else return e?.type === 'CallExpression' ? e : undefined;
  }
}

/** The call an expression statement makes (`await post(…);`, `post(…);`, `void post(…).catch(log);`). */
export function callOf(statement: Node): Node {
  return statement?.type === 'ExpressionStatement' ? callIn(statement.expression) : undefined;
}

/** The statements of a block, or the single statement of an unbraced `if`/loop body. */
export function statementsOf(statement: Node): Node[] {
  return statement.type === 'BlockStatement' ? statement.body : [statement];
}
