import { Node, SyntaxKind } from 'ts-morph';
import type { Sink } from './sinks.js';
import { functionOf } from './url-shape.js';

/** A timer of `processCampaign` that posts a campaign's status (`setInterval(() => putStatus('running'), 30_000)`). */
export interface StatusTimer {
  readonly line: number;
  /** `setInterval` or `setTimeout`. */
  readonly timer: string;
}

const TIMERS = new Set(['setInterval', 'setTimeout']);

/** Whether a function's body holds a status sink, itself or through a function of the worker it calls. */
function postsStatus(fn: Node, sinks: readonly Sink[], depth = 0): boolean {
  const status = sinks.filter((s) => s.kind === 'status' || s.kind === 'either');
  if (status.some((s) => s.call.getPos() >= fn.getPos() && s.call.getEnd() <= fn.getEnd())) return true;
  if (depth >= 2) return false;
  for (const call of fn.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    const name = Node.isPropertyAccessExpression(callee) ? callee.getNameNode() : callee;
    const target = Node.isIdentifier(name) || Node.isPrivateIdentifier(name) ? functionOf(name) : undefined;
    if (target && !target.getSourceFile().isDeclarationFile() && postsStatus(target, sinks, depth + 1)) return true;
  }
  return false;
}

/** The timers `processCampaign`'s body arms whose callback posts a status. */
export function findStatusTimers(body: Node, sinks: readonly Sink[]): StatusTimer[] {
  const found: StatusTimer[] = [];
  for (const call of body.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const timer = call.getExpression().getText();
    if (!TIMERS.has(timer)) continue;
    const [callback] = call.getArguments();
    const fn =
      callback && (Node.isArrowFunction(callback) || Node.isFunctionExpression(callback))
        ? callback
        : callback && Node.isIdentifier(callback)
          ? functionOf(callback)
          : undefined;
    if (fn && postsStatus(fn, sinks)) found.push({ line: call.getStartLineNumber(), timer });
  }
  return found;
}
