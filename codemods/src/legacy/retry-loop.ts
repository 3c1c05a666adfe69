import { type CallExpression, Node, SyntaxKind } from 'ts-morph';
import type { Sink } from './sinks.js';
import { functionOf, kindOf, shapeOf } from './url-shape.js';

/**
 * A loop that repeats an update call until it succeeds: around the sink itself (`for (…) { try { await post(…);
 * return; } catch { log } }`), or in a helper that retries a callback every caller of which only makes an update
 * call (`withRetries('events', () => api.post(…))`). Once the call goes through the generated module it is taken in at
 * once: it succeeds the first time, or fails the same way every time (an event the scheduler refuses), so one pass of
 * the body does what the loop did. `blocker` says why a loop is not proven so, with the line.
 */
export interface RetryLoop {
  readonly file: string;
  readonly line: number;
  /** The loop statement. */
  readonly loop: Node;
  /** The loop's body block. */
  readonly body: Node;
  /** The call it repeats, as written, shortened. */
  readonly call: string;
  /** The sinks whose calls it repeats. */
  readonly sinks: readonly Sink[];
  /** Statements that only served the repetition (a `break`, a `continue`, a sleep before the next try). */
  readonly drop: readonly Node[];
  /** A counter of the loop's head that the body reads: declared once, with its first value. */
  readonly counter: { readonly name: string; readonly first: string } | undefined;
  readonly blocker: string | undefined;
}

type Loop = Node & { getStatement(): Node };

const LOG_METHODS = /^(log|warn|error|info|debug|trace)$/;
const SLEEP = /^(sleep|wait|delay|pause|timeout|backoff)$/i;
const PURE_CALLS = new Set(['JSON.parse', 'JSON.stringify', 'String', 'Number', 'Boolean', 'Math.min', 'Math.max']);
const ANSWER_READS = new Set(['json', 'text', 'buffer']);

function isLoop(node: Node): node is Loop {
  return (
    Node.isForStatement(node) ||
    Node.isWhileStatement(node) ||
    Node.isDoStatement(node) ||
    Node.isForOfStatement(node) ||
    Node.isForInStatement(node)
  );
}

function isFunction(node: Node): boolean {
  return (
    Node.isFunctionDeclaration(node) ||
    Node.isFunctionExpression(node) ||
    Node.isArrowFunction(node) ||
    Node.isMethodDeclaration(node) ||
    Node.isConstructorDeclaration(node) ||
    Node.isGetAccessorDeclaration(node) ||
    Node.isSetAccessorDeclaration(node)
  );
}

/** The loop a node sits in within its own function, if any. */
function enclosingLoop(node: Node): Loop | undefined {
  for (let at = node.getParent(); at; at = at.getParent()) {
    if (isFunction(at)) return undefined;
    if (isLoop(at)) return at;
  }
  return undefined;
}

function unwrap(node: Node): Node {
  let at = node;
  while (Node.isAwaitExpression(at) || Node.isParenthesizedExpression(at) || Node.isAsExpression(at))
    at = at.getExpression();
  return at;
}

function calleeName(call: CallExpression): string {
  const callee = call.getExpression();
  return Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
}

/** `console.warn(…)`, `this.log.warn(…)`, `logger.error(…)`. */
function isLog(node: Node): boolean {
  const call = unwrap(node);
  if (!Node.isCallExpression(call)) return false;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || !LOG_METHODS.test(callee.getName())) return false;
  return call.getArguments().every((arg) => pure(arg));
}

