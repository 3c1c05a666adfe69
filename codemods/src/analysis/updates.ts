import type { CallExpression, Collection, JSCodeshift } from 'jscodeshift';

/** What a legacy update carries: recipient events, or a campaign status. */
export type Kind = 'events' | 'status';

/** What an update helper sends, from its name (`postEvents`, `sendOutcomes`, `updateStatus`, `putStatus`…). */
export function kindOf(name: string): Kind | undefined {
  if (/status/i.test(name)) return 'status';
  if (/events|outcomes|results/i.test(name)) return 'events';
  return undefined;
}

/** Names bound from a local module (`require('./api')` destructured, or `import { … } from './api'`). */
export function localHelperNames(j: JSCodeshift, root: Collection): string[] {
  return [...localHelperModules(j, root).keys()];
}

/** Each name bound from a local module, with the module it comes from. */
export function localHelperModules(j: JSCodeshift, root: Collection): Map<string, string> {
  const names = new Map<string, string>();
  root.find(j.ImportDeclaration).forEach((path) => {
    if (!String(path.node.source.value).startsWith('.')) return;
    for (const spec of path.node.specifiers ?? [])
      if (spec.type === 'ImportSpecifier') names.set(spec.local?.name as string, String(path.node.source.value));
  });
  root.find(j.VariableDeclarator, { init: { type: 'CallExpression', callee: { name: 'require' } } }).forEach((path) => {
    const init = path.node.init as CallExpression;
    const source = init.arguments[0];
    if (source?.type !== 'StringLiteral' && source?.type !== 'Literal') return;
    if (!String((source as { value: unknown }).value).startsWith('.') || path.node.id.type !== 'ObjectPattern') return;
    for (const prop of path.node.id.properties) {
      if ((prop.type === 'ObjectProperty' || prop.type === 'Property') && prop.value.type === 'Identifier')
        names.set(prop.value.name, String((source as { value: unknown }).value));
    }
  });
  return names;
}

/** Whether a file is an ES module: it imports or exports, or its name says so; else CommonJS (require). */
export function isEsm(j: JSCodeshift, root: Collection, path: string): boolean {
  if (/\.m[jt]s$/.test(path)) return true;
  if (/\.c[jt]s$/.test(path)) return false;
  const declares =
    root.find(j.ImportDeclaration).length > 0 ||
    root.find(j.ExportNamedDeclaration).length > 0 ||
    root.find(j.ExportDefaultDeclaration).length > 0;
  const requires = root.find(j.CallExpression, { callee: { name: 'require' } }).length > 0;
  return declares || (!requires && /\.tsx?$/.test(path));
}

/** Names bound to a whole local module (`const api = require('./api')`, `import * as api from './api'`). */
export function localModuleObjects(j: JSCodeshift, root: Collection): Set<string> {
  const names = new Set<string>();
  root.find(j.ImportDeclaration).forEach((path) => {
    if (!String(path.node.source.value).startsWith('.')) return;
    for (const spec of path.node.specifiers ?? []) {
      if (spec.type === 'ImportNamespaceSpecifier' || spec.type === 'ImportDefaultSpecifier')
        names.add(spec.local?.name as string);
    }
  });
  root.find(j.VariableDeclarator, { init: { type: 'CallExpression', callee: { name: 'require' } } }).forEach((path) => {
    const source = (path.node.init as CallExpression).arguments[0] as { value?: unknown } | undefined;
    if (String(source?.value ?? '').startsWith('.') && path.node.id.type === 'Identifier') names.add(path.node.id.name);
  });
  return names;
}

/** Update calls through a local module object (`api.postEvents(…)`), which the transforms do not follow yet. */
export function namespacedUpdateCalls(j: JSCodeshift, root: Collection): Collection<CallExpression> {
  const objects = localModuleObjects(j, root);
  return root.find(j.CallExpression, { callee: { type: 'MemberExpression' } }).filter((path) => {
    const callee = path.node.callee as unknown as {
      object: { type: string; name?: string };
      property: { name?: string };
    };
    return (
      callee.object.type === 'Identifier' &&
      objects.has(callee.object.name as string) &&
      kindOf(callee.property.name ?? '') !== undefined
    );
  });
}
