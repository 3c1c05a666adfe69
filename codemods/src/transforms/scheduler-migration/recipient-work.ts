import { contains, isFunction, isLoop, type Node, statementsOf } from '../../analysis/syntax.js';
import { TransformSkip } from '../../transform.js';
import type { Migration } from './migration.js';
import { rewriteStatements } from './rewrite.js';

/** Pacing and counting at the end of the loop body stay in the loop: `i++`, `i += 1`, `await sleep(delay)`. */
function staysInLoop(m: Migration, s: Node): boolean {
  if (s.type !== 'ExpressionStatement') return false;
  const e = s.expression;
  return (
    e.type === 'UpdateExpression' ||
    (e.type === 'AssignmentExpression' && /^[+-]=$/.test(e.operator)) ||
    (e.type === 'AwaitExpression' && /sleep|delay|wait|setTimeout/i.test(m.j(e).toSource()))
  );
}

const NOT_CHILDREN = new Set(['type', 'loc', 'start', 'end', 'comments', 'leadingComments', 'trailingComments']);

/**
 * What in a statement of the loop body leaves the recipient loop, if anything: a `return`, a labelled jump, or a `break` or
 * `continue` aimed at it. A `break` out of a `switch` or a nested loop stays inside the work, as does anything in a
 * nested function.
 */
