import type { Collection, JSCodeshift } from 'jscodeshift';
import type { Node } from './syntax.js';

/**
 * The names a module exports: `export function x`, `export { x }`, `exports.x = …`, `module.exports.x = …` and the
 * properties of `module.exports = { x, y: z }` (by their local names).
 */
export function exportedNames(j: JSCodeshift, root: Collection): Set<string> {
  const names = new Set<string>();
  root.find(j.ExportNamedDeclaration).forEach((path) => {
    const node = path.node as Node;
    if (node.declaration?.id) names.add(node.declaration.id.name);
    for (const d of node.declaration?.declarations ?? []) if (d.id.type === 'Identifier') names.add(d.id.name);
    for (const spec of node.specifiers ?? []) names.add(spec.local.name);
  });
  root.find(j.AssignmentExpression).forEach((path) => {
    const { left, right } = path.node as Node;
    const target = j(left).toSource();
    const member = /^(module\.)?exports\.([\w$]+)$/.exec(target);
    if (member && right.type === 'Identifier') names.add(right.name);
    if (member && right.type !== 'Identifier') names.add(member[2] as string);
    if (target === 'module.exports' && right.type === 'ObjectExpression')
      for (const p of right.properties) if (p.value?.type === 'Identifier') names.add(p.value.name);
  });
  return names;
}
