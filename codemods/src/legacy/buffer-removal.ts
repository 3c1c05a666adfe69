import { Node, SyntaxKind } from 'ts-morph';
import { findOutcomeBuffer, type OutcomeBuffer, postOf, removalBlocker } from './buffer.js';
import type { LegacyWorker } from './LegacyWorker.js';
import { findRecipientLoop, isFunctionLike } from './recipient-loop.js';
import type { Sink } from './sinks.js';

/**
 * How an outcome buffer the model proved inert goes: each push becomes the post its flush made, of that one event
 * (`pending.push(e)` → `await api.post(url, { events: [e] })`, so the event reaches the server the flush named);
 * the flush function, the buffer, the flush timers and the conditions that only fed them are deleted.
 */
export interface BufferRemoval {
  readonly file: string;
  readonly line: number;
  readonly name: string;
  /**
   * Each push statement, and the event it pushes; `guarded` when it sits in the `try` block of a `try … catch`
   * (a push never threw, so the catch must not see its post fail either).
   */
  readonly pushes: ReadonlyArray<{ readonly statement: Node; readonly event: Node; readonly guarded: boolean }>;
  /** The call of the flush that takes the batch, and the name (the buffer, or its swap) it takes it by. */
  readonly post: Node;
  readonly batch: Node;
  /** The sink the post is, or holds, so its copies are routed as it was. */
  readonly sink: Sink | undefined;
  /** Statements that only fed the buffer's flush, outermost first: each is deleted whole. */
  readonly deleted: readonly Node[];
  /** The flush function's name, the timers and the other state that went with it. */
  readonly flush: string;
  readonly state: readonly string[];
}

const TIMER_CALLS = new Set(['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval']);
const LOG_METHODS = /^(log|warn|error|info|debug|trace)$/;

function declarationOf(id: Node): Node | undefined {
  const parent = id.getParent();
  const symbol = Node.isShorthandPropertyAssignment(parent) ? parent.getValueSymbol() : id.getSymbol();
  return symbol?.getDeclarations()[0];
}

function within(node: Node, scope: Node): boolean {
  return node.getPos() >= scope.getPos() && node.getEnd() <= scope.getEnd();
}

/** The statement a node is part of. */
function statementOf(node: Node): Node | undefined {
  for (let at: Node | undefined = node; at; at = at.getParent()) {
    const parent = at.getParent();
    if (Node.isStatement(at) && (Node.isBlock(parent) || Node.isSourceFile(parent) || Node.isIfStatement(parent)))
      return at;
  }
  return undefined;
}

interface Scope {
  /** The declarations of the flush state: the buffer, its swaps, the flush function, its timers and clocks. */
  readonly state: Set<Node>;
  readonly flushFn: Node;
  readonly buffer: Node;
  readonly post: Node;
}

/** Whether an identifier names the flush function or a timer function handed a callback that only calls it. */
function callsOnlyFlush(node: Node, scope: Scope): boolean {
  if (Node.isIdentifier(node)) return declarationOf(node) !== undefined && scope.state.has(declarationOf(node) as Node);
  if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) {
    const body = node.getBody();
    const statements = Node.isBlock(body) ? body.getStatements() : [body];
    return statements.every((s) => {
      const e = Node.isExpressionStatement(s) ? s.getExpression() : s;
      const call = Node.isAwaitExpression(e) || Node.isVoidExpression(e) ? e.getExpression() : e;
      return (
        Node.isCallExpression(call) && callsOnlyFlush(call.getExpression(), scope) && call.getArguments().length === 0
      );
    });
  }
  return false;
}

/**
 * Whether a statement only feeds the flush: its calls are the flush, timers armed with it or cleared, the clock,
 * `Math`, logs, sleeps, the buffer's own `splice`/`slice`, and (inside the flush) the post and what wraps it; it
 * writes only the flush state (or, inside the flush, its own locals).
 */
