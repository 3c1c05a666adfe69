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

/**
 * Whether a call reaches a sink: it is one, or it calls a function of the worker whose body holds one, itself or
 * through the functions it calls (three levels: `api.postEvents(…)` → `this.#call(…)` → `fetch(…)`).
 */
function reachesSink(call: Node, sinks: readonly Sink[], depth = 0): boolean {
  if (!Node.isCallExpression(call)) return false;
  const holds = (node: Node) => sinks.some((s) => s.call.getPos() >= node.getPos() && s.call.getEnd() <= node.getEnd());
  if (holds(call)) return true;
  const callee = call.getExpression();
  const name = Node.isPropertyAccessExpression(callee) ? callee.getNameNode() : callee;
  const fn = Node.isIdentifier(name) || Node.isPrivateIdentifier(name) ? functionOf(name) : undefined;
  if (fn === undefined || fn.getSourceFile().isDeclarationFile()) return false;
  if (holds(fn)) return true;
  return depth < 2 && fn.getDescendantsOfKind(SyntaxKind.CallExpression).some((c) => reachesSink(c, sinks, depth + 1));
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
      // `buf.splice(0, buf.length)`: part of the swap or reset it is an argument of.
      const splice = parent.getFirstAncestor(Node.isCallExpression);
      const spliced = splice?.getExpression();
      if (
        Node.isPropertyAccessExpression(spliced) &&
        spliced.getName() === 'splice' &&
        spliced.getExpression().getText() === ref.getText()
      )
        return Node.isVariableDeclaration(splice?.getParent()) ? 'swap' : 'reset';
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

/** The call a value is handed to that reaches a sink, through the calls that build its arguments (`JSON.stringify`). */
function postingCall(ref: Node, sinks: readonly Sink[]): Node | undefined {
  let call = callTaking(ref);
  for (let depth = 0; call && depth < 4; depth++, call = callTaking(call)) if (reachesSink(call, sinks)) return call;
  return undefined;
}

/**
 * The calls that post the buffer: handed the buffer itself, or the name a swap hands it to (`const batch = pending;
 * pending = []`), each with the reference it takes; or why the swap's batch is used for more than its post.
 */
function postsOf(buffer: OutcomeBuffer, sinks: readonly Sink[]): Array<{ post: Node; batch: Node }> | string {
  const posts = buffer.uses
    .filter((u) => u.kind === 'post')
    .map((u) => ({ post: callTaking(u.node) as Node, batch: u.node }));
  for (const swap of buffer.uses.filter((u) => u.kind === 'swap')) {
    const alias = swap.node.getFirstAncestor(Node.isVariableDeclaration)?.getNameNode();
    if (!Node.isIdentifier(alias)) continue;
    for (const ref of alias.findReferencesAsNodes()) {
      const call = ref === alias ? undefined : postingCall(ref, sinks);
      if (call) posts.push({ post: call, batch: ref });
      else if (ref !== alias && !Node.isPropertyAccessExpression(ref.getParent()))
        return `the batch \`${alias.getText()}\` a swap takes is used at line ${ref.getStartLineNumber()} for more than its post`;
    }
  }
  return posts;
}

/** The one call that posts the buffer, and the reference to the batch it takes. */
export function postOf(buffer: OutcomeBuffer, sinks: readonly Sink[]): { post: Node; batch: Node } | undefined {
  const found = postsOf(buffer, sinks);
  return typeof found !== 'string' && found.length === 1 ? found[0] : undefined;
}

/** Whether `node` lies within `scope`. */
function within(node: Node, scope: Node): boolean {
  return node.getPos() >= scope.getPos() && node.getEnd() <= scope.getEnd();
}

/** A name never assigned after its declaration (a `const`, a parameter or a `let` written once). */
function unchanged(declaration: Node): boolean {
  if (Node.isVariableDeclaration(declaration) && declaration.getVariableStatement()?.getDeclarationKind() === 'const')
    return true;
  const name = (declaration as Node & { getNameNode?(): Node }).getNameNode?.();
  if (name === undefined || !Node.isIdentifier(name)) return Node.isFunctionDeclaration(declaration);
  return name.findReferencesAsNodes().every((ref) => {
    const parent = ref.getParent();
    if (Node.isBinaryExpression(parent) && parent.getLeft() === ref)
      return !/^(=|\+=|-=|\*=|\/=|%=|\|\|=|&&=|\?\?=)$/.test(parent.getOperatorToken().getText());
    return !(Node.isPostfixUnaryExpression(parent) || Node.isPrefixUnaryExpression(parent)) || ref === name;
  });
}

/**
 * Why the buffer cannot go, with the use or line that holds it, or undefined when the model proves it inert: every
 * use is plumbing (push, swap, reset, post, guard), the buffer lives and dies with `processCampaign` (a local of its
 * body), it is posted at one place, and the server that post names (its client, URL and headers) reads only names in
 * scope at every push and never reassigned, so each push could record its event to that server itself.
 */
export function removalBlocker(
  buffer: OutcomeBuffer,
  processCampaignBody: Node,
  sinks: readonly Sink[],
): string | undefined {
  const other = buffer.uses.filter((u) => u.kind === 'other').map((u) => u.line);
  if (other.length > 0) return `not plumbing at line ${other.join(', ')}`;
  const first = buffer.uses[0]?.node;
  const name = first && (Node.isPropertyAccessExpression(first) ? first.getNameNode() : first);
  const declaration = name?.getSymbol()?.getDeclarations()[0];
  if (declaration === undefined || !Node.isVariableDeclaration(declaration))
    return 'it is a property, which code outside processCampaign may read';
  if (!within(declaration, processCampaignBody))
    return `it is declared outside processCampaign (line ${declaration.getStartLineNumber()}), where other code may read it`;
  const found = postsOf(buffer, sinks);
  if (typeof found === 'string') return found;
  const posts = found.map((p) => p.post);
  if (posts.length !== 1)
    return posts.length === 0
      ? 'no post of it reaches an update call the model follows'
      : `it is posted at ${posts.length} places (line ${posts.map((p) => p.getStartLineNumber()).join(', ')})`;
  const post = posts[0] as Node;
  const pushes = buffer.uses.filter((u) => u.kind === 'push');
  for (const id of post.getDescendantsOfKind(SyntaxKind.Identifier)) {
    const parent = id.getParent();
    if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === id) continue;
    if (Node.isPropertyAssignment(parent) && parent.getNameNode() === id) continue;
    const symbol = Node.isShorthandPropertyAssignment(parent) ? parent.getValueSymbol() : id.getSymbol();
    const target = symbol?.getDeclarations()[0];
    if (target === undefined || target.getSourceFile().isDeclarationFile()) continue;
    if (target === declaration) continue;
    const scope = target.getFirstAncestor(
      (a) => Node.isBlock(a) || Node.isSourceFile(a) || Node.isFunctionLikeDeclaration(a),
    );
    const swap =
      Node.isVariableDeclaration(target) && buffer.uses.some((u) => u.kind === 'swap' && within(u.node, target));
    if (swap) continue;
    const at = `\`${id.getText()}\` (line ${id.getStartLineNumber()})`;
    if (scope === undefined || pushes.some((p) => !within(p.node, scope)))
      return `the server its post names reads ${at}, which is not in scope at the push`;
    if (!unchanged(target)) return `the server its post names reads ${at}, which is assigned again`;
    // A name declared after a push is not yet initialised when the push runs.
    if (Node.isVariableDeclaration(target) && pushes.some((p) => p.node.getPos() < target.getPos()))
      return `the server its post names reads ${at}, which is declared after a push`;
  }
  return undefined;
}
