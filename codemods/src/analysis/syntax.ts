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

/** The call an expression statement makes, awaited or not (`await post(…);`, `post(…);`). */
export function callOf(statement: Node): Node {
  if (statement?.type !== 'ExpressionStatement') return undefined;
  const expression =
    statement.expression.type === 'AwaitExpression' ? statement.expression.argument : statement.expression;
  return expression?.type === 'CallExpression' ? expression : undefined;
}

/** The statements of a block, or the single statement of an unbraced `if`/loop body. */
export function statementsOf(statement: Node): Node[] {
  return statement.type === 'BlockStatement' ? statement.body : [statement];
}