function onlyFeedsFlush(statement: Node, scope: Scope, inFlush: boolean): boolean {
  let ok = true;
  statement.forEachDescendant((node, traversal) => {
    if (!ok) return traversal.stop();
    if (inFlush && node === scope.post) return traversal.skip();
    if (isFunctionLike(node) && !(inFlush && within(scope.post, node))) {
      // A callback handed to a timer or to a retrying wrapper of the post.
      if (!callsOnlyFlush(node, scope) && !(inFlush && within(scope.post, node))) ok = false;
      return traversal.skip();
    }
    if (Node.isCallExpression(node)) {
      const callee = node.getExpression();
      const text = callee.getText();
      if (TIMER_CALLS.has(text)) {
        if (text.startsWith('set') && !callsOnlyFlush(node.getArguments()[0] as Node, scope)) ok = false;
        return;
      }
      if (text === 'Date.now' || text.startsWith('Math.')) return;
      if (Node.isIdentifier(callee) && scope.state.has(declarationOf(callee) as Node)) return;
      if (Node.isPropertyAccessExpression(callee)) {
        const object = callee.getExpression();
        if (LOG_METHODS.test(callee.getName()) && !within(scope.post, node)) return;
        if (['splice', 'slice'].includes(callee.getName()) && object.getText() === scope.buffer.getText()) return;
      }
      // A wrapper that retries the post (`withRetries('events', () => post(…))`), or a sleep between tries.
      if (inFlush && node.getArguments().some((arg) => within(scope.post, arg))) return;
      if (inFlush && /^(sleep|wait|delay|pause)$/i.test(text)) return;
      ok = false;
      return;
    }
    if (Node.isNewExpression(node)) {
      const made = node.getExpression().getText();
      if (/Error$/.test(made)) return;
      if (made === 'Promise' && inFlush && /setTimeout/.test(node.getText())) return traversal.skip();
      ok = false;
      return;
    }
    const target =
      Node.isBinaryExpression(node) && /^(=|\+=|-=|\*=|\/=|\|\|=|&&=|\?\?=)$/.test(node.getOperatorToken().getText())
        ? node.getLeft()
        : Node.isPostfixUnaryExpression(node) || Node.isPrefixUnaryExpression(node)
          ? node.getOperand()
          : undefined;
    if (target !== undefined && !Node.isPrefixUnaryExpression(node)) {
      ok = writable(target, scope, inFlush);
    } else if (Node.isPrefixUnaryExpression(node)) {
      const op = node.getOperatorToken();
      if (op === SyntaxKind.PlusPlusToken || op === SyntaxKind.MinusMinusToken)
        ok = writable(node.getOperand(), scope, inFlush);
    }
  });
  if (!ok) return false;
  if (Node.isVariableStatement(statement) && !inFlush)
    return statement.getDeclarations().every((d) => scope.state.has(d));
  return (
    Node.isExpressionStatement(statement) ||
    Node.isVariableStatement(statement) ||
    Node.isIfStatement(statement) ||
    Node.isBlock(statement) ||
    Node.isEmptyStatement(statement) ||
    (inFlush &&
      (Node.isReturnStatement(statement) ||
        Node.isTryStatement(statement) ||
        Node.isForStatement(statement) ||
        Node.isWhileStatement(statement) ||
        Node.isDoStatement(statement) ||
        Node.isBreakStatement(statement) ||
        Node.isContinueStatement(statement) ||
        Node.isThrowStatement(statement)))
  );
}

function writable(target: Node, scope: Scope, inFlush: boolean): boolean {
  // `buf.length = 0`
  if (Node.isPropertyAccessExpression(target))
    return target.getExpression().getText() === scope.buffer.getText() && target.getName() === 'length';
  if (!Node.isIdentifier(target)) return false;
  const declaration = declarationOf(target);
  if (declaration === undefined) return false;
  return scope.state.has(declaration) || (inFlush && within(declaration, scope.flushFn));
}

/** The function of `processCampaign`'s body (a declaration, or a constant holding one) that holds a node. */
function localFunctionHolding(node: Node, body: Node): { fn: Node; declaration: Node; statement: Node } | undefined {
  for (let at = node.getParent(); at && at !== body; at = at.getParent()) {
    if (!isFunctionLike(at)) continue;
    const parent = at.getParent();
    if (Node.isFunctionDeclaration(at) && parent === body) return { fn: at, declaration: at, statement: at };
    if (Node.isVariableDeclaration(parent)) {
      const statement = parent.getVariableStatement();
      if (statement?.getParent() === body && statement.getDeclarations().length === 1)
        return { fn: at, declaration: parent, statement };
    }
  }
  return undefined;
}

/**
 * How the buffer goes, or why it cannot (with the line): the post must sit in a flush function of processCampaign
 * that does nothing else, every push must be a statement of its own in the async processCampaign, and every use of
 * the flush function, the buffer and the state they share (timers, the time of the last flush) must be a statement
 * that only feeds the flush, so deleting them changes nothing but the buffering.
 */
