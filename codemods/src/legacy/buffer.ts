import { Node, SyntaxKind } from 'ts-morph';
import type { RecipientLoop } from './recipient-loop.js';
import { ownCalls } from './recipient-loop.js';
import type { Sink } from './sinks.js';
import { functionOf } from './url-shape.js';

/** What one use of the buffer does. */
export type BufferUseKind = 'push' | 'swap' | 'reset' | 'post' | 'guard' | 'other';

export interface BufferUse {
  readonly kind: BufferUseKind;
  readonly line: number;
  readonly node: Node;
}

/** The array a recipient loop fills with outcomes, and every use of it, classified once. */
export interface OutcomeBuffer {
  readonly file: string;
  readonly line: number;
  /** As written at its pushes: `events`, `this.pending`. */
  readonly name: string;
  readonly uses: readonly BufferUse[];
}

/** Whether a call reaches a sink: it is one, or it calls a function of the worker whose body holds one. */
function reachesSink(call: Node, sinks: readonly Sink[]): boolean {
  if (!Node.isCallExpression(call)) return false;
  const holds = (node: Node) => sinks.some((s) => s.call.getPos() >= node.getPos() && s.call.getEnd() <= node.getEnd());
  if (holds(call)) return true;
  const callee = call.getExpression();
  const name = Node.isPropertyAccessExpression(callee) ? callee.getNameNode() : callee;
  const fn = Node.isIdentifier(name) ? functionOf(name) : undefined;
  return fn !== undefined && holds(fn);
}

/** The call a value is handed to, as an argument or inside an object or array literal that is one. */
function callTaking(node: Node): Node | undefined {
  let at: Node = node;
  for (let parent = at.getParent(); parent; at = parent, parent = parent.getParent()) {
    if (Node.isCallExpression(parent)) return parent.getArguments().includes(at as never) ? parent : undefined;
    if (
      !Node.isPropertyAssignment(parent) &&
      !Node.isShorthandPropertyAssignment(parent) &&
      !Node.isObjectLiteralExpression(parent) &&
      !Node.isArrayLiteralExpression(parent)
    )
      return undefined;
  }
  return undefined;
}

function classify(ref: Node, sinks: readonly Sink[]): BufferUseKind {
  const parent = ref.getParent() as Node;
  if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === ref) {
    const member = parent.getName();
    const use = parent.getParent();
    const called = Node.isCallExpression(use) && use.getExpression() === parent;
    if (member === 'push' && called) return 'push';
    if (member === 'length') {
      if (Node.isBinaryExpression(use) && use.getLeft() === parent && use.getOperatorToken().getText() === '=')
        return 'reset';
      return parent.getFirstAncestor((a) => Node.isIfStatement(a) || Node.isConditionalExpression(a))
        ? 'guard'
        : 'other';
    }
    if ((member === 'splice' || member === 'slice') && called) {
      if (Node.isVariableDeclaration(use.getParent())) return 'swap';
      return member === 'splice' && Node.isExpressionStatement(use.getParent()) ? 'reset' : 'other';
    }
    return 'other';
  }
  if (Node.isBinaryExpression(parent) && parent.getLeft() === ref) {
    const right = parent.getRight();
    return Node.isArrayLiteralExpression(right) && right.getElements().length === 0 ? 'reset' : 'other';
  }
  if (Node.isVariableDeclaration(parent) && parent.getInitializer() === ref) return 'swap';
  if (Node.isSpreadElement(parent) && Node.isVariableDeclaration(parent.getParent()?.getParent())) return 'swap';
  const call = callTaking(ref);
  if (call) return reachesSink(call, sinks) ? 'post' : 'other';
  return 'other';
}

/** The references of the buffer, its declaration aside (a variable, or a `this.x` / `this.#x` property). */
function referencesOf(target: Node): Node[] {
  const name = Node.isPropertyAccessExpression(target) ? target.getNameNode() : target;
  if (!Node.isIdentifier(name) && !Node.isPrivateIdentifier(name)) return [];
  return (name as Node & { findReferencesAsNodes(): Node[] })
    .findReferencesAsNodes()
    .map((ref) =>
      Node.isPropertyAccessExpression(ref.getParent()) && Node.isPropertyAccessExpression(target)
        ? (ref.getParent() as Node)
        : ref,
    )
    .filter((ref) => {
      const parent = ref.getParent();
      return !(
        (Node.isVariableDeclaration(parent) || Node.isPropertyDeclaration(parent)) &&
        parent.getNameNode() === (Node.isPropertyAccessExpression(ref) ? ref.getNameNode() : ref)
      );
    });
}

/**
 * The outcome buffer of a recipient loop: the array its body pushes into (directly, not through a reporter's
 * method), with each use classified: push, swap (`const batch = pending`, a copy by `slice`/`splice`), reset
 * (`= []`, `length = 0`, `splice`), post (handed to a sink or to a helper that holds one), guard (`length` read in
 * a condition), other.
 */
export function findOutcomeBuffer(recipientLoop: RecipientLoop, sinks: readonly Sink[]): OutcomeBuffer | undefined {
  const body = (recipientLoop.loop as Node & { getStatement(): Node }).getStatement();
  for (const call of ownCalls(body)) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'push') continue;
    const target = callee.getExpression();
    if (
      !Node.isIdentifier(target) &&
      !(Node.isPropertyAccessExpression(target) && target.getExpression().getKind() === SyntaxKind.ThisKeyword)
    )
      continue;
    const uses = referencesOf(target).map((ref) => ({
      kind: classify(ref, sinks),
      line: ref.getStartLineNumber(),
      node: ref,
    }));
    if (!uses.some((u) => u.kind === 'post' || u.kind === 'swap')) continue;
    return { file: recipientLoop.file, line: call.getStartLineNumber(), name: target.getText(), uses };
  }
  return undefined;
}