/** `await sleep(ms)`, `await new Promise((r) => setTimeout(r, ms))`. */
function isSleep(node: Node): boolean {
  if (!Node.isAwaitExpression(node)) return false;
  const inner = unwrap(node);
  if (Node.isCallExpression(inner)) return SLEEP.test(calleeName(inner)) && inner.getArguments().every((a) => pure(a));
  if (Node.isNewExpression(inner) && inner.getExpression().getText() === 'Promise') {
    const text = inner.getText();
    return /setTimeout\s*\(/.test(text) && !/fetch|post|put|request|send/i.test(text.replace(/setTimeout/g, ''));
  }
  return false;
}

/** An expression with no effect but reading: no call other than a parse or an answer's `json()`, no assignment. */
function pure(node: Node): boolean {
  const nodes = [node, ...node.getDescendants()];
  for (const n of nodes) {
    if (Node.isCallExpression(n)) {
      const callee = n.getExpression();
      if (PURE_CALLS.has(callee.getText())) continue;
      if (Node.isPropertyAccessExpression(callee) && ANSWER_READS.has(callee.getName())) continue;
      return false;
    }
    if (Node.isNewExpression(n) && !/Error$/.test(n.getExpression().getText())) return false;
    if (Node.isPostfixUnaryExpression(n) || Node.isDeleteExpression(n)) return false;
    if (
      Node.isPrefixUnaryExpression(n) &&
      (n.getOperatorToken() === SyntaxKind.PlusPlusToken || n.getOperatorToken() === SyntaxKind.MinusMinusToken)
    )
      return false;
    if (Node.isBinaryExpression(n)) {
      const kind = n.getOperatorToken().getKind();
      if (kind >= SyntaxKind.FirstAssignment && kind <= SyntaxKind.LastAssignment) return false;
    }
    if (isFunction(n)) return false;
  }
  return true;
}

/** The statement holding the repeated call, as `await call`, `const x = await call` or `return await call`. */
function holdsCall(statement: Node, call: Node): boolean {
  let value: Node | undefined;
  if (Node.isExpressionStatement(statement) || Node.isReturnStatement(statement)) value = statement.getExpression();
  else if (Node.isVariableStatement(statement)) {
    const [only, ...more] = statement.getDeclarations();
    if (only === undefined || more.length > 0) return false;
    value = only.getInitializer();
  }
  return value !== undefined && unwrap(value) === call;
}

/** Whether a statement leaves the loop when the answer is a success (`return`, `break`, `if (res.ok) return`). */
function exitsOnSuccess(statement: Node): boolean {
  if (Node.isReturnStatement(statement) || Node.isBreakStatement(statement)) return !hasLabel(statement);
  if (Node.isIfStatement(statement) && statement.getElseStatement() === undefined) {
    const condition = statement.getExpression().getText();
    const then = single(statement.getThenStatement());
    return (
      /\.ok\b|\.status(Code)?\s*<\s*(2\d\d|300)\b/.test(condition) &&
      then !== undefined &&
      (Node.isReturnStatement(then) || Node.isBreakStatement(then)) &&
      !hasLabel(then)
    );
  }
  return false;
}

function hasLabel(statement: Node): boolean {
  return (statement as Node & { getLabel?(): Node | undefined }).getLabel?.() !== undefined;
}

function single(statement: Node): Node | undefined {
  if (!Node.isBlock(statement)) return statement;
  const [only, ...more] = statement.getStatements();
  return more.length === 0 ? only : undefined;
}

function isJump(statement: Node): boolean {
  return (Node.isBreakStatement(statement) || Node.isContinueStatement(statement)) && !hasLabel(statement);
}

interface Reading {
  /** Why a statement is more than the call and the plumbing of its repetition. */
  readonly blocker?: string;
  readonly drop: Node[];
  readonly sawCall: boolean;
  readonly exits: boolean;
}

/**
 * Reads the statements of a block of the loop: the repeated call, then what only logs, sleeps, reads the answer or
 * leaves. `last`: the block ends where the loop's body ends, so a jump at its end goes where the next pass would.
 */
function readBlock(statements: readonly Node[], call: Node, last: boolean, counterWrites: Set<Node>): Reading {
  const drop: Node[] = [];
  let sawCall = false;
  let exits = false;
  const blocked = (s: Node, what: string): Reading => ({
    blocker: `${what} at line ${s.getStartLineNumber()}`,
    drop,
    sawCall,
    exits,
  });
  for (const [i, s] of statements.entries()) {
    const isLast = last && i === statements.length - 1;
    if (holdsCall(s, call)) {
      sawCall = true;
      if (Node.isReturnStatement(s)) exits = true;
      continue;
    }
    if (sawCall && !exits && exitsOnSuccess(s)) {
      exits = true;
      // `break`, or `if (res.ok) break`: both ways lead out of the single pass.
      if (Node.isBreakStatement(s) || (Node.isIfStatement(s) && Node.isBreakStatement(single(s.getThenStatement())))) {
        if (!isLast) return blocked(s, 'a `break` before the end of the body');
        drop.push(s);
      }
      continue;
    }
    if (counterWrites.has(s)) continue;
    if (Node.isEmptyStatement(s)) continue;
    if (isJump(s)) {
      if (!isLast) return blocked(s, `a \`${s.getText()}\` before the end of the body`);
      drop.push(s);
      continue;
    }
    if (Node.isReturnStatement(s) || Node.isThrowStatement(s)) {
      const value = s.getExpression();
      if (value !== undefined && !pure(value)) return blocked(s, 'a `return` that does more than read the answer');
      continue;
    }
    if (Node.isExpressionStatement(s)) {
      const e = s.getExpression();
      if (isSleep(e)) {
        drop.push(s);
        continue;
      }
      if (isLog(e)) continue;
      // `lastError = err`: remembered for the log after the loop.
      if (
        Node.isBinaryExpression(e) &&
        e.getOperatorToken().getKind() === SyntaxKind.EqualsToken &&
        Node.isIdentifier(e.getLeft()) &&
        pure(e.getRight())
      )
        continue;
      return blocked(s, `\`${short(s)}\`, which is not the call, a log or a sleep,`);
    }
    if (Node.isVariableStatement(s)) {
      if (s.getDeclarations().every((d) => d.getInitializer() === undefined || pure(d.getInitializer() as Node)))
        continue;
      return blocked(s, `\`${short(s)}\`, which is not the call, a log or a sleep,`);
    }
    if (Node.isIfStatement(s)) {
      if (!pure(s.getExpression())) return blocked(s, 'a condition that does more than read');
      for (const branch of [s.getThenStatement(), s.getElseStatement()]) {
        if (branch === undefined) continue;
        const inner = readBlock(Node.isBlock(branch) ? branch.getStatements() : [branch], call, isLast, counterWrites);
        if (inner.blocker) return { ...inner, drop, sawCall, exits };
        if (inner.sawCall) return blocked(s, 'the call inside a condition');
        drop.push(...inner.drop);
      }
      continue;
    }
    if (Node.isTryStatement(s)) {
      if (s.getFinallyBlock()) return blocked(s, 'a `finally`');
      const attempt = readBlock(s.getTryBlock().getStatements(), call, isLast, counterWrites);
      if (attempt.blocker) return attempt;
      const clause = s.getCatchClause();
      const caught = clause ? readBlock(clause.getBlock().getStatements(), call, isLast, counterWrites) : undefined;
      if (caught?.blocker) return caught;
      if (caught?.sawCall) return blocked(s, 'the call made again in the `catch`');
      drop.push(...attempt.drop, ...(caught?.drop ?? []));
      sawCall ||= attempt.sawCall;
      exits ||= attempt.exits;
      continue;
    }
    return blocked(s, `\`${short(s)}\`, which is not the call, a log or a sleep,`);
  }
  return { drop, sawCall, exits };
}

function short(node: Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 50 ? `${text.slice(0, 47)}…` : text;
}

/** A number the source tells: a literal, or a constant holding one. */
function numberOf(node: Node | undefined): number | undefined {
  if (node === undefined) return undefined;
  if (Node.isNumericLiteral(node)) return Number(node.getLiteralValue());
  if (Node.isIdentifier(node)) {
    const declaration = node.getSymbol()?.getDeclarations()[0];
    if (Node.isVariableDeclaration(declaration) && declaration.getVariableStatement()?.getDeclarationKind() === 'const')
      return numberOf(declaration.getInitializer());
    return defaultNoCallerGives(declaration);
  }
  return undefined;
}

/**
 * A parameter's default (`tries = 3`, `{ retries = 2 } = {}`) when no call of its function gives the parameter (or
 * that property) and nothing assigns it: the value every call runs with.
 */
function defaultNoCallerGives(declaration: Node | undefined): number | undefined {
  if (declaration === undefined || !(Node.isParameterDeclaration(declaration) || Node.isBindingElement(declaration)))
    return undefined;
  const value = numberOf(declaration.getInitializer());
  const name = declaration.getNameNode();
  if (value === undefined || !Node.isIdentifier(name)) return undefined;
  const assigned = name.findReferencesAsNodes().some((ref) => {
    const parent = ref.getParent();
    return (
      (Node.isBinaryExpression(parent) && parent.getLeft() === ref && /=$/.test(parent.getOperatorToken().getText())) ||
      Node.isPostfixUnaryExpression(parent) ||
      Node.isPrefixUnaryExpression(parent)
    );
  });
  if (assigned) return undefined;
  const parameter = Node.isParameterDeclaration(declaration)
    ? declaration
    : declaration.getFirstAncestor(Node.isParameterDeclaration);
  const fn = parameter?.getParent();
  if (parameter === undefined || fn === undefined || !isFunction(fn)) return undefined;
  const index = (fn as FunctionLike).getParameters().indexOf(parameter as never);
  const calls = callsOf(fn);
  if (calls === undefined) return undefined;
  const property = Node.isBindingElement(declaration)
    ? (declaration.getPropertyNameNode() ?? name).getText()
    : undefined;
  for (const call of calls) {
    const arg = call.getArguments()[index];
    if (arg === undefined) continue;
    if (property === undefined || !Node.isObjectLiteralExpression(arg)) return undefined;
    const named = (p: Node) => (p as Node & { getName?(): string }).getName?.();
    if (arg.getProperties().some((p) => Node.isSpreadAssignment(p) || named(p) === property)) return undefined;
  }
  return value;
}

/** Whether `counter <op> bound` holds for the counter's first value. */
function firstTestHolds(condition: Node | undefined, name: string, first: number): boolean {
  if (condition === undefined) return true;
  if (condition.getKind() === SyntaxKind.TrueKeyword) return true;
  if (!Node.isBinaryExpression(condition) || condition.getLeft().getText() !== name) return false;
  const bound = numberOf(condition.getRight());
  if (bound === undefined) return false;
  const op = condition.getOperatorToken().getText();
  return op === '<'
    ? first < bound
    : op === '<='
      ? first <= bound
      : op === '!==' || op === '!='
        ? first !== bound
        : false;
}

/** The references of a name inside a node. */
function readsOf(name: string, within: Node): Node[] {
  return within.getDescendantsOfKind(SyntaxKind.Identifier).filter((id) => id.getText() === name);
}

/**
 * Why the body's use of its counter keeps the loop: one pass runs with the first value, which a log may show, but a
 * test of it (`if (i === retries) console.error(…)`, `delays[attempt]`) would take the first pass for the last.
 */
function testedCounter(name: string, body: Node): string | undefined {
  for (const id of readsOf(name, body)) {
    const parent = id.getParent();
    if (Node.isPostfixUnaryExpression(parent) || Node.isPrefixUnaryExpression(parent)) {
      if (Node.isExpressionStatement(parent.getParent())) continue;
    }
    const log = id.getFirstAncestor((a) => Node.isCallExpression(a) && isLog(a));
    if (log === undefined)
      return `its body reads its counter \`${name}\` other than in a log (line ${id.getStartLineNumber()}), so one pass is not its last`;
  }
  return undefined;
}

/** The statements of the loop's body that only move its counter (`attempt++`). */
function counterWritesOf(body: Node, name: string | undefined): Set<Node> {
  const writes = new Set<Node>();
  if (name === undefined || !Node.isBlock(body)) return writes;
  for (const s of body.getStatements()) {
    if (!Node.isExpressionStatement(s)) continue;
    const e = s.getExpression();
    const text = e.getText().replace(/\s+/g, '');
    if (text === `${name}++` || text === `++${name}` || text === `${name}+=1`) writes.add(s);
  }
  return writes;
}

/**
 * Reads one loop around a repeated call: proven a retry that one pass replaces, or kept with the reason. `call` is
 * the call the loop repeats (a sink, or the callback a helper retries).
 */
function readLoop(loop: Loop, call: CallExpression, sinks: readonly Sink[], file: string, proof?: string): RetryLoop {
  const body = loop.getStatement();
  const base = {
    file,
    line: loop.getStartLineNumber(),
    loop,
    body,
    call: short(call),
    sinks,
    drop: [] as Node[],
    counter: undefined as RetryLoop['counter'],
  };
  const keep = (why: string): RetryLoop => ({ ...base, blocker: why });
  if (proof) return keep(proof);
  if (Node.isLabeledStatement(loop.getParent())) return keep('the loop is labelled');
  if (!Node.isBlock(body)) return keep('its body is a single statement');
  if (Node.isForOfStatement(loop) || Node.isForInStatement(loop)) return keep('it loops over a collection');
  let counter: RetryLoop['counter'];
  let counterName: string | undefined;
  if (Node.isForStatement(loop)) {
    const init = loop.getInitializer();
    if (init !== undefined) {
      if (!Node.isVariableDeclarationList(init) || init.getDeclarations().length !== 1)
        return keep('its head declares something other than one counter');
      const declaration = init.getDeclarations()[0] as Node & {
        getName(): string;
        getInitializer(): Node | undefined;
      };
      counterName = declaration.getName();
      const first = numberOf(declaration.getInitializer());
      if (first === undefined) return keep(`its counter \`${counterName}\` starts from a value known at run time`);
      if (!firstTestHolds(loop.getCondition(), counterName, first))
        return keep(`its first test (\`${loop.getCondition()?.getText()}\`) is known only at run time`);
      const incrementor = loop.getIncrementor();
      if (incrementor && !pure(incrementor) && !/^\w+\s*(\+\+|\+=\s*1)$|^\+\+\w+$/.test(incrementor.getText()))
        return keep('its head does more than count');
      const tested = testedCounter(counterName, body);
      if (tested) return keep(tested);
      if (readsOf(counterName, body).length > 0) {
        const after = loop.getParent() ? readsOf(counterName, loop.getParent() as Node) : [];
        if (after.some((id) => id.getPos() < loop.getPos() || id.getPos() > loop.getEnd()))
          return keep(`its counter \`${counterName}\` is read outside it`);
        counter = { name: counterName, first: declaration.getInitializer()?.getText() ?? '0' };
      }
    } else if (!firstTestHolds(loop.getCondition(), '', 0)) {
      return keep('its test is known only at run time');
    }
  } else if (Node.isWhileStatement(loop)) {
    const condition = loop.getExpression();
    if (condition.getKind() !== SyntaxKind.TrueKeyword) {
      // `let attempt = 0; while (attempt < 3) { attempt++; … }`
      const left = Node.isBinaryExpression(condition) ? condition.getLeft() : undefined;
      const declaration = left && Node.isIdentifier(left) ? left.getSymbol()?.getDeclarations()[0] : undefined;
      if (!Node.isVariableDeclaration(declaration)) return keep('its test is known only at run time');
      counterName = declaration.getName();
      const first = numberOf(declaration.getInitializer());
      const writes = readsOf(counterName, declaration.getParentOrThrow().getParentOrThrow().getParentOrThrow()).filter(
        (id) => {
          const parent = id.getParent();
          return (
            Node.isPostfixUnaryExpression(parent) ||
            Node.isPrefixUnaryExpression(parent) ||
            (Node.isBinaryExpression(parent) &&
              parent.getLeft() === id &&
              /=$/.test(parent.getOperatorToken().getText()))
          );
        },
      );
      if (
        first === undefined ||
        !firstTestHolds(condition, counterName, first) ||
        writes.some((w) => w.getPos() < body.getPos() || w.getEnd() > body.getEnd())
      )
        return keep(`its test (\`${condition.getText()}\`) is known only at run time`);
    }
  }
  if (counterName !== undefined && !Node.isForStatement(loop)) {
    const tested = testedCounter(counterName, body);
    if (tested) return keep(tested);
  }
  const writes = counterWritesOf(body, counterName);
  const reading = readBlock(body.getStatements(), call, true, writes);
  if (reading.blocker) return keep(`its body holds ${reading.blocker}`);
  if (!reading.sawCall) return keep('the call sits deeper than its body');
  if (!reading.exits) return keep('its body does not leave the loop once the call succeeds');
  return { ...base, drop: reading.drop, counter, blocker: undefined };
}

type FunctionLike = Node & { getParameters(): Array<Node & { getName(): string }> };

/** The calls of a function declared in the worker, or undefined when one of its references is not a call of it. */
function callsOf(fn: Node): CallExpression[] | undefined {
  const declaration = Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) ? fn.getParent() : fn;
  const name = (declaration as Node & { getNameNode?(): Node | undefined }).getNameNode?.();
  if (name === undefined || !(Node.isIdentifier(name) || Node.isPrivateIdentifier(name))) return undefined;
  const calls: CallExpression[] = [];
  for (const ref of (name as Node & { findReferencesAsNodes(): Node[] }).findReferencesAsNodes()) {
    if (ref === name) continue;
    // Its import or export names it without calling it.
    const holder = ref.getParent();
    if (Node.isImportSpecifier(holder) || Node.isExportSpecifier(holder) || Node.isImportClause(holder)) continue;
    const at = Node.isPropertyAccessExpression(ref.getParent()) ? (ref.getParent() as Node) : ref;
    const call = at.getParent();
    if (!Node.isCallExpression(call) || call.getExpression() !== at) return undefined;
    calls.push(call);
  }
  return calls.length > 0 ? calls : undefined;
}

