import { callOf, contains, type Node } from '../../analysis/syntax.js';
import type { Migration } from './migration.js';

/** Whether `node` reads the outcome buffer. */
export function usesBuffer(m: Migration, node: Node): boolean {
  return contains(m.j, node, (n) => n.type === 'Identifier' && n.name === m.buffer);
}

/** Whether `node` calls a function that was removed. */
export function callsRemoved(m: Migration, node: Node): boolean {
  return contains(m.j, node, (n) => n.type === 'CallExpression' && m.gone.has(n.callee?.name));
}

/** Whether a statement calls a removed function, or clears a timer (the status timers are gone). */
export function isRemovedCall(m: Migration, statement: Node): boolean {
  const name = callOf(statement)?.callee?.name as string | undefined;
  return name !== undefined && (m.gone.has(name) || /^clear(Interval|Timeout)$/.test(name));
}

const isNull = (node: Node) => node?.type === 'NullLiteral' || (node?.type === 'Literal' && node.value === null);

/** Whether a statement before the loop only existed to post updates: the buffer, a timer, a flush function. */
function postsUpdates(m: Migration, s: Node): boolean {
  const updates = (node: Node) =>
    usesBuffer(m, node) || callsRemoved(m, node) || contains(m.j, node, (n) => m.updateKind(n) !== undefined);
  if (s.type === 'FunctionDeclaration' && updates(s)) {
    m.gone.add(s.id.name);
    return true;
  }
  if (s.type !== 'VariableDeclaration') return false;
  const d = s.declarations[0];
  const name = d?.id?.name as string | undefined;
  const timer = d?.init?.type === 'CallExpression' && /^set(Interval|Timeout)$/.test(d.init.callee.name ?? '');
  const flush = /Function/.test(d?.init?.type ?? '') && updates(d.init);
  const timerSlot = isNull(d?.init) && /timer/i.test(name ?? '');
  if (name === m.buffer || timer || flush || timerSlot) {
    if (name) m.gone.add(name);
    return true;
  }
  return false;
}

/**
 * The statements before the loop without the update plumbing: the buffer, the status timers and the functions that
 * post updates go, and so does, in turn, a function that only calls what went (scheduleFlush → flushBuffer).
 */
export function withoutUpdatePlumbing(m: Migration, statements: Node[]): Node[] {
  let kept = statements;
  for (let size = -1; size !== kept.length; ) {
    size = kept.length;
    kept = kept.filter((s) => !postsUpdates(m, s));
  }
  return kept;
}
