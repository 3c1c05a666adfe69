import type { Collection, JSCodeshift } from 'jscodeshift';
import { followName, type Node } from '../../analysis/syntax.js';
import type { Kind } from '../../analysis/updates.js';

const CAMPAIGN = `$\{campaignId}`;

/** The legacy endpoints' paths, as the transport builds them by default. */
export const DEFAULT_PATHS = {
  events: `/api/campaigns/${CAMPAIGN}/events`,
  status: `/api/campaigns/${CAMPAIGN}/status`,
};

const text = (node: Node): string | undefined =>
  node.type === 'StringLiteral' || (node.type === 'Literal' && typeof node.value === 'string') ? node.value : undefined;

const isNewUrl = (url: Node) =>
  url?.type === 'NewExpression' && url.callee.name === 'URL' && url.arguments.length === 2;

/**
 * The path of a direct call's URL, as a template on `campaignId`: `${base}/api/campaigns/${campaign.id}/events` or
 * `base + '/api/campaigns/' + campaign.id + '/events'`, or `new URL(path, base)`. Undefined when a part is neither
 * text nor the campaign.
 */
export function directPath(j: JSCodeshift, url: Node): string | undefined {
  // `new URL(`/api/campaigns/${id}/events`, base)`: the path is the first argument.
  if (isNewUrl(url)) return directPath(j, url.arguments[0]);
  const parts: Node[] = [];
  if (url?.type === 'TemplateLiteral') {
    url.quasis.forEach((quasi: Node, i: number) => {
      parts.push({ type: 'StringLiteral', value: quasi.value.cooked });
      if (url.expressions[i]) parts.push(url.expressions[i]);
    });
  } else if (url?.type === 'BinaryExpression') {
    const flatten = (node: Node): void => {
      if (node.type === 'BinaryExpression' && node.operator === '+') {
        flatten(node.left);
        flatten(node.right);
      } else parts.push(node);
    };
    flatten(url);
  } else return undefined;
  // The base is everything before the first text that starts a path.
  const start = parts.findIndex((part) => text(part)?.startsWith('/'));
  if (start < 0) return undefined;
  let path = '';
  for (const part of parts.slice(start)) {
    const value = text(part);
    if (value !== undefined) path += value;
    else if (/campaign/i.test(j(part).toSource())) path += CAMPAIGN;
    else return undefined;
  }
  return path;
}

/**
 * The main server's base URL, from the update calls inside processCampaign (a helper's own parameter names
 * nothing there): the first argument of a helper, or what a direct URL starts with.
 */
export function baseUrlOf(
  j: JSCodeshift,
  root: Collection,
  body: Node,
  updateKind: (node: Node) => Kind | undefined,
): string | undefined {
  let baseUrl: string | undefined;
  j(body)
    .find(j.CallExpression)
    .forEach((path) => {
      if (baseUrl || updateKind(path.node) === undefined) return;
      const first = followName(j, root, path.node.arguments[0] as Node);
      if (isNewUrl(first)) {
        baseUrl = j(first.arguments[1]).toSource();
      } else if (first?.type === 'TemplateLiteral' && first.quasis[0]?.value.raw === '' && first.expressions[0]) {
        baseUrl = j(first.expressions[0]).toSource();
      } else if (first?.type === 'BinaryExpression') {
        // SERVER + '/api/campaigns/' + id: the leftmost operand is the base.
        let left = first;
        while (left.type === 'BinaryExpression') left = left.left;
        if (/^(Identifier|MemberExpression)$/.test(left.type)) baseUrl = j(left).toSource();
      } else if (
        (first?.type === 'Identifier' || first?.type === 'MemberExpression') &&
        path.node.arguments.length >= 3 &&
        !/campaign/i.test(j(first).toSource())
      ) {
        baseUrl = j(first).toSource();
      }
    });
  return baseUrl;
}