export function planBufferRemoval(
  buffer: OutcomeBuffer,
  processCampaignBody: Node,
  sinks: readonly Sink[],
): BufferRemoval | string {
  const posted = postOf(buffer, sinks);
  if (posted === undefined) return 'no post of it reaches an update call the model follows';
  const { post, batch } = posted;
  const fn = processCampaignBody.getParent() as Node & { isAsync?(): boolean };
  if (fn.isAsync?.() !== true) return 'processCampaign is not async, so a push cannot await its event’s post';
  const holder = localFunctionHolding(post, processCampaignBody);
  if (holder === undefined)
    return `its post (line ${post.getStartLineNumber()}) is not in a flush function declared in processCampaign`;
  const first = buffer.uses[0]?.node as Node;
  const bufferDeclaration = declarationOf(Node.isPropertyAccessExpression(first) ? first.getNameNode() : first);
  const bufferStatement = Node.isVariableDeclaration(bufferDeclaration)
    ? bufferDeclaration.getVariableStatement()
    : undefined;
  if (
    bufferDeclaration === undefined ||
    bufferStatement === undefined ||
    bufferStatement.getParent() !== processCampaignBody
  )
    return 'it is not declared at the top of processCampaign';
  if (bufferStatement.getDeclarations().length !== 1)
    return `its declaration (line ${bufferStatement.getStartLineNumber()}) declares other names too`;

  const state = new Set<Node>([bufferDeclaration, holder.declaration]);
  const batchDeclaration = declarationOf(batch);
  if (batchDeclaration && batchDeclaration !== bufferDeclaration) state.add(batchDeclaration);
  // The state the flush shares with processCampaign: the variables of its body the flush writes, and the timers armed
  // with it (`let windowTimer`, `let lastFlush`, `const flushTimer = setInterval(flush, 20_000)`).
  const locals = (processCampaignBody as Node & { getStatements(): Node[] })
    .getStatements()
    .filter((s) => Node.isVariableStatement(s))
    .flatMap((s) => s.getDeclarations());
  for (const declaration of locals) {
    const name = declaration.getNameNode();
    if (!Node.isIdentifier(name) || state.has(declaration)) continue;
    const init = declaration.getInitializer()?.getText() ?? '';
    const flushName = (holder.declaration as Node & { getName(): string }).getName();
    const armed = new RegExp(`^set(Interval|Timeout)\\(\\s*${flushName}\\b`).test(init);
    const written = name.findReferencesAsNodes().some((ref) => {
      if (!within(ref, holder.fn)) return false;
      const parent = ref.getParent();
      return (
        (Node.isBinaryExpression(parent) &&
          parent.getLeft() === ref &&
          /=$/.test(parent.getOperatorToken().getText())) ||
        Node.isPostfixUnaryExpression(parent) ||
        Node.isPrefixUnaryExpression(parent)
      );
    });
    if (armed || written) state.add(declaration);
  }
  const scope: Scope = { state, flushFn: holder.fn, buffer: buffer.uses[0]?.node as Node, post };

  // The flush does nothing but flush.
  const flushBody = (holder.fn as Node & { getBody(): Node | undefined }).getBody();
  if (flushBody === undefined || !Node.isBlock(flushBody))
    return `the flush function (line ${holder.fn.getStartLineNumber()}) is not a block`;
  for (const s of flushBody.getStatements()) {
    if (!onlyFeedsFlush(s, scope, true))
      return `the flush function does more than flush at line ${s.getStartLineNumber()}`;
  }

  // Every use of the state outside the flush: a push, or a statement that only feeds the flush.
  const pushes: Array<{ statement: Node; event: Node; guarded: boolean }> = [];
  const deleted = new Set<Node>([holder.statement]);
  for (const declaration of state) {
    if (declaration === holder.declaration || within(declaration, holder.fn)) continue;
    const statement = declaration.getFirstAncestor(Node.isVariableStatement);
    const name = (declaration as Node & { getName(): string }).getName();
    if (statement === undefined || statement.getParent() !== processCampaignBody)
      return `\`${name}\` is declared where it cannot be deleted (line ${declaration.getStartLineNumber()})`;
    if (!statement.getDeclarations().every((d) => state.has(d)))
      return `the declaration at line ${statement.getStartLineNumber()} declares names the flush does not own`;
    if (!onlyFeedsFlush(statement, scope, false))
      return `\`${name}\` starts from a value with an effect (line ${statement.getStartLineNumber()})`;
    deleted.add(statement);
  }
  for (const declaration of state) {
    const name = (declaration as Node & { getNameNode(): Node & { findReferencesAsNodes(): Node[] } }).getNameNode();
    for (const ref of name.findReferencesAsNodes()) {
      if (ref === name || within(ref, holder.statement) || [...deleted].some((d) => within(ref, d))) continue;
      const use = buffer.uses.find((u) => u.node === ref || u.node === ref.getParent());
      if (use?.kind === 'push') {
        const call = use.node.getParent()?.getParent();
        const statement = call?.getParent();
        const args = Node.isCallExpression(call) ? call.getArguments() : [];
        if (!Node.isExpressionStatement(statement) || args.length !== 1 || Node.isSpreadElement(args[0]))
          return `the push at line ${use.line} is not a statement pushing one event`;
        if (statement.getFirstAncestor(isFunctionLike) !== fn)
          return `the push at line ${use.line} sits in a callback, where its event's post cannot be awaited`;
        const guarded = statement
          .getAncestors()
          .some(
            (a) => Node.isTryStatement(a) && a.getCatchClause() !== undefined && within(statement, a.getTryBlock()),
          );
        pushes.push({ statement, event: args[0] as Node, guarded });
        continue;
      }
      const own = statementOf(ref);
      if (own === undefined || !onlyFeedsFlush(own, scope, false))
        return `\`${short(own ?? ref)}\` (line ${ref.getStartLineNumber()}) does more than feed the flush`;
      let statement: Node = own;
      // The whole `if` when all of it only feeds the flush; a branch standing alone cannot be deleted by itself.
      for (;;) {
        const parent: Node | undefined = statement.getParent();
        const conditional: Node | undefined = Node.isIfStatement(parent)
          ? parent
          : Node.isBlock(parent) && Node.isIfStatement(parent.getParent())
            ? (parent.getParent() as Node)
            : undefined;
        if (conditional === undefined) break;
        if (onlyFeedsFlush(conditional, scope, false)) statement = conditional;
        else if (Node.isIfStatement(parent))
          return `the branch at line ${ref.getStartLineNumber()} cannot be deleted by itself`;
        else break;
      }
      for (const d of [...deleted]) if (within(d, statement)) deleted.delete(d);
      deleted.add(statement);
    }
  }
  if (pushes.length === 0) return 'no push of it is a statement of its own';
  const sink = sinks.find((s) => within(s.call, post));
  return {
    file: buffer.file,
    line: buffer.line,
    name: buffer.name,
    pushes,
    post,
    batch,
    sink,
    deleted: [...deleted].sort((a, b) => a.getPos() - b.getPos()),
    flush: (holder.declaration as Node & { getName(): string }).getName(),
    state: [...state]
      .filter((d) => d !== holder.declaration && d !== bufferDeclaration && d !== batchDeclaration)
      .map((d) => (d as Node & { getName(): string }).getName()),
  };
}

