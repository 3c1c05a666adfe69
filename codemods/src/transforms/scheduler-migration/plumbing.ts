import { type Node, statementsOf } from '../../analysis/syntax.js';
import { declaredFunction } from './local-functions.js';
import type { Migration } from './migration.js';
import { isPure, usesBuffer } from './removed-code.js';

const TIMER = /^set(Interval|Timeout)$/;
const CLEAR = /^clear(Interval|Timeout)$/;

interface Candidates {
  /** Functions declared before the loop, by name. */
  readonly functions: Map<string, Node>;
  /** `setTimeout`/`setInterval` calls, with the variable each is kept in (if any). */
  readonly timers: Map<Node, string | undefined>;
}

/**
 * Decides what of processCampaign's update plumbing goes: the functions declared before the loop and the timers
 * that do nothing but post events, handle the buffer, call each other, and clear or re-arm each other's timers
 * (flushBuffer, scheduleFlush, a flush interval). It starts from "all of them go" and keeps whatever does
 * something else (a status, now `setStatus`; any other work), until that settles, so plumbing that refers to
 * itself in a circle goes as a whole. Fills `m.gone`, `m.droppedTimers` and `m.timers`.
 */
export function settlePlumbing(m: Migration, before: Node[], body: Node): void {
  const { j } = m;
  const candidates: Candidates = { functions: new Map(), timers: new Map() };
  for (const s of before) {
    const declared = declaredFunction(s);
    if (declared) candidates.functions.set(declared.name, declared.fn);
  }
  j(body)
    .find(j.CallExpression, { callee: { type: 'Identifier' } })
    .filter((path) => TIMER.test((path.node.callee as Node).name))
    .forEach((path) => {
      const parent = path.parent.node as Node;
      const slot =
        parent.type === 'VariableDeclarator'
          ? parent.id.name
          : parent.type === 'AssignmentExpression'
            ? parent.left.name
            : undefined;
      candidates.timers.set(path.node, slot);
    });

  const goneFunctions = new Set(candidates.functions.keys());
  const goneTimers = new Set(candidates.timers.keys());
  // A timer variable goes when every timer kept in it goes.
  const goneSlot = (name: string) => {
    const timers = [...candidates.timers].filter(([, slot]) => slot === name);
    return timers.length > 0 && timers.every(([timer]) => goneTimers.has(timer));
  };
  const harmless = (node: Node) => isPure(m, node, true);

  /** Whether an expression, as a statement, only posts events or works the plumbing. */
  const plumbingExpression = (e: Node): boolean => {
    const expression = e?.type === 'AwaitExpression' ? e.argument : e;
    if (!expression) return true;
    if (goneTimers.has(expression)) return true;
    if (expression.type === 'CallExpression') {
      if (m.updateKind(expression) === 'events') return true;
      const name = expression.callee.name as string | undefined;
      if (name !== undefined && goneFunctions.has(name)) return true;
      const timer = expression.arguments[0];
      if (name !== undefined && CLEAR.test(name) && timer?.type === 'Identifier') return goneSlot(timer.name);
      const { callee } = expression;
      // buffer.splice(0), buffer.length = 0 are handled below; push is a record.
      return (
        callee.type === 'MemberExpression' &&
        callee.object.type === 'Identifier' &&
        m.buffers.has(callee.object.name) &&
        callee.property.name !== 'push'
      );
    }
    if (expression.type === 'AssignmentExpression') {
      const target = expression.left.type === 'MemberExpression' ? expression.left.object : expression.left;
      if (target.type !== 'Identifier') return false;
      if (m.buffers.has(target.name)) return true;
      return goneSlot(target.name) && (goneTimers.has(expression.right) || harmless(expression.right));
    }
    return false;
  };

  /** Whether one statement (not a declaration) only posts events or works the plumbing. */
  const plumbingStatement = (s: Node): boolean => {
    if (s.type === 'EmptyStatement') return true;
    if (s.type === 'ReturnStatement') return !s.argument || plumbingExpression(s.argument);
    if (s.type === 'ExpressionStatement') return plumbingExpression(s.expression);
    if (s.type === 'IfStatement')
      return (
        (harmless(s.test) || usesBuffer(m, s.test)) &&
        plumbingOnly(statementsOf(s.consequent)) &&
        (!s.alternate || plumbingOnly(statementsOf(s.alternate)))
      );
    if (s.type === 'TryStatement')
      return (
        plumbingOnly(s.block.body) &&
        (!s.handler || plumbingOnly(s.handler.body.body)) &&
        (!s.finalizer || plumbingOnly(s.finalizer.body))
      );
    return false;
  };

  /**
   * Whether statements only post events or work the plumbing. A local counts as plumbing when only plumbing reads
   * it (`const wait = 10000 + Math.random() * 15000` before a flush timer).
   */
  const plumbingOnly = (list: Node[]): boolean => {
    const staying = list.filter((s) => s.type !== 'VariableDeclaration' && !plumbingStatement(s));
    if (staying.length > 0) return false;
    const declarations = list.filter((s) => s.type === 'VariableDeclaration');
    return declarations.every((s) =>
      s.declarations.every((d: Node) => {
        if (d.id.type !== 'Identifier') return false;
        if (m.buffers.has(d.id.name) || (d.init && usesBuffer(m, d.init) && m.updateKind(d.init) === undefined))
          return true;
        if (d.init && goneTimers.has(d.init)) return true;
        // Read only by the plumbing, which goes with it (the other declarations here go too, or the list stays).
        return !d.init || harmless(d.init);
      }),
    );
  };

  const functionIsPlumbing = (fn: Node): boolean =>
    fn.body.type === 'BlockStatement' ? plumbingOnly(fn.body.body) : plumbingExpression(fn.body);

  for (let changed = true; changed; ) {
    changed = false;
    for (const name of [...goneFunctions]) {
      if (!functionIsPlumbing(candidates.functions.get(name))) {
        goneFunctions.delete(name);
        changed = true;
      }
    }
    for (const timer of [...goneTimers]) {
      const callback = timer.arguments[0];
      const plumbing =
        callback?.type === 'Identifier'
          ? goneFunctions.has(callback.name)
          : /Function/.test(callback?.type ?? '') && functionIsPlumbing(callback);
      if (!plumbing) {
        goneTimers.delete(timer);
        changed = true;
      }
    }
  }
  for (const name of goneFunctions) m.gone.add(name);
  for (const timer of goneTimers) m.droppedTimers.add(timer);
  for (const slot of new Set(candidates.timers.values())) if (slot && goneSlot(slot)) m.timers.add(slot);
}
