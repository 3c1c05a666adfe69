import { Node, SyntaxKind } from 'ts-morph';
import { isFunctionLike } from './recipient-loop.js';

/** What the body of a loop does that moving it into a function of its own would change, or must adapt. */
export interface LoopBody {
  /** `continue` statements that go on with this loop: in a function of their own they become `return`. */
  readonly continues: readonly Node[];
  /** Why the body cannot be moved, when it cannot: a jump out of it, a `yield`, a loop-head binding assigned… */
  readonly blocker: string | undefined;
}

function isLoop(node: Node): boolean {
  return (
    Node.isForOfStatement(node) ||
    Node.isForInStatement(node) ||
    Node.isForStatement(node) ||
    Node.isWhileStatement(node) ||
    Node.isDoStatement(node)
  );
}

/** The labels declared inside the body, which its own `break label` and `continue label` may target. */
function innerLabels(body: Node): Set<string> {
  return new Set(body.getDescendantsOfKind(SyntaxKind.LabeledStatement).map((l) => l.getLabel().getText()));
}

/** Whether an unlabelled `break` or `continue` at `node` is taken by a statement inside the body. */
function caughtInside(node: Node, body: Node, isBreak: boolean): boolean {
  for (let at = node.getParent(); at !== undefined && at !== body; at = at.getParent()) {
    if (isLoop(at) || (isBreak && Node.isSwitchStatement(at))) return true;
  }
  return false;
}

/** The names a loop's head declares with `let` or `const` (`i` of `for (let i = 0; …)`, `r` of `for (const r of …)`). */
export function headBindings(loop: Node): Node[] {
  const initializer = (loop as Node & { getInitializer?(): Node | undefined }).getInitializer?.();
  if (!Node.isVariableDeclarationList(initializer)) return [];
  if (initializer.getDeclarationKind() === 'var') return [];
  return initializer.getDeclarations().flatMap((d) => {
    const name = d.getNameNode();
    return Node.isIdentifier(name) ? [name] : name.getDescendantsOfKind(SyntaxKind.Identifier);
  });
}

/**
 * Reads a loop's body for its extraction into a function: which `continue`s go on with this loop, and what forbids
 * the move (a `break`, `return` or `continue` that leaves the loop or targets an outer one, a `yield`, an
 * assignment to a binding of the loop's head, a `var` of the body read after it).
 */
export function readLoopBody(loop: Node, body: Node, label: string | undefined): LoopBody {
  const labels = innerLabels(body);
  const continues: Node[] = [];
  let blocker: string | undefined;
  const block = (why: string) => {
    blocker ??= why;
  };
  const heads = new Set(headBindings(loop).map((n) => n.getSymbol()));
  body.forEachDescendant((node, traversal) => {
    if (isFunctionLike(node) || Node.isClassDeclaration(node) || Node.isClassExpression(node)) {
      traversal.skip();
      return;
    }
    if (Node.isReturnStatement(node)) block(`line ${node.getStartLineNumber()} returns from processCampaign`);
    else if (Node.isYieldExpression(node)) block(`line ${node.getStartLineNumber()} yields`);
    else if (Node.isBreakStatement(node) || Node.isContinueStatement(node)) {
      const target = node.getLabel()?.getText();
      const isBreak = Node.isBreakStatement(node);
      const inside = target === undefined ? caughtInside(node, body, isBreak) : labels.has(target);
      if (inside) return;
      if (!isBreak && (target === undefined || target === label)) continues.push(node);
      else block(`\`${node.getText()}\` at line ${node.getStartLineNumber()} leaves the loop`);
    } else if (
      Node.isBinaryExpression(node) ||
      Node.isPrefixUnaryExpression(node) ||
      Node.isPostfixUnaryExpression(node)
    ) {
      const target = Node.isBinaryExpression(node) ? node.getLeft() : node.getOperand();
      const assigns = Node.isBinaryExpression(node)
        ? node.getOperatorToken().getKind() >= SyntaxKind.FirstAssignment &&
          node.getOperatorToken().getKind() <= SyntaxKind.LastAssignment
        : [SyntaxKind.PlusPlusToken, SyntaxKind.MinusMinusToken].includes(node.getOperatorToken());
      if (assigns && Node.isIdentifier(target) && heads.has(target.getSymbol()))
        block(`line ${node.getStartLineNumber()} assigns \`${target.getText()}\`, a binding of the loop's head`);
    } else if (Node.isVariableDeclarationList(node) && node.getDeclarationKind() === 'var') {
      for (const declaration of node.getDeclarations()) {
        const name = declaration.getNameNode();
        if (!Node.isIdentifier(name)) continue;
        const outside = name
          .findReferencesAsNodes()
          .some((ref) => ref.getSourceFile() === body.getSourceFile() && !isWithin(ref, body));
        if (outside) block(`\`var ${name.getText()}\` is declared in the loop and read after it`);
      }
    }
  });
  return { continues, blocker };
}

function isWithin(node: Node, container: Node): boolean {
  return node.getPos() >= container.getPos() && node.getEnd() <= container.getEnd();
}
