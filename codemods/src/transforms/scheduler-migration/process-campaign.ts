import type { Collection, JSCodeshift } from 'jscodeshift';
import type { Node } from '../../analysis/syntax.js';

const named = (node: Node) => node?.type === 'Identifier' && node.name === 'processCampaign';

/**
 * The `processCampaign` function: a declaration, a variable's arrow or function, an export assigned to
 * `module.exports` or `exports`, or a class or object method.
 */
export function findProcessCampaign(j: JSCodeshift, root: Collection): Node | undefined {
  let found: Node;
  root.find(j.Node).forEach((path) => {
    const node = path.node as Node;
    if (found) return;
    if (node.type === 'FunctionDeclaration' && named(node.id)) found = node;
    else if (node.type === 'VariableDeclarator' && named(node.id) && /Function/.test(node.init?.type ?? ''))
      found = node.init;
    else if (/^(ClassMethod|ObjectMethod)$/.test(node.type) && named(node.key)) found = node;
    // `module.exports.processCampaign = async function …`, `exports.processCampaign = async () => …`
    else if (
      node.type === 'AssignmentExpression' &&
      node.left.type === 'MemberExpression' &&
      !node.left.computed &&
      named(node.left.property) &&
      /Function/.test(node.right?.type ?? '')
    )
      found = node.right;
    else if (
      /^(MethodDefinition|ObjectProperty|Property)$/.test(node.type) &&
      named(node.key) &&
      /Function/.test(node.value?.type ?? '')
    )
      found = node.value;
  });
  return found;
}
