import type { Collection, JSCodeshift } from 'jscodeshift';
import { callIn, callOf, contains, type Node, statementsOf } from '../../analysis/syntax.js';
import type { Kind } from '../../analysis/updates.js';
import { declaredFunction } from './local-functions.js';

/** What a function of the module does with updates. */
export type ModuleFunction =
  /** `readsBuffer`: it posts the worker's module-level buffer itself (`flush()` without arguments). */
  | { readonly kind: Kind; readonly helper: true; readonly readsBuffer: boolean }
  /** It posts updates and does more (both kinds, a checkpoint, a status built inside): it cannot be followed. */
  | { readonly helper: false; readonly line: number | undefined; readonly why: string };

/**
 * The functions of this module (besides processCampaign's own) that post updates. One that only posts updates of
 * one kind, a status passed through as its last parameter, is a helper like those of another module: calls to it
 * are update calls. One that does more is noted, so a call to it from processCampaign is refused rather than lost.
 */
export function moduleUpdateFunctions(
  j: JSCodeshift,
  root: Collection,
  fn: Node,
  kindOf: (node: Node) => Kind | undefined,
  statusOf: (call: Node) => Node,
  buffer: string,
): Map<string, ModuleFunction> {
  const functions = new Map<string, ModuleFunction>();
  const program = root.find(j.Program).get().node as Node;
  for (const statement of program.body) {
    const declared = declaredFunction(statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement);
    if (!declared || contains(j, declared.fn, (n) => n === fn)) continue;
    const calls = j(declared.fn)
      .find(j.CallExpression)
      .nodes()
      .filter((call) => kindOf(call) !== undefined);
    if (calls.length === 0) continue;
    const kinds = new Set(calls.map((call) => kindOf(call) as Kind));
    const line = declared.fn.loc?.start.line;
    const noCalls = (node: Node) => !contains(j, node, (n) => n.type === 'CallExpression' && kindOf(n) === undefined);
    const readsBuffer = contains(j, declared.fn, (n) => n.type === 'Identifier' && n.name === buffer);
    // `const batch = buffer.splice(0); buffer = [];`: handling the module-level buffer it posts.
    const isBuffer = (node: Node) => node?.type === 'Identifier' && node.name === buffer;
    const bufferMethod = (node: Node) => node?.type === 'CallExpression' && isBuffer(node.callee.object);
    const handlesBuffer = (s: Node): boolean => {
      if (s.type === 'VariableDeclaration')
        return s.declarations.every((d: Node) => isBuffer(d.init) || bufferMethod(d.init));
      const e = s.type === 'ExpressionStatement' ? s.expression : undefined;
      if (e?.type === 'AssignmentExpression') return isBuffer(e.left) || isBuffer(e.left.object);
      return bufferMethod(e);
    };
    const onlyUpdates = (list: Node[]): boolean =>
      list.every(
        (s) =>
          s.type === 'EmptyStatement' ||
          (s.type === 'ReturnStatement' && (!s.argument || kindOf(callIn(s.argument)) !== undefined)) ||
          (s.type === 'ExpressionStatement' && kindOf(callOf(s)) !== undefined) ||
          (readsBuffer && handlesBuffer(s)) ||
          (s.type === 'IfStatement' &&
            noCalls(s.test) &&
            onlyUpdates(statementsOf(s.consequent)) &&
            (!s.alternate || onlyUpdates(statementsOf(s.alternate)))),
      );
    const body = declared.fn.body;
    const only = body.type === 'BlockStatement' ? onlyUpdates(body.body) : kindOf(callIn(body)) !== undefined;
    const [kind] = kinds;
    const last = declared.fn.params.at(-1);
    const passedThrough = calls.every((call) => {
      const status = statusOf(call);
      return status?.type === 'Identifier' && last?.type === 'Identifier' && status.name === last.name;
    });
    if (!only) functions.set(declared.name, { helper: false, line, why: 'posts updates and does other work too' });
    else if (kinds.size > 1)
      functions.set(declared.name, { helper: false, line, why: 'posts both events and a status' });
    else if (kind === 'status' && !passedThrough)
      functions.set(declared.name, { helper: false, line, why: 'builds the status it sends' });
    else functions.set(declared.name, { kind: kind as Kind, helper: true, readsBuffer });
  }
  return functions;
}
