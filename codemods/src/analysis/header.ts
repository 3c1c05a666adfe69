import type { Collection, JSCodeshift } from 'jscodeshift';

type TopNode = { type: string; comments?: unknown; directive?: string; expression?: { type: string; value?: unknown } };

/** `'use strict';` as the Babel parser gives it: a statement (the TypeScript parser keeps directives apart). */
const isDirective = (node: TopNode) =>
  node.type === 'ExpressionStatement' &&
  (node.directive !== undefined || /^(StringLiteral|Literal)$/.test(node.expression?.type ?? '')) &&
  typeof node.expression?.value === 'string';

/**
 * Inserts `header` (source text) after the module's imports and requires, or at the top when it has none; the file's
 * opening comment stays first, above what is added. Returns what to apply to the printed output, which keeps the
 * header on lines of its own.
 */
export function insertHeader(j: JSCodeshift, root: Collection, header: string): (output: string) => string {
  const program = root.find(j.Program).get('body');
  const tops = program.value as TopNode[];
  const isImport = (node: TopNode) =>
    node.type === 'ImportDeclaration' ||
    (node.type === 'VariableDeclaration' &&
      j(node as never).find(j.CallExpression, { callee: { name: 'require' } }).length > 0);
  const lastImport = tops.filter(isImport).at(-1);
  // 'use strict' must stay the first statement, or it stops being a directive.
  const directives = tops.findIndex((node) => !isDirective(node));
  const index = lastImport ? tops.indexOf(lastImport) + 1 : directives < 0 ? tops.length : directives;
  const added = j(header).find(j.Program).get('body').value as TopNode[];
  const hasDirectives = (root.find(j.Program).get().node.directives ?? []).length > 0 || index > 0;
  const first = tops[0];
  if (index === 0 && !hasDirectives && first?.comments && added[0]) {
    added[0].comments = first.comments;
    first.comments = undefined;
  }
  tops.splice(index, 0, ...added);
  // Inserted above an untouched first statement, the printer can glue that statement to the header's last line.
  const last = header.trimEnd().split('\n').slice(-2).join('\n');
  return (output) => {
    const end = output.indexOf(last) + last.length;
    return end >= last.length && output[end] !== '\n' ? `${output.slice(0, end)}\n\n${output.slice(end)}` : output;
  };
}
