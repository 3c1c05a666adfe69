import type { Collection, JSCodeshift } from 'jscodeshift';
import type { Node } from './syntax.js';

/** What a legacy update carries: recipient events, or a campaign status. */
export type Kind = 'events' | 'status';

// A verb that sends, then what is sent: `postEvents`, `sendOutcome`, `pushResults`; `updateStatus`, `reportProgress`.
// Other names (`trackEvents`, `getStatus`) are not updates of this kind, and are left alone.
const SENDS = '(post|send|push|put|report|upload|flush|submit|save|deliver|update|set|patch)';
const EVENTS = new RegExp(`^${SENDS}\\w*(events?|outcomes?|results?)$`, 'i');
const STATUS = new RegExp(`^${SENDS}\\w*(status|progress)$`, 'i');

/** What an update helper sends, from its name. */
export function kindOf(name: string): Kind | undefined {
  if (STATUS.test(name)) return 'status';
  if (EVENTS.test(name)) return 'events';
  return undefined;
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

/** An update helper as the worker calls it: `postEvents(…)`, or through its module, `api.postEvents(…)`. */
export interface UpdateHelper {
  /** How the worker calls it: `postEvents`, `api.postEvents`. */
  readonly callee: string;
  /** Its name in the module that defines it. */
  readonly exported: string;
  readonly kind: Kind;
  /** The local module it comes from, as written (`./api`). */
  readonly module: string;
  /** Whether it is bound at the top of the module (not required inside a function). */
  readonly topLevel: boolean;
}

const localPath = (node: Node): string | undefined =>
  typeof node?.value === 'string' && node.value.startsWith('.') ? node.value : undefined;

/** `postEvents` or `api.postEvents` for a call's callee; undefined for anything else. */
export function calleeName(callee: Node): string | undefined {
  if (callee?.type === 'Identifier') return callee.name;
  if (callee?.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier')
    return `${callee.object.name}.${callee.property.name}`;
  return undefined;
}

/**
 * The update helpers a file takes from its local modules, by how they are called: names imported or destructured
 * from a require (`import { postEvents } from './api'`, `const { postEvents: post } = require('./api')`), and
 * update functions called through a whole module (`const api = require('./api')`, `import * as api from './api'`).
 */
export function updateHelpers(j: JSCodeshift, root: Collection): Map<string, UpdateHelper> {
  const helpers = new Map<string, UpdateHelper>();
  const modules = new Map<string, { module: string; topLevel: boolean }>(); // module object → its path
  const add = (local: string, exported: string, module: string, topLevel = true) => {
    const kind = kindOf(exported) ?? kindOf(local);
    if (kind) helpers.set(local, { callee: local, exported, kind, module, topLevel });
  };
  root.find(j.ImportDeclaration).forEach((path) => {
    const module = localPath(path.node.source);
    if (!module) return;
    for (const spec of path.node.specifiers ?? []) {
      const local = spec.local?.name as string;
      if (spec.type === 'ImportSpecifier') add(local, spec.imported.name as string, module);
      else modules.set(local, { module, topLevel: true });
    }
  });
  root.find(j.VariableDeclarator, { init: { type: 'CallExpression', callee: { name: 'require' } } }).forEach((path) => {
    const declarator = path.node as Node;
    const module = localPath(declarator.init.arguments[0]);
    if (!module) return;
    const topLevel = path.parent?.parent?.node.type === 'Program';
    if (declarator.id.type === 'Identifier') modules.set(declarator.id.name, { module, topLevel });
    if (declarator.id.type !== 'ObjectPattern') return;
    for (const prop of declarator.id.properties) {
      if (/^(ObjectProperty|Property)$/.test(prop.type) && prop.value.type === 'Identifier')
        add(prop.value.name, prop.key.name ?? prop.value.name, module, topLevel);
    }
  });
  root.find(j.CallExpression, { callee: { type: 'MemberExpression' } }).forEach((path) => {
    const callee = calleeName(path.node.callee);
    const [object, name] = callee?.split('.') ?? [];
    const bound = modules.get(object ?? '');
    const kind = kindOf(name ?? '');
    if (callee && bound && name && kind) helpers.set(callee, { callee, exported: name, kind, ...bound });
  });
  return helpers;
}
