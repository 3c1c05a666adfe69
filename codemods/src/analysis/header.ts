import type { Collection, JSCodeshift } from 'jscodeshift';

type TopNode = { type: string; comments?: unknown };

/**
 * Inserts `header` (source text) after the module's imports and requires, or at the top when it has none; the file's
 * opening comment stays first, above what is added.
 */
export function insertHeader(j: JSCodeshift, root: Collection, header: string): void {
  const program = root.find(j.Program).get('body');
  const tops = program.value as TopNode[];
  const isImport = (node: TopNode) =>
    node.type === 'ImportDeclaration' ||
    (node.type === 'VariableDeclaration' &&
      j(node as never).find(j.CallExpression, { callee: { name: 'require' } }).length > 0);
  const lastImport = tops.filter(isImport).at(-1);
  const index = lastImport ? tops.indexOf(lastImport) + 1 : 0;
  const added = j(header).find(j.Program).get('body').value as TopNode[];
  const first = tops[0];
  if (index === 0 && first?.comments && added[0]) {
    added[0].comments = first.comments;
    first.comments = undefined;
  }
  tops.splice(index, 0, ...added);
}
