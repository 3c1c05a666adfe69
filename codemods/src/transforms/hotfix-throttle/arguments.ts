import type { ASTPath, CallExpression, Collection, JSCodeshift } from 'jscodeshift';
import type { Node } from '../../analysis/syntax.js';
import { TransformSkip } from '../../transform.js';

/** A helper as the worker calls it, with its calls. */
export interface HelperCalls {
  readonly name: string;
  readonly calls: ASTPath<CallExpression>[];
}

// `campaign.id`, `this.campaign.id`, `campaignId`, `job.campaign_id`: surely the campaign. A bare `campaign` or
// `id` only when nothing surer is there; `campaign.serverUrl` never.
const CAMPAIGN_ID = /(^|\.)(campaign\.id|campaignId|campaign_id)$/;
const CAMPAIGN_LIKE = /^(campaign|id)$/;
// Named like a buffer of events, and not like what travels beside one.
const EVENTS_NAME = /buffer|events|outcomes|results|batch|queue|pending|items/i;
const NOT_EVENTS_NAME = /url|uri|endpoint|path|option|config|header|key|token/i;

/** One position for every call, or the file is not safe to rewrite. */
function samePosition(helper: HelperCalls, positions: number[], what: string): number {
  const distinct = new Set(positions);
  const [position] = distinct;
  if (distinct.size !== 1 || position === undefined || position < 0) {
    const line = helper.calls[positions.findIndex((p) => p < 0)]?.node.loc?.start.line;
    throw new TransformSkip(
      `cannot tell which argument of ${helper.name}() ${what}`,
      line ?? helper.calls[0]?.node.loc?.start.line,
    );
  }
  return position;
}

/** Which argument names the campaign (the throttle's key). */
export function campaignArgument(j: JSCodeshift, helper: HelperCalls): number {
  const positions = helper.calls.map((call) => {
    const sources = call.node.arguments.map((arg) => j(arg).toSource());
    const sure = sources.findIndex((source) => CAMPAIGN_ID.test(source));
    return sure >= 0 ? sure : sources.findIndex((source) => CAMPAIGN_LIKE.test(source));
  });
  return samePosition(helper, positions, 'names the campaign');
}

/** Arrays the file pushes into: the worker's buffers. */
export function pushedArrays(j: JSCodeshift, root: Collection): Set<string> {
  const names = new Set<string>();
  root.find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'push' } } }).forEach((path) => {
    const object = (path.node.callee as Node).object;
    if (object.type === 'Identifier') names.add(object.name);
  });
  return names;
}

/** Whether an argument is the events: a buffer the file pushes into (or a slice of one), an array, or named so. */
function isEvents(j: JSCodeshift, arg: Node, buffers: Set<string>): boolean {
  if (arg.type === 'ArrayExpression') return true;
  if (arg.type === 'Identifier' && buffers.has(arg.name)) return true;
  if (arg.type === 'CallExpression' && arg.callee.type === 'MemberExpression') {
    const { object, property } = arg.callee;
    return object.type === 'Identifier' && buffers.has(object.name) && /^(slice|splice|concat)$/.test(property.name);
  }
  // `queue[0]` is one element, not the list.
  if (arg.type !== 'Identifier' && (arg.type !== 'MemberExpression' || arg.computed)) return false;
  const source = j(arg).toSource();
  return EVENTS_NAME.test(source) && !NOT_EVENTS_NAME.test(source);
}

/** Which argument carries the events: never the key, never a URL, options or a literal that is not an array. */
export function eventsArgument(j: JSCodeshift, helper: HelperCalls, key: number, buffers: Set<string>): number {
  const positions = helper.calls.map((call) =>
    call.node.arguments.findIndex((arg, i) => i !== key && isEvents(j, arg, buffers)),
  );
  return samePosition(helper, positions, 'carries the events');
}
