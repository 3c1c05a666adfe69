import type { Node } from '../../analysis/syntax.js';
import type { Migration } from './migration.js';
import { rewriteStatements } from './rewrite.js';
import { setStatusFor } from './status.js';

/** The function a statement declares: `function flush() {}`, `const report = (state) => …`. */
export function declaredFunction(s: Node): { name: string; fn: Node } | undefined {
  if (s.type === 'FunctionDeclaration' && s.id) return { name: s.id.name, fn: s };
  const [declarator] = s.type === 'VariableDeclaration' && s.declarations.length === 1 ? s.declarations : [];
  if (
    declarator?.id.type === 'Identifier' &&
    /^(ArrowFunctionExpression|FunctionExpression)$/.test(declarator.init?.type)
  )
    return { name: declarator.id.name, fn: declarator.init };
  return undefined;
}

/** Rewrites a function's body in place: status updates become `setStatus`; event posts and plumbing go. */
function rewriteFunction(m: Migration, fn: Node): void {
  if (fn.body.type === 'BlockStatement') {
    fn.body.body = rewriteStatements(m, fn.body.body, false);
    return;
  }
  // An expression body: `(state) => reportStatus(…)`.
  const body = fn.body.type === 'AwaitExpression' ? fn.body.argument : fn.body;
  if (m.updateKind(body) !== 'status') return;
  const statement = setStatusFor(m, body, false);
  fn.body = statement.comments ? m.j.blockStatement([statement]) : statement.expression;
}

/** The functions declared before the loop: those that were only plumbing go, the others are rewritten. */
export function rewriteLocalFunctions(m: Migration, statements: Node[]): Node[] {
  return statements.filter((s) => {
    const declared = declaredFunction(s);
    if (declared && m.gone.has(declared.name)) return false;
    if (declared) rewriteFunction(m, declared.fn);
    return true;
  });
}

/** The callbacks of the timers that stay (a status interval): rewritten, their status now going to `setStatus`. */
export function rewriteTimerCallbacks(m: Migration, body: Node): void {
  const { j } = m;
  j(body)
    .find(j.CallExpression, { callee: { type: 'Identifier' } })
    .filter((path) => /^set(Interval|Timeout)$/.test((path.node.callee as Node).name))
    .filter((path) => !m.droppedTimers.has(path.node))
    .forEach((path) => {
      const callback = path.node.arguments[0] as Node;
      if (/Function/.test(callback?.type ?? '')) rewriteFunction(m, callback);
    });
}
