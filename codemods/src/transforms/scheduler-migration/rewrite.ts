import { callIn, callOf, isLoop, type Node, statementsOf } from '../../analysis/syntax.js';
import { TransformSkip } from '../../transform.js';
import type { Migration } from './migration.js';
import { handlesBufferOnly, isEmpty, isPure, isRemovedCall, usesBuffer } from './removed-code.js';
import { setStatusFor } from './status.js';

/**
 * `at: new Date()` went over the wire as an ISO string (JSON calls the date's toISOString); `record` takes the
 * string, so the event says so.
 */
function isoDates(m: Migration, event: Node): void {
  if (event?.type !== 'ObjectExpression') return;
  for (const p of event.properties) {
    const value = p.value;
    if ((p.key?.name ?? p.key?.value) === 'at' && value?.type === 'NewExpression' && value.callee.name === 'Date')
      p.value = m.j.callExpression(m.j.memberExpression(value, m.j.identifier('toISOString')), []);
  }
}

/** `record(campaign, event)` in place of `buffer.push(event)`: one call per pushed event. */
function record(m: Migration, events: Node[], inRecipient: boolean): Node {
  const { j } = m;
  for (const event of events) isoDates(m, event);
  const [target, id] = inRecipient ? ['await ctx.scheduler', 'ctx.campaignId'] : ['scheduler', `${m.campaign}.id`];
  const [only] = events;
  const text =
    events.length === 1 && only.type !== 'SpreadElement'
      ? `${target}.record(${id}, ${j(only).toSource()});`
      : `for (const recipientEvent of [${events.map((e) => j(e).toSource()).join(', ')}]) ${target}.record(${id}, recipientEvent);`;
  // Parsed from text, so the printer keeps the event as it was written.
  return j(text).find(j.Program).get('body', 0).node;
}

/**
 * An event post goes: its events were recorded as they were pushed into the buffer. One that sends something else
 * than the buffer would be lost, so the file is refused.
 */
function dropEvents(m: Migration, call: Node): Node[] {
  if (!usesBuffer(m, call) && !m.sendsBuffer(call)) {
    throw new TransformSkip(
      `${m.j(call.callee).toSource()}() sends events that are not the outcome buffer's: they would not be recorded`,
      call.loc?.start.line,
    );
  }
  return [];
}

/** Whether a statement starts one of the timers that are gone (`t = setInterval(flush, …)`, `setTimeout(…)`). */
function startsDroppedTimer(m: Migration, s: Node): boolean {
  if (s.type === 'VariableDeclaration')
    return s.declarations.length === 1 && m.droppedTimers.has(s.declarations[0].init);
  if (s.type !== 'ExpressionStatement') return false;
  const e = s.expression;
  if (m.droppedTimers.has(e)) return true;
  // `flushTimer = setTimeout(flush, …)`, and `flushTimer = null` once that timer is gone.
  return e.type === 'AssignmentExpression' && (m.droppedTimers.has(e.right) || m.timers.has(e.left.name));
}

/** `await Promise.all([postEvents(…), updateStatus(…)])`: the update calls, when that is all it awaits. */
function parallelUpdates(m: Migration, call: Node): Node[] | undefined {
  if (!call || !/^Promise\.(all|allSettled)$/.test(m.j(call.callee).toSource())) return undefined;
  const [list] = call.arguments;
  const calls = list?.type === 'ArrayExpression' ? list.elements.map(callIn) : [];
  return calls.length > 0 && calls.every((update: Node) => m.updateKind(update) !== undefined) ? calls : undefined;
}

/**
 * `const ok = await updateStatus(…)`: the update goes to the scheduler, and `ok` becomes `true`, since the
 * scheduler delivers it (retrying as long as it takes); marked TODO, for what read `ok` to be checked.
 */
function assignedUpdate(m: Migration, s: Node, inRecipient: boolean): Node[] | undefined {
  const [declarator] = s.type === 'VariableDeclaration' && s.declarations.length === 1 ? s.declarations : [];
  const update = declarator?.id.type === 'Identifier' ? callIn(declarator.init) : undefined;
  const kind = m.updateKind(update);
  if (!kind) return undefined;
  const name = declarator.id.name;
  const replaced = m.j(`${s.kind} ${name} = true;`).find(m.j.VariableDeclaration).get().node;
  replaced.comments = [
    m.j.commentLine(
      ` TODO(scheduler-migration): the scheduler delivers this update; \`${name}\` no longer says whether the server took it.`,
      true,
      false,
    ),
  ];
  m.notes.push(`line ${s.loc?.start.line ?? '?'}: \`${name}\` held the answer to an update the scheduler now delivers`);
  return kind === 'status' ? [setStatusFor(m, update, inRecipient), replaced] : [...dropEvents(m, update), replaced];
}

