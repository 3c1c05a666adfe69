import { Node, SyntaxKind } from 'ts-morph';
import type { LegacyWorker, WorkerFile } from '../legacy/LegacyWorker.js';
import { headBindings } from '../legacy/loop-body.js';
import type { ProcessCampaign } from '../legacy/process-campaign.js';
import type { RecipientLoop } from '../legacy/recipient-loop.js';
import { typeText } from './type-text.js';

export const FUNCTION_NAME = 'processSingleRecipientOptimized';

/** How the extracted function is called and declared: its parameters, the loop's arguments, what it leaves out. */
export interface RecipientCall {
  readonly params: string;
  readonly args: string;
  /** The body's first statement, when it takes the recipient (`const r = list[i]`): it becomes the argument. */
  readonly taken: Node | undefined;
  /** Declared before the loop when the loop has no index of its own. */
  readonly counter: string | undefined;
}

/** A name no identifier of the file uses, so the new parameter or counter shadows nothing the moved code reads. */
function freeName(file: Node, wanted: string): string {
  const taken = new Set(file.getDescendantsOfKind(SyntaxKind.Identifier).map((id) => id.getText()));
  let name = wanted;
  for (let n = 2; taken.has(name); n++) name = `${wanted}${n}`;
  return name;
}

/** A binding written so its text is also an expression: a name, or `[a, b]` / `{ a, b }` of names. */
function isPlain(name: Node): boolean {
  if (Node.isIdentifier(name)) return true;
  if (Node.isArrayBindingPattern(name)) return name.getElements().every((e) => Node.isBindingElement(e) && isBare(e));
  if (Node.isObjectBindingPattern(name)) return name.getElements().every(isBare);
  return false;
}

function isBare(element: Node): boolean {
  return (
    Node.isBindingElement(element) &&
    element.getInitializer() === undefined &&
    element.getPropertyNameNode() === undefined &&
    element.getDotDotDotToken() === undefined &&
    Node.isIdentifier(element.getNameNode())
  );
}

/** The recipient a loop hands its body: its head's binding, or the body's first `const r = …`. */
function recipientOf(
  recipientLoop: RecipientLoop,
  statements: Node[],
): { name: Node; value: string; taken?: Node } | string {
  const { loop } = recipientLoop;
  if (Node.isForOfStatement(loop)) {
    const initializer = loop.getInitializer();
    if (!Node.isVariableDeclarationList(initializer) || initializer.getDeclarations().length !== 1)
      return 'the loop assigns its recipient to a variable declared elsewhere';
    const name = initializer.getDeclarations()[0]?.getNameNode() as Node;
    if (!isPlain(name)) return 'the loop destructures its recipient with defaults or renames';
    return { name, value: name.getText() };
  }
  const first = statements[0];
  const declarations = Node.isVariableStatement(first) ? first.getDeclarations() : [];
  const declaration = declarations[0];
  const value = declaration?.getInitializer();
  if (
    !Node.isVariableStatement(first) ||
    first.getDeclarationKind() === 'var' ||
    declarations.length !== 1 ||
    value === undefined ||
    !isPlain(declaration?.getNameNode() as Node)
  )
    return 'the loop body does not start by taking its recipient (`const recipient = …`)';
  return { name: declaration?.getNameNode() as Node, value: value.getText(), taken: first };
}

/**
 * How `processSingleRecipientOptimized(recipient, ctx)` is declared and called for a loop; `ctx` carries the
 * campaign and the recipient's index (the loop's own index, else a counter). In TypeScript the parameters are
 * annotated with the types the checker gives the loop's bindings. A string says why it cannot be.
 */
export function recipientCall(
  worker: LegacyWorker,
  file: WorkerFile,
  found: ProcessCampaign,
  recipientLoop: RecipientLoop,
  statements: Node[],
): RecipientCall | string {
  const recipient = recipientOf(recipientLoop, statements);
  if (typeof recipient === 'string') return recipient;
  const heads = Node.isForStatement(recipientLoop.loop) ? headBindings(recipientLoop.loop) : [];
  if (heads.length > 1) return "the loop's head declares more than one binding";
  const index = heads[0]?.getText();
  const source = recipientLoop.loop.getSourceFile();
  const counter = freeName(source, 'recipientIndex');
  const campaign = found.campaign?.name;
  const ctxFields = [campaign ? `campaign${campaign === 'campaign' ? '' : `: ${campaign}`}` : undefined];
  ctxFields.push(index ? `index: ${index}` : `index: ${counter}++`);
  const args = `${recipient.value}, { ${ctxFields.filter(Boolean).join(', ')} }`;
  let recipientParam = recipient.name.getText();
  let ctxParam = index ? `{ index: ${index} }` : freeName(source, 'ctx');
  if (file.format === 'ts') {
    const at = recipientLoop.statement;
    const type = typeText(recipient.name, at, file, worker);
    if (type === undefined) return "the recipient's type is declared outside the worker and cannot be named here";
    recipientParam += `: ${type}`;
    ctxParam += `: { ${campaign ? `campaign: typeof ${campaign}; ` : ''}index: number }`;
  }
  return {
    params: `${recipientParam}, ${ctxParam}`,
    args,
    taken: recipient.taken,
    counter: index ? undefined : `let ${counter} = 0;`,
  };
}

/** Whether a statement paces the loop (`await sleep(gap)`, `await new Promise((r) => setTimeout(r, gap))`). */
export function isPacing(statement: Node): boolean {
  const inner =
    Node.isIfStatement(statement) && statement.getElseStatement() === undefined
      ? statement.getThenStatement()
      : statement;
  const expression = Node.isExpressionStatement(inner) ? inner.getExpression() : undefined;
  if (!Node.isAwaitExpression(expression)) return false;
  const text = expression.getExpression().getText();
  return /\bsetTimeout\b/.test(text) || /^(this\.)?\w*(sleep|wait|delay|pause|pace)\w*\s*\(/i.test(text);
}

/** Whether a statement reads a name declared in a block (so it cannot leave it). */
export function readsLocals(statement: Node, block: Node): boolean {
  return statement
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .some((id) =>
      (id.getSymbol()?.getDeclarations() ?? []).some(
        (d) =>
          d.getPos() >= block.getPos() &&
          d.getEnd() <= block.getEnd() &&
          !(d.getPos() >= statement.getPos() && d.getEnd() <= statement.getEnd()),
      ),
    );
}
