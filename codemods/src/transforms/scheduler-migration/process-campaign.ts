import type { Collection, JSCodeshift } from 'jscodeshift';
import type { Node } from '../../analysis/syntax.js';
import { TransformSkip } from '../../transform.js';

const named = (node: Node) => node?.type === 'Identifier' && node.name === 'processCampaign';
const isFunction = (node: Node) => /Function/.test(node?.type ?? '');

/** The function a node defines as `processCampaign`, if it does. */
function definedBy(node: Node): Node | undefined {
  if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') && named(node.id)) return node;
  if (node.type === 'VariableDeclarator' && named(node.id) && isFunction(node.init)) return node.init;
  if (/^(ClassMethod|ObjectMethod)$/.test(node.type) && named(node.key)) return node;
  if (/^(MethodDefinition|ObjectProperty|Property)$/.test(node.type) && named(node.key) && isFunction(node.value))
    return node.value;
  // `module.exports.processCampaign = async function …`, `exports.processCampaign = async () => …`
  if (
    node.type === 'AssignmentExpression' &&
    node.left.type === 'MemberExpression' &&
    !node.left.computed &&
    named(node.left.property) &&
    isFunction(node.right)
  )
    return node.right;
  return undefined;
}

/**
 * The `processCampaign` function: a declaration, a named function expression (`module.exports = async function
 * processCampaign`), a variable's arrow or function, an export assigned to `module.exports` or `exports`, or a
 * class or object method. A file with two is refused: one scheduler rewrite per file.
 */
export function findProcessCampaign(j: JSCodeshift, root: Collection): Node | undefined {
  const found = new Set<Node>();
  root.find(j.Node).forEach((path) => {
    const fn = definedBy(path.node as Node);
    if (fn) found.add(fn);
  });
  const [first, second] = found;
  if (second) {
    const lines = [...found].map((fn) => fn.loc?.start.line ?? fn.key?.loc?.start.line ?? fn.body?.loc?.start.line);
    throw new TransformSkip(
      `processCampaign is defined more than once (lines ${lines.join(', ')}): split the file, one worker each`,
      lines[1],
    );
  }
  return first;
}
