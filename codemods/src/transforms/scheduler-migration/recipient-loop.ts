import type { JSCodeshift } from 'jscodeshift';
import { contains, type Node } from '../../analysis/syntax.js';
import { TransformSkip } from '../../transform.js';

const LOOPS = new Set(['ForOfStatement', 'ForStatement', 'WhileStatement', 'DoWhileStatement']);
// `recipients: for (…)`: a labelled loop is the loop.
const loopOf = (s: Node) => (s.type === 'LabeledStatement' ? s.body : s);

/** The recipient loop: the last loop of processCampaign's body that pushes into an array, and that array. */
export function recipientLoop(j: JSCodeshift, statements: Node[], line: number | undefined, sentArrays: Set<string>) {
  const pushes = (n: Node) => n.type === 'CallExpression' && n.callee.property?.name === 'push';
  const index = statements.findLastIndex((s) => LOOPS.has(loopOf(s).type) && contains(j, s, pushes));
  if (index < 0) {
    const nested = statements.some((s) => contains(j, s, (n) => LOOPS.has(n.type) && contains(j, n, pushes)));
    const reason = nested
      ? 'the loop over the recipients is not at the top of processCampaign (it sits in another statement: a try, an if, another loop)'
      : 'no loop over the recipients that buffers outcomes';
    throw new TransformSkip(reason, line);
  }
  const loop = loopOf(statements[index]);
  // The buffer: the array the loop pushes into that the update calls send; else the first one pushed into.
  const pushedInto = j(loop)
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'push' } } })
    .nodes()
    .map((call) => (call.callee as Node).object)
    .filter((object) => object.type === 'Identifier')
    .map((object) => object.name as string);
  const sent = (name: string) => sentArrays.has(name);
  const buffer = pushedInto.find(sent) ?? pushedInto[0];
  if (!buffer) {
    // `this.buffer.push(…)`: a property, which outlives the call and may be read elsewhere.
    const property = j(loop)
      .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'push' } } })
      .nodes()
      .map((call) => j((call.callee as Node).object).toSource())
      .find((object) => object.includes('.'));
    const reason = property
      ? `the outcomes go into ${property}, a property: only a local array can be followed as the buffer`
      : 'cannot tell which array is the outcome buffer';
    throw new TransformSkip(reason, loop.loc?.start.line);
  }
  return { index, loop, statement: statements[index], buffer };
}

/** `campaign.emailsPerMinute` (or `.ratePerMinute`, `.rate`…) when processCampaign reads its campaign's rate. */
export function campaignRate(j: JSCodeshift, body: Node, campaign: string): string | undefined {
  const fields = j(body)
    .find(j.MemberExpression, { computed: false, object: { type: 'Identifier', name: campaign } })
    .nodes()
    .map((node) => (node.property as Node).name as string);
  const field =
    ['emailsPerMinute', 'ratePerMinute', 'rate'].find((name) => fields.includes(name)) ??
    fields.find((name) => /PerMinute$/.test(name));
  return field === undefined ? undefined : `${campaign}.${field}`;
}