/** Why an `either` sink (its URL known at run time) is not proven to send only updates, or undefined when it is. */
function onlyUpdates(sink: Sink): string | undefined {
  if (sink.kind !== 'either') return undefined;
  const fn = sink.call.getFirstAncestor(isFunction) as FunctionLike | undefined;
  const calls = fn && callsOf(fn);
  const why = `${sink.wrapper ?? 'its function'}() may send requests that are not updates, which still go out as they were`;
  if (fn === undefined || calls === undefined) return why;
  for (const call of calls) {
    const bound = new Map<string, string>();
    fn.getParameters().forEach((p, i) => {
      bound.set(p.getName(), shapeOf(call.getArguments()[i]));
    });
    const kind = kindOf(shapeOf(sink.url, 0, bound));
    if (kind !== 'events' && kind !== 'status')
      return `${why} (line ${call.getStartLineNumber()} of ${call.getSourceFile().getBaseName()})`;
  }
  return undefined;
}

/** The update sink an arrow only calls (`() => api.post(…)`), if it is one. */
function sinkOfCallback(callback: Node | undefined, sinks: readonly Sink[]): Sink | undefined {
  if (!Node.isArrowFunction(callback) && !Node.isFunctionExpression(callback)) return undefined;
  const body = callback.getBody();
  const statement = Node.isBlock(body) ? single(body) : body;
  const expression =
    statement && (Node.isReturnStatement(statement) || Node.isExpressionStatement(statement))
      ? statement.getExpression()
      : statement;
  const call = expression && unwrap(expression);
  const sink = sinks.find((s) => s.call === call);
  return sink && sink.kind !== 'either' ? sink : undefined;
}

