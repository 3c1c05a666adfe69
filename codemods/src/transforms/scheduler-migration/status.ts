import type { Node } from '../../analysis/syntax.js';
import { TransformSkip } from '../../transform.js';
import type { Migration } from './migration.js';

const REQUIRED = ['state', 'sent', 'failed', 'total'];
const KNOWN = new Set([...REQUIRED, 'seq', 'updatedAt']);
const STATES = new Set(['running', 'paused', 'completed', 'failed', 'cancelled']);

/** The object a function returns: `=> ({ … })`, or its first `return { … }`. */
function returnedObject(m: Migration, fn: Node): Node | undefined {
  if (fn.body?.type !== 'BlockStatement') return literalOf(m, fn.body);
  const returns = m.j(fn.body).find(m.j.ReturnStatement).nodes();
  const argument = returns[0]?.argument as Node;
  return returns.length === 1 && argument?.type === 'ObjectExpression' ? argument : undefined;
}

/**
 * The object literal a status expression stands for, when the file says so unambiguously: the literal itself, the
 * literal a builder returns (`status('running')`), or a constant's initializer.
 */
function literalOf(m: Migration, status: Node): Node | undefined {
  // `{ … } satisfies StatusBody`, `{ … } as StatusBody`: TypeScript's say on the object, which stays as it is.
  if (/^(TSSatisfiesExpression|TSAsExpression|TSNonNullExpression)$/.test(status.type))
    return literalOf(m, status.expression);
  if (status.type === 'ObjectExpression') return status;
  const called = status.type === 'CallExpression' && status.callee.type === 'Identifier';
  const name = called ? status.callee.name : status.type === 'Identifier' ? status.name : undefined;
  if (name === undefined) return undefined;
  const { j, root } = m;
  const functions = root.find(j.FunctionDeclaration, { id: { name } }).nodes() as Node[];
  const variables = root.find(j.VariableDeclarator, { id: { type: 'Identifier', name } }).nodes() as Node[];
  if (functions.length + variables.length !== 1) return undefined;
  const [declared] = [...functions, ...variables.map((v) => v.init)];
  if (called && /Function/.test(declared?.type ?? '')) return returnedObject(m, declared);
  return !called && declared?.type === 'ObjectExpression' ? declared : undefined;
}

/** What is wrong with a status for `setStatus`, or undefined when it is a full `{ state, sent, failed, total }`. */
function problemWith(m: Migration, status: Node): string | undefined {
  const literal = literalOf(m, status);
  if (!literal) return 'what it holds cannot be read here';
  if (literal.properties.some((p: Node) => !/^(Property|ObjectProperty)$/.test(p.type) || p.computed))
    return 'it spreads or computes fields, and setStatus refuses any but state, sent, failed, total, seq, updatedAt';
  const keys = literal.properties.map((p: Node) => p.key.name ?? p.key.value);
  const missing = REQUIRED.filter((k) => !keys.includes(k));
  if (missing.length > 0) return `it has no ${missing.join(', ')}`;
  const state = literal.properties.find((p: Node) => (p.key.name ?? p.key.value) === 'state')?.value;
  if (typeof state?.value === 'string' && !STATES.has(state.value))
    return `setStatus refuses the state '${state.value}' (it takes ${[...STATES].join(', ')})`;
  const unknown = keys.filter((k: string) => !KNOWN.has(k));
  return unknown.length > 0 ? `setStatus refuses its ${unknown.join(', ')}` : undefined;
}

/**
 * `scheduler.setStatus(campaign.id, status)` in place of a status update call (`ctx.…` inside the per-recipient
 * work). A status that is not plainly a `{ state, sent, failed, total }` (with `seq`, `updatedAt`) is marked TODO
 * and reported.
 */
export function setStatusFor(m: Migration, call: Node, inRecipient: boolean): Node {
  const { j } = m;
  const status = m.statusOf(call);
  if (!status) throw new TransformSkip('cannot tell which argument is the status', call.loc?.start.line);
  const [target, id] = inRecipient ? ['ctx.scheduler', 'ctx.campaignId'] : ['scheduler', `${m.campaign}.id`];
  const statement = j.expressionStatement(
    j.callExpression(j.identifier(`${target}.setStatus`), [j.identifier(id), status]),
  );
  const problem = problemWith(m, status);
  if (problem) {
    m.notes.push(`line ${call.loc?.start.line ?? '?'}: the status ${j(status).toSource()}: ${problem}`);
    statement.comments = [
      j.commentLine(
        ` TODO(scheduler-migration): check this status: ${problem}; setStatus takes { state, sent, failed, total } (seq, updatedAt optional).`,
        true,
        false,
      ),
    ];
  }
  return statement;
}
