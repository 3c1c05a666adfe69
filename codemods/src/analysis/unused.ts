import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import type { Node } from './syntax.js';

/** Whether an identifier, where it stands, declares or names a property rather than reads a binding. */
export function isNotARead(path: ASTPath): boolean {
  const node = path.node;
  const parent = path.parent?.node as Node;
  if (!parent) return false;
  switch (parent.type) {
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return parent.property === node && !parent.computed;
    case 'Property':
    case 'ObjectProperty':
      // In a pattern (`const { a } = …`) the name is declared; in an object literal the key is not read.
      if (path.parent.parent?.node.type === 'ObjectPattern') return true;
      return parent.key === node && !parent.computed && !parent.shorthand;
    case 'ClassProperty':
    case 'ClassMethod':
    case 'ObjectMethod':
    case 'MethodDefinition':
    case 'TSPropertySignature':
      return parent.key === node && !parent.computed;
    case 'VariableDeclarator':
      return parent.id === node;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'ClassDeclaration':
      return parent.id === node || parent.params?.includes(node);
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
      return true;
    default:
      return false;
  }
}

/** The names an expression reads (not its property names). */
export function namesRead(j: JSCodeshift, node: Node): string[] {
  if (node.type === 'Identifier') return [node.name];
  return j(node)
    .find(j.Identifier)
    .filter((path) => !isNotARead(path))
    .nodes()
    .map((n) => n.name);
}

/** The names a module declares at its top level (variables, functions, classes, imports). */
export function moduleNames(j: JSCodeshift, root: Collection): Set<string> {
  const names = new Set<string>();
  const program = root.find(j.Program).get().node as Node;
  for (const statement of program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (!declaration) continue;
    if (/^(FunctionDeclaration|ClassDeclaration)$/.test(declaration.type) && declaration.id)
      names.add(declaration.id.name);
    if (declaration.type === 'ImportDeclaration')
      for (const spec of declaration.specifiers ?? []) names.add(spec.local.name);
    if (declaration.type === 'VariableDeclaration')
      for (const d of declaration.declarations) {
        if (d.id.type === 'Identifier') names.add(d.id.name);
        else for (const id of j(d.id).find(j.Identifier).nodes()) names.add(id.name);
      }
  }
  return names;
}

/** How often each name is read in a file (declarations and property names do not count). */
export function readsOf(j: JSCodeshift, root: Collection): Map<string, number> {
  const reads = new Map<string, number>();
  root.find(j.Identifier).forEach((path) => {
    if (!isNotARead(path)) reads.set(path.node.name, (reads.get(path.node.name) ?? 0) + 1);
  });
  return reads;
}

const isLocalRequire = (node: Node) =>
  node?.type === 'CallExpression' &&
  node.callee.name === 'require' &&
  String(node.arguments[0]?.value ?? '').startsWith('.');

/** An initializer whose removal changes nothing but the binding: a literal, a function, a name, a local require. */
function isPure(node: Node): boolean {
  if (!node) return true;
  switch (node.type) {
    case 'Literal':
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'BooleanLiteral':
    case 'NullLiteral':
    case 'Identifier':
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      return true;
    case 'TemplateLiteral':
      return node.expressions.every(isPure);
    case 'UnaryExpression':
      return node.operator !== 'delete' && isPure(node.argument);
    case 'BinaryExpression':
      return isPure(node.left) && isPure(node.right);
    case 'MemberExpression':
      return !node.computed && isPure(node.object);
    case 'ArrayExpression':
      return node.elements.every((element: Node) => element === null || isPure(element));
    case 'ObjectExpression':
      return node.properties.every((p: Node) => !p.computed && isPure(p.value ?? p.argument));
    default:
      return isLocalRequire(node);
  }
}

/** Removes a statement (or a declarator, with its declaration when it was the only one); its comments stay. */
function remove(j: JSCodeshift, path: ASTPath): void {
  const statement = (path.node.type === 'VariableDeclarator' ? path.parent : path) as ASTPath<Node>;
  const alone = statement === path || statement.node.declarations.length === 1;
  const comments = alone ? statement.node.comments : undefined;
  const siblings = statement.parent?.node.body as Node[] | undefined;
  const next = siblings?.[siblings.indexOf(statement.node) + 1];
  if (comments?.length && next) next.comments = [...comments, ...(next.comments ?? [])];
  j(alone ? statement : path).remove();
}

/** `{ a, b: c }` as fresh source text, so the printer keeps it on one line as it was. */
function patternOf(j: JSCodeshift, properties: Node[]): Node {
  const text = `({ ${properties.map((p) => j(p).toSource()).join(', ')} } = x);`;
  return (j(text).find(j.AssignmentExpression).get().node as Node).left;
}

/**
 * Removes what a rewrite left unused: declarations of names that were read before it and are read nowhere now,
 * declared without side effects (a constant, a function, a local require or import), and not exported. Repeats
 * until nothing more goes (a removed function may have been the only reader of a constant). Returns the names.
 */
export function removeUnused(j: JSCodeshift, root: Collection, before: ReadonlyMap<string, number>): string[] {
  const removed: string[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    const now = readsOf(j, root);
    const unused = (name: string | undefined) =>
      name !== undefined && (before.get(name) ?? 0) > 0 && (now.get(name) ?? 0) === 0;
    const drop = (name: string) => {
      removed.push(name);
      changed = true;
    };
    root.find(j.FunctionDeclaration).forEach((path) => {
      const name = path.node.id?.name as string | undefined;
      if (path.parent.node.type === 'Program' && unused(name)) {
        drop(name as string);
        remove(j, path);
      }
    });
    root.find(j.VariableDeclarator).forEach((path) => {
      const declarator = path.node as Node;
      if (path.parent.parent.node.type === 'ExportNamedDeclaration' || !isPure(declarator.init)) return;
      if (declarator.id.type === 'ObjectPattern' && isLocalRequire(declarator.init)) {
        const kept = declarator.id.properties.filter((p: Node) => !unused(p.value?.name));
        if (kept.length === declarator.id.properties.length) return;
        for (const p of declarator.id.properties) if (!kept.includes(p)) drop(p.value.name);
        if (kept.length === 0) remove(j, path);
        else declarator.id = patternOf(j, kept);
      } else if (declarator.id.type === 'Identifier' && unused(declarator.id.name)) {
        drop(declarator.id.name);
        remove(j, path);
      }
    });
    root.find(j.ImportDeclaration).forEach((path) => {
      if (!String(path.node.source.value).startsWith('.') || !path.node.specifiers?.length) return;
      const kept = path.node.specifiers.filter((s) => !unused(s.local?.name as string));
      for (const s of path.node.specifiers) if (!kept.includes(s)) drop(s.local?.name as string);
      if (kept.length === 0) remove(j, path);
      else if (kept.length < path.node.specifiers.length) path.node.specifiers = kept;
    });
  }
  return removed;
}