/** Every retry loop of the worker's update calls, each read once. */
export function findRetryLoops(sinks: readonly Sink[]): RetryLoop[] {
  const found = new Map<Node, RetryLoop>();
  for (const sink of sinks) {
    if (sink.form === 'node-http') continue;
    // Around the sink itself.
    const loop = enclosingLoop(sink.call);
    if (loop !== undefined && !found.has(loop)) {
      found.set(loop, readLoop(loop, sink.call, [sink], sink.file, onlyUpdates(sink)));
      continue;
    }
    // In a helper the sink is handed to as a callback: `withRetries('events', () => api.post(…))`.
    const callback = sink.call.getFirstAncestor(isFunction);
    const helperCall = callback?.getParent();
    if (!Node.isCallExpression(helperCall) || !helperCall.getArguments().includes(callback as never)) continue;
    const index = helperCall.getArguments().indexOf(callback as never);
    const callee = helperCall.getExpression();
    const helper = functionOf(Node.isPropertyAccessExpression(callee) ? callee.getNameNode() : callee);
    const parameter = helper?.getParameters()[index];
    if (helper === undefined || parameter === undefined) continue;
    const name = parameter.getName();
    const invoked = helper
      .getDescendantsOfKind(SyntaxKind.CallExpression)
      .find((c) => c.getExpression().getText() === name);
    const helperLoop = invoked && enclosingLoop(invoked);
    if (invoked === undefined || helperLoop === undefined || found.has(helperLoop)) continue;
    const calls = callsOf(helper);
    const handed = calls?.map((c) => sinkOfCallback(c.getArguments()[index], sinks));
    const proof =
      calls === undefined || handed === undefined || handed.some((s) => s === undefined)
        ? `${helper.getSymbol()?.getName() ?? 'the helper'}() retries a callback that not every caller makes an update call of${
            calls === undefined ? '' : ` (line ${calls[handed?.indexOf(undefined) ?? 0]?.getStartLineNumber()})`
          }`
        : undefined;
    found.set(
      helperLoop,
      readLoop(
        helperLoop,
        invoked,
        (handed ?? []).filter((s): s is Sink => s !== undefined),
        helperLoop.getSourceFile().getFilePath(),
        proof,
      ),
    );
  }
  return [...found.values()];
}
