import { callOf, contains, type Node } from '../../analysis/syntax.js';
import type { Migration } from './migration.js';

/** Whether `node` reads the outcome buffer (or an alias of it). */
export function usesBuffer(m: Migration, node: Node): boolean {
  return contains(m.j, node, (n) => n.type === 'Identifier' && m.buffers.has(n.name));
}

/** Whether a statement calls a removed function, or clears a removed timer. */
export function isRemovedCall(m: Migration, statement: Node): boolean {
  const call = callOf(statement);
  const name = call?.callee?.name as string | undefined;
  if (name === undefined) return false;
  if (m.gone.has(name)) return true;
  const timer = call.arguments[0];
  return /^clear(Interval|Timeout)$/.test(name) && timer?.type === 'Identifier' && m.timers.has(timer.name);
}

/** Whether a list of statements is empty (bare `return;`s count as empty with `returns`). */
export function isEmpty(list: Node[], returns = false): boolean {
  return list.every((s) => s.type === 'EmptyStatement' || (returns && s.type === 'ReturnStatement' && !s.argument));
}

// Calls that compute a value and change nothing (`Math.random()`, `Date.now()`).
const HARMLESS_CALL = /^(Math\.\w+|Date\.now|Number|String|parseInt|parseFloat)$/;

/**
 * Whether an expression can be dropped without changing anything: no assignment, update, await, `new`, or call
 * (with `harmlessCalls`, calls that only compute a value, such as `Math.random()`, are allowed).
 */
export function isPure(m: Migration, node: Node, harmlessCalls = false): boolean {
  return !contains(
    m.j,
    node,
    (n) =>
      /^(NewExpression|AssignmentExpression|UpdateExpression|AwaitExpression|YieldExpression)$/.test(n.type) ||
      (n.type === 'CallExpression' && !(harmlessCalls && HARMLESS_CALL.test(m.j(n.callee).toSource()))),
  );
}

/**
 * A statement that only handles the buffer: its declaration, `buffer = []`, `buffer.length = 0`, `buffer.splice(0)`,
 * or a declaration of an alias (`const batch = buffer.splice(0, 50)`), whose name then counts as the buffer.
 */
export function handlesBufferOnly(m: Migration, s: Node): boolean {
  if (s.type === 'VariableDeclaration') {
    // `let buffer = [], sent = 0`: the buffer's declarator goes, the others stay.
    const kept = s.declarations.filter((d: Node) => !(d.id.type === 'Identifier' && m.buffers.has(d.id.name)));
    if (kept.length === 0) return true;
    if (kept.length < s.declarations.length) s.declarations = kept;
    const [declarator] = kept;
    const init = declarator.init?.type === 'AwaitExpression' ? declarator.init.argument : declarator.init;
    if (kept.length === 1 && declarator.id.type === 'Identifier' && init && usesBuffer(m, init)) {
      if (m.updateKind(init) !== undefined) return false;
      m.buffers.add(declarator.id.name);
      return true;
    }
    return false;
  }
  if (s.type !== 'ExpressionStatement') return false;
  const e = s.expression;
  if (e.type === 'AssignmentExpression') {
    const target = e.left.type === 'MemberExpression' ? e.left.object : e.left;
    return target.type === 'Identifier' && m.buffers.has(target.name);
  }
  if (e.type === 'CallExpression' && e.callee.type === 'MemberExpression') {
    const { object, property } = e.callee;
    return object.type === 'Identifier' && m.buffers.has(object.name) && property.name !== 'push';
  }
  return false;
}