function short(node: Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 50 ? `${text.slice(0, 47)}…` : text;
}

/** The outcome buffer of one `processCampaign`, and how it goes or why it stays. */
export interface BufferVerdict {
  readonly buffer: OutcomeBuffer;
  readonly removal: BufferRemoval | undefined;
  readonly blocker: string | undefined;
}

const verdicts = new WeakMap<LegacyWorker, BufferVerdict[]>();

/** Every `processCampaign`'s outcome buffer with its verdict, read once a worker (rules share it). */
export function bufferVerdicts(worker: LegacyWorker): readonly BufferVerdict[] {
  let found = verdicts.get(worker);
  if (found === undefined) {
    found = worker.processCampaigns.flatMap((pc): BufferVerdict[] => {
      if (pc.body === undefined || !Node.isBlock(pc.body)) return [];
      const recipientLoop = findRecipientLoop(pc.body, pc.file);
      const buffer = recipientLoop && findOutcomeBuffer(recipientLoop, worker.sinks);
      if (buffer === undefined) return [];
      const blocker = removalBlocker(buffer, pc.body, worker.sinks);
      if (blocker !== undefined) return [{ buffer, removal: undefined, blocker }];
      const removal = planBufferRemoval(buffer, pc.body, worker.sinks);
      return typeof removal === 'string'
        ? [{ buffer, removal: undefined, blocker: removal }]
        : [{ buffer, removal, blocker: undefined }];
    });
    verdicts.set(worker, found);
  }
  return found;
}
