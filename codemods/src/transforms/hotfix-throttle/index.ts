import type { API, ASTPath, CallExpression, FileInfo, JSCodeshift } from 'jscodeshift';
import { insertHeader } from '../../analysis/header.js';
import { calleeName, isEsm, type Kind, updateHelpers } from '../../analysis/updates.js';
import type { Transform } from '../../transform.js';
import { campaignArgument, eventsArgument, pushedArrays } from './arguments.js';
import { findDirectCalls, rewriteDirectCalls } from './direct-calls.js';

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
  const fn = helper.name.includes('.') ? `(...args${args}) => ${helper.name}(...args)` : helper.name;
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
    `  ${throttled}Merged(...(args.map((arg, i) => (i === ${events} ? [...arg] : arg))${typed ? ` as Parameters<typeof ${helper.name}>` : ''}));`,
  ].join('\n');
}

const FUNCTION = /^(FunctionDeclaration|FunctionExpression|ArrowFunctionExpression|ClassMethod|ObjectMethod)$/;

/** The statement a call is part of (`await x(…);`, `return x(…);`, `const ok = await x(…);`), in its function. */
function statementOf(call: ASTPath): ASTPath | undefined {
  for (let path = call.parent; path; path = path.parent) {
    if (FUNCTION.test(path.node.type)) return undefined;
    const container = path.parent?.node;
    if (Array.isArray(container?.body) || Array.isArray(container?.consequent)) return path;
  }
  return undefined;
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
    const direct = findDirectCalls(j, root, /\.[cm]?tsx?$/.test(file.path));
    const helpers: Helper[] = [];
    const calls = root.find(j.CallExpression).paths();
    for (const { callee, kind } of updateHelpers(j, root).values()) {
      const helperCalls = calls.filter((call) => calleeName(call.node.callee) === callee);
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

    // The final status is found before the direct calls are rewritten (their arguments change).
    const statusCalls = [
      ...helpers.filter((helper) => helper.kind === 'status').flatMap((helper) => helper.calls),
      ...direct.filter((call) => call.kind === 'status').map((call) => call.path),
    ];
    const finalStatus = statusCalls.filter((call) => /completed|failed|cancelled/.test(j(call.node).toSource())).at(-1);
    wrapped.push(...rewriteDirectCalls(j, direct));

    // Before the final status: deliver what the throttle holds, still spaced.
    const statement = finalStatus && statementOf(finalStatus);
    if (statement) j(statement).insertBefore(j.template.statement([`await ${THROTTLE}.flush();\n`]));
    else if (finalStatus)
      notes.push(
        `line ${finalStatus.node.loc?.start.line}: the final status is sent from an expression: await ${THROTTLE}.flush() before it by hand`,
      );

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
