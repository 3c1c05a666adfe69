import { type CallExpression, Node } from 'ts-morph';
import { functionOf } from './url-shape.js';

/** How a recipient loop is written. */
export type LoopForm = 'for-of' | 'for-await' | 'for' | 'while' | 'do-while';

/** The loop of a `processCampaign` that sends the mail, one recipient an iteration. */
export interface RecipientLoop {
  readonly file: string;
  readonly line: number;
  readonly form: LoopForm;
  /** The iteration statement. */
  readonly loop: Node;
  /** What stands for the loop in its block: its labelled statement when it has a label, else the loop. */
  readonly statement: Node;
  readonly label: string | undefined;
  /** The call that sends the mail, in the body or in a helper the body calls. */
  readonly sends: CallExpression;
}

/** The names mail APIs send with (nodemailer's `sendMail`, a promisified `send`, a `deliver`). */
const MAIL_CALL = /^(sendMail|sendEmail|sendMessage|send|deliver|deliverMail)$/;

function calleeName(call: CallExpression): string | undefined {
  const callee = call.getExpression();
  if (Node.isIdentifier(callee)) return callee.getText();
  if (Node.isPropertyAccessExpression(callee)) return callee.getName();
  return undefined;
}

/** Whether a node is a function (its body runs at another time than the code around it). */
export function isFunctionLike(node: Node): boolean {
  return (
    Node.isFunctionDeclaration(node) ||
    Node.isFunctionExpression(node) ||
    Node.isArrowFunction(node) ||
    Node.isMethodDeclaration(node) ||
    Node.isGetAccessorDeclaration(node) ||
    Node.isSetAccessorDeclaration(node) ||
    Node.isConstructorDeclaration(node)
  );
}

/** The calls of a body that run with it: those inside nested functions run at another time. */
export function ownCalls(body: Node): CallExpression[] {
  const calls: CallExpression[] = [];
  body.forEachDescendant((node, traversal) => {
    if (isFunctionLike(node)) traversal.skip();
    else if (Node.isCallExpression(node)) calls.push(node);
  });
  return calls;
}

/** The call that sends mail, made by a body directly or by a helper of the worker it calls (two levels deep). */
function mailCall(body: Node, depth = 0): CallExpression | undefined {
  for (const call of ownCalls(body)) {
    const name = calleeName(call);
    if (name !== undefined && MAIL_CALL.test(name)) return call;
  }
  if (depth >= 2) return undefined;
  for (const call of ownCalls(body)) {
    const callee = call.getExpression();
    const name = Node.isPropertyAccessExpression(callee) ? callee.getNameNode() : callee;
    if (!Node.isIdentifier(name)) continue;
    const fn = functionOf(name);
    const fnBody = (fn as (Node & { getBody?(): Node | undefined }) | undefined)?.getBody?.();
    if (fnBody && !fnBody.getSourceFile().isDeclarationFile() && mailCall(fnBody, depth + 1)) return call;
  }
  return undefined;
}

function formOf(loop: Node): LoopForm | undefined {
  if (Node.isForOfStatement(loop)) return loop.isAwaited() ? 'for-await' : 'for-of';
  if (Node.isForStatement(loop)) return 'for';
  if (Node.isWhileStatement(loop)) return 'while';
  if (Node.isDoStatement(loop)) return 'do-while';
  return undefined;
}

/**
 * The recipient loop of a `processCampaign` body: the innermost loop (`for…of`, `for await`, indexed `for`,
 * `while`, `do…while`, labelled or not) whose own body sends mail, directly or through a helper. Mail sent from a
 * callback (`wave.map(sendOne)`) is not a loop's own: such a loop sends several recipients an iteration.
 */
export function findRecipientLoop(body: Node, file: string): RecipientLoop | undefined {
  if (!found.has(body)) found.set(body, search(body, file));
  return found.get(body);
}

const found = new WeakMap<Node, RecipientLoop | undefined>();

function search(body: Node, file: string): RecipientLoop | undefined {
  const loops: Node[] = [];
  body.forEachDescendant((node, traversal) => {
    if (isFunctionLike(node)) traversal.skip();
    else if (formOf(node) !== undefined) loops.push(node);
  });
  // Innermost first: a loop over pages or chunks holds the loop over their recipients.
  for (const loop of loops.reverse()) {
    const form = formOf(loop) as LoopForm;
    const loopBody = (loop as Node & { getStatement(): Node }).getStatement();
    const sends = mailCall(loopBody);
    if (sends === undefined) continue;
    const parent = loop.getParent();
    const labelled = Node.isLabeledStatement(parent) ? parent : undefined;
    return {
      file,
      line: loop.getStartLineNumber(),
      form,
      loop,
      statement: labelled ?? loop,
      label: labelled?.getLabel().getText(),
      sends,
    };
  }
  return undefined;
}