/** The body of an `if` or a loop, rewritten; as it was (braces and all) when nothing in its list changed. */
export function rewriteBody(m: Migration, body: Node, inRecipient: boolean): Node {
  const list = statementsOf(body);
  const rewritten = rewriteStatements(m, list, inRecipient);
  const same = rewritten.length === list.length && rewritten.every((s, i) => s === list[i]);
  return same ? body : m.j.blockStatement(rewritten);
}

// The statements this rewrite makes call `scheduler.setStatus` through an identifier of that name.
const isSetStatus = (s: Node) => /^(ctx\.)?scheduler\.setStatus$/.test(callOf(s)?.callee?.name ?? '');

/** `if`: its branches rewritten; gone when nothing is left in them and its test has no effect. */
function rewriteIf(m: Migration, s: Node, inRecipient: boolean): Node[] {
  s.consequent = rewriteBody(m, s.consequent, inRecipient);
  if (s.alternate) s.alternate = rewriteBody(m, s.alternate, inRecipient);
  const branches = [s.consequent, s.alternate].filter(Boolean).map(statementsOf);
  // `if (buffer.length === 0) return;`, `if (buffer.length >= 50) { … }`: they only made sense for the buffer.
  if (usesBuffer(m, s.test) && branches.every((list) => isEmpty(list, true))) return [];
  // A status sent with every flush (`if (buffer.length >= 50) { flush(); report('running'); }`) is now sent with
  // every recipient: the scheduler keeps only the newest, so it costs no request.
  const [consequent = []] = branches;
  if (usesBuffer(m, s.test) && !s.alternate && consequent.every(isSetStatus)) return consequent;
  if (isPure(m, s.test) && branches.every((list) => isEmpty(list))) return [];
  if (s.alternate && isEmpty(statementsOf(s.alternate))) s.alternate = null;
  return [s];
}

/**
 * Rewrites a list of statements: buffer pushes become `record`, status updates `setStatus`; event posts, what only
 * handles the buffer, calls of removed functions and removed timers go. Inside the per-recipient work
 * (`inRecipient`) the scheduler and campaign come from `ctx`.
 */
export function rewriteStatements(m: Migration, list: Node[], inRecipient: boolean): Node[] {
  // A statement replaced (a push now a record, a post now setStatus) keeps its comments.
  return list.flatMap((s): Node[] => {
    const replaced = rewriteStatement(m, s, inRecipient);
    const [first] = replaced;
    if (first && first !== s && s.comments?.length) first.comments = [...s.comments, ...(first.comments ?? [])];
    return replaced;
  });
}

/** One statement, rewritten (see rewriteStatements). */
function rewriteStatement(m: Migration, s: Node, inRecipient: boolean): Node[] {
  if (isRemovedCall(m, s) || startsDroppedTimer(m, s) || handlesBufferOnly(m, s)) return [];
  const call = callOf(s);
  const kind = m.updateKind(call);
  if (kind === 'events') return dropEvents(m, call);
  if (kind === 'status') return [setStatusFor(m, call, inRecipient)];
  if (s.type === 'ReturnStatement' && s.argument) {
    const returned = s.argument.type === 'AwaitExpression' ? s.argument.argument : s.argument;
    const returnedKind = m.updateKind(returned);
    const bare = m.j.returnStatement(null);
    if (returnedKind === 'events') return [...dropEvents(m, returned), bare];
    if (returnedKind === 'status') return [setStatusFor(m, returned, inRecipient), bare];
  }
  if (s.type === 'IfStatement') return rewriteIf(m, s, inRecipient);
  if (s.type === 'TryStatement') {
    s.block.body = rewriteStatements(m, s.block.body, inRecipient);
    if (s.finalizer) s.finalizer.body = rewriteStatements(m, s.finalizer.body, inRecipient);
    // Nothing left to try (the post went): its catch cannot run, its finally still does.
    if (s.block.body.length === 0) return s.finalizer ? s.finalizer.body : [];
    if (s.handler) s.handler.body.body = rewriteStatements(m, s.handler.body.body, inRecipient);
    return [s];
  }
  const all = parallelUpdates(m, call);
  if (all)
    return all
      .filter((update) => m.updateKind(update) === 'status')
      .map((update) => setStatusFor(m, update, inRecipient));
  const assigned = assignedUpdate(m, s, inRecipient);
  if (assigned) return assigned;
  if (s.type === 'SwitchStatement') {
    for (const branch of s.cases) branch.consequent = rewriteStatements(m, branch.consequent, inRecipient);
    return [s];
  }
  if (s.type === 'BlockStatement') return [rewriteBody(m, s, inRecipient)];
  if (isLoop(s)) {
    s.body = rewriteBody(m, s.body, inRecipient);
    return [s];
  }
  const pushed = call?.callee.type === 'MemberExpression' && call.callee.property?.name === 'push';
  if (pushed && call.callee.object.type === 'Identifier' && m.buffers.has(call.callee.object.name))
    return [record(m, call.arguments, inRecipient)];
  return [s];
}
