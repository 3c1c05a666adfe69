import type { ASTNode, ASTPath, Collection, JSCodeshift } from 'jscodeshift';

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

const FUNCTION = /^(FunctionDeclaration|FunctionExpression|ArrowFunctionExpression|ClassMethod|ObjectMethod)$/;
const LOOP = /^(For|ForIn|ForOf|While|DoWhile)Statement$/;

/** Whether a node is a function of any form (declaration, expression, arrow, method). */
export const isFunction = (node: Node): boolean => FUNCTION.test(node?.type ?? '');

/** Whether a node is a loop statement of any form. */
export const isLoop = (node: Node): boolean => LOOP.test(node?.type ?? '');

/**
 * Where a node sits: the statement it is part of, in a statement list of its own function (`await x(…);`,
 * `return x(…);`, `const ok = await x(…);`), and that function. Either is missing when there is none (an arrow's
 * expression body has no statement; module-level code has no function).
 */
export function placeOf(path: ASTPath): { statement?: ASTPath; fn?: Node } {
  let statement: ASTPath | undefined;
  for (let p: ASTPath | null = path.parent; p; p = p.parent) {
    if (isFunction(p.node)) return statement ? { statement, fn: p.node } : { fn: p.node };
    const container = p.parent?.node as Node;
    if (!statement && (Array.isArray(container?.body) || Array.isArray(container?.consequent))) statement = p;
  }
  return statement ? { statement } : {};
}

/** A value as written: a name is followed to its one declaration (`const eventsUrl = `${base}/…/events``). */
export function followName(j: JSCodeshift, root: Collection, node: Node): Node {
  if (node?.type !== 'Identifier') return node;
  const declared = root.find(j.VariableDeclarator, { id: { type: 'Identifier', name: node.name } }).nodes() as Node[];
  return declared.length === 1 && declared[0].init ? declared[0].init : node;
}

/** The value of an object literal's property (`{ body: … }`, `{ 'headers': … }`), if it is one that has it. */
export function propertyValue(object: Node, name: string): Node {
  if (object?.type !== 'ObjectExpression') return undefined;
  return object.properties.find((p: Node) => !p.computed && (p.key?.name ?? p.key?.value) === name)?.value;
}
