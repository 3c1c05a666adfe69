import type { API, ASTPath, CallExpression, FileInfo, JSCodeshift } from 'jscodeshift';
import { exportedNames } from '../../analysis/exports.js';
import { insertHeader } from '../../analysis/header.js';
import { calleeName, isEsm, type Kind, kindOf, updateHelpers } from '../../analysis/updates.js';
import { type Transform, TransformSkip } from '../../transform.js';
import { campaignArgument, eventsArgument, pushedArrays } from './arguments.js';
import {
  type DirectCall,
  findDirectCalls,
  refuseChain,
  rewriteDirectCalls,
  unhandledUpdateCalls,
} from './direct-calls.js';
import { flushBeforeTerminalStatus, functionName, terminalStatusCalls } from './final-status.js';

interface Helper {
  /** How the worker calls it: `postEvents`, or through its module `api.postEvents`. */
  readonly name: string;
  readonly kind: Kind;
  readonly calls: ASTPath<CallExpression>[];
}

const THROTTLE = 'updateThrottle';

/** `[n0, n1, n2]`: the next call's arguments, by position. */
function nextNames(arity: number): string[] {
  return Array.from({ length: arity }, (_, i) => `next${i}`);
}

/** `[, , previous2]`: only the events of the deferred call are needed. */
function previousPattern(events: number): string {
  return `[${', '.repeat(events)}previous${events}]`;
}

function declarations(j: JSCodeshift, helper: Helper, throttled: string, typed: boolean, buffers: Set<string>): string {
  const key = campaignArgument(j, helper);
  // Typed from the helper itself, so the file type-checks whether or not @scope/throttle is installed yet.
  const args = typed ? `: Parameters<typeof ${helper.name}>` : '';
  const keyFn = `(...args${args}) => args[${key}]`;
  // A helper reached through its module is looked up at call time, so it keeps its `this` and any later stub.
  // `api.updateStatus?.(…)`: the wrapper keeps the question, so a missing helper still does nothing.
  const optional = helper.calls.some((call) => (call.node as { optional?: boolean }).optional);
  const fn =
    helper.name.includes('.') || optional
      ? `(...args${args}) => ${helper.name}${optional ? '?.' : ''}(...args)`
      : helper.name;
  if (helper.kind === 'status') return `const ${throttled} = ${THROTTLE}.wrap(${fn}, { key: ${keyFn} });`;
  const events = eventsArgument(j, helper, key, buffers);
  const arity = Math.max(...helper.calls.map((call) => call.node.arguments.length));
  const next = nextNames(arity);
  // A deferred call takes the events of the calls after it, so none is lost; and it keeps a copy of the events it
  // was given, because the worker clears its buffer (reassignment, length = 0, splice) right after the call.
  return [
    `const ${throttled}Merged = ${THROTTLE}.wrap(${fn}, {`,
    `  key: ${keyFn},`,
    `  merge: (${previousPattern(events)}${args}, [${next.join(', ')}]${args})${args} => [${next
      .map((n, i) => (i === events ? `[...previous${i}, ...${n}]` : n))
      .join(', ')}],`,
    '});',
    `const ${throttled} = (...args${args}) =>`,
    `  ${throttled}Merged(...(args.map((arg, i) => (i === ${events} ? [...${typed ? `(arg as Parameters<typeof ${helper.name}>[${events}])` : 'arg'}] : arg))${typed ? ` as Parameters<typeof ${helper.name}>` : ''}));`,
  ].join('\n');
}

/**
 * Phase 1 hotfix: routes a legacy worker's server updates through one `@scope/throttle` (at most one update every
 * 15 s, a trailing call per campaign, events merged so none is lost, the newest status winning), and flushes what
 * is deferred before the campaign's final status.
 */
export const hotfixThrottle: Transform = {
  name: 'hotfix-throttle',
  description:
    'Phase 1: route update calls through @scope/throttle (15 s apart, lossless) and flush before the final status',
  dependency: '@scope/throttle',
  transform(file: FileInfo, api: API, notes: string[] = []) {
    const j = api.jscodeshift;
    const root = j(file.source);
    if (file.source.includes('@scope/throttle')) return undefined; // already applied
    // Requests made inside an exported update helper (`api.js`'s postEvents) are throttled where the worker calls
    // the helper; wrapping them too would space every update twice.
    const exported = exportedNames(j, root);
    const insideHelper = (call: DirectCall) => {
      const fn = j(call.path).closest(j.Function);
      const name = fn.length > 0 ? functionName(fn.paths()[0] as ASTPath) : undefined;
      return name !== undefined && exported.has(name) && kindOf(name) !== undefined;
    };
    const found = findDirectCalls(j, root, /\.[cm]?tsx?$/.test(file.path));
    const direct = found.filter((call) => !insideHelper(call));
    const [unhandled] = unhandledUpdateCalls(j, root, found);
    if (unhandled) {
      const call = j(unhandled.callee).toSource();
      throw new TransformSkip(
        `${call}(…) posts an update in a form this transform does not rewrite`,
        unhandled.loc?.start.line,
      );
    }
    const helpers: Helper[] = [];
    const calls = root.find(j.CallExpression).paths();
    for (const { callee, kind, topLevel } of updateHelpers(j, root).values()) {
      const helperCalls = calls.filter((call) => calleeName(call.node.callee) === callee);
      if (helperCalls.length > 0 && !topLevel) {
        throw new TransformSkip(
          `${callee} is required inside a function: the throttle's wrappers live at the top of the module; move the require there first`,
          helperCalls[0]?.node.loc?.start.line,
        );
      }
      for (const call of helperCalls) refuseChain(j, call);
      if (helperCalls.length > 0) helpers.push({ name: callee, kind, calls: helperCalls });
    }
    if (helpers.length === 0 && direct.length === 0) return undefined;

    const buffers = pushedArrays(j, root);
    const wrapped = helpers.map((helper) => {
      const name = helper.name.split('.').at(-1) as string;
      const throttled = `throttled${name[0]?.toUpperCase()}${name.slice(1)}`;
      const declaration = declarations(j, helper, throttled, /\.[cm]?tsx?$/.test(file.path), buffers);
      for (const call of helper.calls) call.node.callee = j.identifier(throttled);
      return declaration;
    });

    // The final statuses are found before the direct calls are rewritten (their arguments change).
    const statusCalls = [
      ...helpers.filter((helper) => helper.kind === 'status').flatMap((helper) => helper.calls),
      ...direct.filter((call) => call.kind === 'status').map((call) => call.path),
    ];
    const terminal = terminalStatusCalls(j, root, statusCalls);
    wrapped.push(...rewriteDirectCalls(j, direct));

    // Before each final status: deliver what the throttle holds, still spaced.
    flushBeforeTerminalStatus(j, terminal, `await ${THROTTLE}.flush();`, notes);

    const esm = isEsm(j, root, file.path);
    const header = [
      esm
        ? "import { createThrottle } from '@scope/throttle';"
        : "const { createThrottle } = require('@scope/throttle');",
      '',
      '// Phase 1 hotfix: every server update goes through one throttle: at most one every 15 s, none lost.',
      `const ${THROTTLE} = createThrottle({ minIntervalMs: 15000 });`,
      ...wrapped,
    ].join('\n');
    const separate = insertHeader(j, root, header);
    return separate(root.toSource({ quote: 'single', wrapColumn: 120 }));
  },
};
