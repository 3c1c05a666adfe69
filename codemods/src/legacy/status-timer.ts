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

const STATUS_WORDS = /status|progress|running|heartbeat|tick/i;

function holds(fn: Node, sinks: readonly Sink[]): boolean {
  return sinks.some((s) => s.call.getPos() >= fn.getPos() && s.call.getEnd() <= fn.getEnd());
}

/**
 * Whether a function posts a status: it holds a status sink, or calls (two levels deep) a function of the worker
 * that does. A sink whose URL is known only at run time counts when the call leading to it says it is a status (its
 * name or arguments: `putStatus(…)`, `send('status', …)`), so a flush timer is not taken for a status timer.
 */
function postsStatus(fn: Node, sinks: readonly Sink[], depth = 0, said = false): boolean {
  const status = sinks.filter((s) => s.kind === 'status' || (said && s.kind === 'either'));
  if (holds(fn, status)) return true;
  if (depth >= 2) return false;
  for (const call of fn.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    const name = Node.isPropertyAccessExpression(callee) ? callee.getNameNode() : callee;
    const target = Node.isIdentifier(name) || Node.isPrivateIdentifier(name) ? functionOf(name) : undefined;
    const says =
      said || STATUS_WORDS.test(name.getText()) || call.getArguments().some((a) => STATUS_WORDS.test(a.getText()));
    if (target && !target.getSourceFile().isDeclarationFile() && postsStatus(target, sinks, depth + 1, says))
      return true;
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
    const named = callback !== undefined && Node.isIdentifier(callback) && STATUS_WORDS.test(callback.getText());
    if (fn && postsStatus(fn, sinks, 0, named)) found.push({ line: call.getStartLineNumber(), timer });
  }
  return found;
}
