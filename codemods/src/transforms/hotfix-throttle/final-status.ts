import type { ASTPath, CallExpression, Collection, JSCodeshift } from 'jscodeshift';
import { isFunction, isLoop, type Node, placeOf } from '../../analysis/syntax.js';

// A terminal state, named as a literal: `{ state: 'completed' }`, `status('failed')`, `report('cancelled')`.
const TERMINAL = /['"`](completed|failed|cancelled)['"`]/;

/** The name a function is declared under (`function report`, `const report = …`), if any. */
export function functionName(fn: ASTPath): string | undefined {
  if (fn.node.type === 'FunctionDeclaration') return (fn.node as Node).id?.name;
  return fn.parent?.node.type === 'VariableDeclarator' ? fn.parent.node.id.name : undefined;
}

/**
 * The calls that send a campaign's terminal status: status updates, or calls of a function of the file that sends
 * one (`report('completed')`), whose arguments name a terminal state; when none names one (`State.Completed`), the
 * last status sent outside a loop.
 */
export function terminalStatusCalls(
  j: JSCodeshift,
  root: Collection,
  statusCalls: ASTPath<CallExpression>[],
): ASTPath<CallExpression>[] {
  const reporters = new Set<string>();
  for (const call of statusCalls) {
    const fn = j(call).closest(j.Function);
    const name = fn.length > 0 ? functionName(fn.paths()[0] as ASTPath) : undefined;
    if (name && !/processCampaign/.test(name)) reporters.add(name);
  }
  const reporterCalls = root
    .find(j.CallExpression, { callee: { type: 'Identifier' } })
    .filter((path) => reporters.has((path.node.callee as Node).name))
    .paths();
  const candidates = [...statusCalls, ...reporterCalls];
  const named = candidates.filter((call) => call.node.arguments.some((arg) => TERMINAL.test(j(arg).toSource())));
  if (named.length > 0) return named;
  // The state is not written out (`State.Completed`, `finalState`): the last status sent outside any loop.
  const position = (call: ASTPath) => {
    const start = (call.node as Node).loc?.start;
    return (start?.line ?? 0) * 1e6 + (start?.column ?? 0);
  };
  const last = candidates
    .filter((call) => !insideLoop(call))
    .sort((a, b) => position(a) - position(b))
    .at(-1);
  return last ? [last] : [];
}

/** Whether a call sits in a loop of its own function (a progress status, not the final one). */
function insideLoop(call: ASTPath): boolean {
  for (let path = call.parent; path; path = path.parent) {
    if (isFunction(path.node)) return false;
    if (isLoop(path.node)) return true;
  }
  return false;
}

/**
 * `await updateThrottle.flush()` before each terminal status, so what the throttle holds is delivered first and
 * nothing is left behind when the worker stops after it. Where that cannot be written (the status is sent from an
 * expression, or from a function that cannot await), a TODO and a note for the report.
 */
export function flushBeforeTerminalStatus(j: JSCodeshift, calls: ASTPath[], flush: string, notes: string[]): void {
  const done = new Set<Node>();
  for (const call of calls) {
    const { statement, fn } = placeOf(call);
    if (statement && done.has(statement.node)) continue;
    if (!statement || !fn?.async) {
      const line = (call.node as Node).loc?.start.line;
      notes.push(`line ${line}: a final status is sent where it cannot be awaited: \`${flush}\` before it by hand`);
      const target = (statement ?? j(call).closest(j.Statement).paths()[0])?.node as Node | undefined;
      if (target && !done.has(target)) {
        done.add(target);
        const todo = ` TODO(hotfix-throttle): \`${flush}\` before the final status sent here, where it cannot be awaited.`;
        target.comments = [j.commentLine(todo, true, false), ...(target.comments ?? [])];
      }
      continue;
    }
    done.add(statement.node);
    j(statement).insertBefore(j.template.statement([`${flush}\n`]));
  }
}