function leavesLoop(statement: Node): Node | undefined {
  const visit = (node: Node, inLoop: boolean, inSwitch: boolean): Node | undefined => {
    if (!node || typeof node.type !== 'string' || isFunction(node)) return undefined;
    if (node.type === 'ReturnStatement') return node;
    if (node.type === 'BreakStatement') return node.label || (!inLoop && !inSwitch) ? node : undefined;
    if (node.type === 'ContinueStatement') return node.label || !inLoop ? node : undefined;
    const loop = inLoop || isLoop(node);
    const inner = inSwitch || node.type === 'SwitchStatement';
    for (const [key, value] of Object.entries(node)) {
      if (NOT_CHILDREN.has(key)) continue;
      for (const child of Array.isArray(value) ? value : [value]) {
        const found = visit(child, loop, inner);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(statement, false, false);
}

/**
 * The recipient the work is about, the name the work reads it by (which becomes the parameter), and the list it
 * comes from (for its type in TypeScript).
 */
function recipientOf(m: Migration, loop: Node, work: Node[]): { recipient: Node; parameter: string; list: Node } {
  const { j } = m;
  const line = loop.loc?.start.line;
  if (loop.type === 'ForOfStatement') {
    const left = loop.left.type === 'VariableDeclaration' ? loop.left.declarations[0].id : loop.left;
    if (left.type !== 'Identifier') throw new TransformSkip('the loop variable is destructured', line);
    return { recipient: j.identifier(left.name), parameter: left.name, list: loop.right };
  }
  const [first] = work;
  const declarator = first?.type === 'VariableDeclaration' && first.declarations.length === 1 && first.declarations[0];
  // `recipients[i]!` under noUncheckedIndexedAccess is still the element.
  const init = declarator?.init?.type === 'TSNonNullExpression' ? declarator.init.expression : declarator?.init;
  const element = init?.type === 'MemberExpression' && init.computed;
  // `const recipient = queue.shift()`: taken from the queue where the call is made, once per pass as before.
  const taken =
    init?.type === 'CallExpression' &&
    init.callee.type === 'MemberExpression' &&
    /^(shift|pop)$/.test(init.callee.property.name) &&
    init.arguments.length === 0;
  if (declarator && declarator.id.type === 'Identifier' && (element || taken)) {
    // `const recipient = recipients[i]` opens the body: it becomes the parameter.
    work.shift();
    return {
      recipient: declarator.init,
      parameter: declarator.id.name,
      list: element ? init.object : init.callee.object,
    };
  }
  let found: Node;
  j(loop.body)
    .find(j.MemberExpression, { computed: true })
    .forEach((path) => {
      found ??= path.node;
    });
  if (!found) throw new TransformSkip('cannot tell which element of the loop is the recipient', line);
  // The work reads the recipient through its parameter: the loop's index may not exist where the work now is.
  const elementSource = j(found).toSource();
  const declared = work.some((s) => j(s).find(j.VariableDeclarator, { id: { name: 'recipient' } }).length > 0);
  if (declared) throw new TransformSkip(`cannot tell whether ${elementSource} is the recipient`, line);
  for (const statement of work) {
    j(statement)
      .find(j.MemberExpression, { computed: true })
      .filter((path) => j(path.node).toSource() === elementSource)
      .replaceWith(j.identifier('recipient'));
  }
  return { recipient: found, parameter: 'recipient', list: found.object };
}

/**
 * Moves the per-recipient work out of the recipient loop into `processSingleRecipientOptimized(recipient, ctx)`,
 * returned as its declaration (with the list it loops over, when that had to be read into a name first); the loop
 * keeps its pacing and calls it. An arrow, so `this` keeps its meaning.
 */
export function extractRecipientWork(m: Migration, loop: Node, typed: boolean): { helper: Node; hoisted?: Node } {
  const { j } = m;
  const line = loop.loc?.start.line;
  const work: Node[] = statementsOf(loop.body);
  const tail: Node[] = [];
  while (work.length > 0 && staysInLoop(m, work.at(-1))) tail.unshift(work.pop());
  const exit = work.map(leavesLoop).find(Boolean);
  if (exit)
    throw new TransformSkip(
      'the per-recipient work leaves the loop early (break, continue or return)',
      exit.loc?.start.line ?? line,
    );
  const { recipient, parameter, list } = recipientOf(m, loop, work);
  // What the pacing reads from the top of the work (`const started = Date.now()`) stays in the loop with it.
  const head: Node[] = [];
  const readByTail = (s: Node) =>
    s.type === 'VariableDeclaration' &&
    s.declarations.some((d: Node) =>
      tail.some((t) => contains(j, t, (n) => n.type === 'Identifier' && n.name === d.id.name)),
    );
  while (work.length > 0 && readByTail(work[0])) head.push(work.shift());
  for (const declaration of head) {
    for (const d of declaration.declarations) {
      if (work.some((s) => contains(j, s, (n) => n.type === 'Identifier' && n.name === d.id.name)))
        throw new TransformSkip(
          `both the work and the pacing after it read \`${d.id.name}\``,
          declaration.loc?.start.line,
        );
    }
  }
  const orphan = work.find(readByTail);
  if (orphan)
    throw new TransformSkip('the pacing after the work reads a value the work declares', orphan.loc?.start.line);
  // In TypeScript the parameter is typed from the list, which must then be a name: `for (r of await load())` reads
  // its list into one first.
  const hoisted =
    typed && loop.type === 'ForOfStatement' && !/^(Identifier|MemberExpression)$/.test(list.type)
      ? j.variableDeclaration('const', [j.variableDeclarator(j.identifier('recipientList'), list)])
      : undefined;
  if (hoisted) loop.right = j.identifier('recipientList');
  if (loop.type === 'ForStatement' && loop.init?.type === 'VariableDeclaration') {
    const declared = new Set(loop.init.declarations.map((d: Node) => d.id.name));
    if (work.some((st) => contains(j, st, (n) => n.type === 'Identifier' && declared.has(n.name))))
      throw new TransformSkip('the per-recipient work uses the loop index beyond reading the recipient', line);
  }
  const types = typed
    ? [
        `: (typeof ${hoisted ? 'recipientList' : j(list).toSource()})[number]`,
        ': { scheduler: ServerUpdateScheduler; campaignId: string }',
      ]
    : ['', ''];
  const helper = j.template.statement([
    `const processSingleRecipientOptimized = async (${parameter}${types[0]}, ctx${types[1]}) => {};\n`,
  ]);
  helper.declarations[0].init.body = j.blockStatement(rewriteStatements(m, work, true));
  helper.comments = [j.commentLine(' The original per-recipient work; its outcomes go to the scheduler.', true, false)];
  // Parsed from text, so the printer keeps the call on one line.
  const call = `await processSingleRecipientOptimized(${j(recipient).toSource()}, { scheduler, campaignId: ${m.campaign}.id });`;
  loop.body = j.blockStatement([...head, j(call).find(j.ExpressionStatement).get().node, ...tail]);
  return hoisted ? { helper, hoisted } : { helper };
}
