import type { API, ASTNode, Collection, FileInfo, JSCodeshift } from 'jscodeshift';
import { helperEndpoints } from '../../analysis/endpoints.js';
import { insertHeader } from '../../analysis/header.js';
import { isEsm, kindOf, localHelperModules, namespacedUpdateCalls } from '../../analysis/updates.js';
import { type Transform, TransformSkip } from '../../transform.js';
import { findDirectCalls } from '../hotfix-throttle/direct-calls.js';

// biome-ignore lint/suspicious/noExplicitAny: jscodeshift's node types are too loose to narrow usefully here.
type Node = any;

const LOOPS = new Set(['ForOfStatement', 'ForStatement', 'WhileStatement']);

/** The `processCampaign` function: a declaration, a variable's arrow or function, or a class or object method. */
function findProcessCampaign(j: JSCodeshift, root: Collection): Node | undefined {
  const named = (node: Node) => node?.type === 'Identifier' && node.name === 'processCampaign';
  let found: Node;
  root.find(j.Node).forEach((path) => {
    const node = path.node as Node;
    if (found) return;
    if (node.type === 'FunctionDeclaration' && named(node.id)) found = node;
    else if (node.type === 'VariableDeclarator' && named(node.id) && /Function/.test(node.init?.type ?? ''))
      found = node.init;
    else if (/^(ClassMethod|ObjectMethod)$/.test(node.type) && named(node.key)) found = node;
    else if (
      /^(MethodDefinition|ObjectProperty|Property)$/.test(node.type) &&
      named(node.key) &&
      /Function/.test(node.value?.type ?? '')
    )
      found = node.value;
  });
  return found;
}

const CAMPAIGN = `$\{campaignId}`;
const DEFAULT_PATHS = { events: `/api/campaigns/${CAMPAIGN}/events`, status: `/api/campaigns/${CAMPAIGN}/status` };

/**
 * The path of a direct call's URL, as a template on `campaignId`: `${base}/api/campaigns/${campaign.id}/events` or
 * `base + '/api/campaigns/' + campaign.id + '/events'`. Undefined when a part is neither text nor the campaign.
 */
function directPath(j: JSCodeshift, url: Node): string | undefined {
  const parts: Node[] = [];
  if (url?.type === 'TemplateLiteral') {
    url.quasis.forEach((quasi: Node, i: number) => {
      parts.push({ type: 'StringLiteral', value: quasi.value.cooked });
      if (url.expressions[i]) parts.push(url.expressions[i]);
    });
  } else if (url?.type === 'BinaryExpression') {
    const flatten = (node: Node): void => {
      if (node.type === 'BinaryExpression' && node.operator === '+') {
        flatten(node.left);
        flatten(node.right);
      } else parts.push(node);
    };
    flatten(url);
  } else return undefined;
  const text = (node: Node): string | undefined =>
    node.type === 'StringLiteral' || (node.type === 'Literal' && typeof node.value === 'string')
      ? node.value
      : undefined;
  // The base is everything before the first text that starts a path.
  const start = parts.findIndex((part) => text(part)?.startsWith('/'));
  if (start < 0) return undefined;
  let path = '';
  for (const part of parts.slice(start)) {
    const value = text(part);
    if (value !== undefined) path += value;
    else if (/campaign/i.test(j(part).toSource())) path += CAMPAIGN;
    else return undefined;
  }
  return path;
}

/** Whether `node` (or anything in it, not inside a nested function) matches. */
function contains(j: JSCodeshift, node: Node, test: (n: Node) => boolean): boolean {
  let hit = false;
  j(node as ASTNode)
    .find(j.Node)
    .forEach((path) => {
      if (!hit && test(path.node)) hit = true;
    });
  return hit || test(node);
}

/**
 * Phase 2: rewrites `processCampaign` so that it registers the campaign with one process-wide
 * `ServerUpdateScheduler`, keeps the original pacing, and calls `processSingleRecipientOptimized(recipient, ctx)`,
 * which holds the per-recipient work with its outcomes going to `scheduler.record`. Statuses go to `setStatus`;
 * the buffer, its flushes, the status timers and the direct update calls are gone.
 */
export const schedulerMigration: Transform = {
  name: 'scheduler-migration',
  description: 'Phase 2: processCampaign reports through one ServerUpdateScheduler (processSingleRecipientOptimized)',
  dependency: '@scope/scheduler',
  transform(file: FileInfo, api: API, notes: string[] = []) {
    const j = api.jscodeshift;
    const typed = /\.[cm]?tsx?$/.test(file.path);
    const root = j(file.source);
    if (file.source.includes('@scope/scheduler')) return undefined; // already migrated
    const fn = findProcessCampaign(j, root);
    if (!fn) return undefined;
    const line = fn.loc?.start.line;
    if (fn.body?.type !== 'BlockStatement') throw new TransformSkip('processCampaign has no block body', line);
    const campaign = fn.params[0];
    if (campaign?.type !== 'Identifier')
      throw new TransformSkip('the first parameter of processCampaign is not a plain name', line);
    const C = campaign.name;

    // What reports to the server: local helpers (by name) and direct fetch/axios/got calls (by URL).
    const modules = localHelperModules(j, root);
    const helpers = new Map([...modules.keys()].flatMap((name) => (kindOf(name) ? [[name, kindOf(name)]] : [])));
    // The endpoints and headers the helpers used, read where they are defined (another file, with ts-morph).
    const used = new Map(
      [...helpers]
        .filter(([name]) => root.find(j.CallExpression, { callee: { name } }).length > 0)
        .map(([name, kind]) => [name, { kind: kind as 'events' | 'status', module: modules.get(name) as string }]),
    );
    const endpoints = used.size > 0 && file.path.includes('/') ? helperEndpoints(file.path, used) : { notes: [] };
    notes.push(...endpoints.notes);

    const direct = new Map(findDirectCalls(j, root).map((call) => [call.path.node, call]));
    const updateKind = (node: Node): 'events' | 'status' | undefined => {
      if (node?.type !== 'CallExpression') return undefined;
      if (node.callee.type === 'Identifier' && helpers.has(node.callee.name)) return helpers.get(node.callee.name);
      return direct.get(node)?.kind;
    };
    const callOf = (statement: Node): Node =>
      statement?.type === 'ExpressionStatement'
        ? statement.expression.type === 'AwaitExpression'
          ? statement.expression.argument
          : statement.expression
        : undefined;

    const statements: Node[] = fn.body.body;
    const loopIndex = statements.findLastIndex(
      (s) =>
        LOOPS.has(s.type) && contains(j, s, (n) => n.type === 'CallExpression' && n.callee.property?.name === 'push'),
    );
    if (loopIndex < 0) throw new TransformSkip('no loop over the recipients that buffers outcomes', line);
    const loop = statements[loopIndex];
    let buffer: string | undefined;
    j(loop as ASTNode)
      .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'push' } } })
      .forEach((path) => {
        const object = (path.node.callee as Node).object;
        if (!buffer && object.type === 'Identifier') buffer = object.name;
      });
    if (!buffer) throw new TransformSkip('cannot tell which array is the outcome buffer', loop.loc?.start.line);
    const usesBuffer = (node: Node) => contains(j, node, (n) => n.type === 'Identifier' && n.name === buffer);

    // The base URL of the server: the first argument of an events helper, or what a direct URL starts with.
    let baseUrl: string | undefined;
    // Only calls inside processCampaign: a helper's own parameter names nothing there.
    j(fn.body as ASTNode)
      .find(j.CallExpression)
      .forEach((path) => {
        if (baseUrl || updateKind(path.node) === undefined) return;
        const first = path.node.arguments[0] as Node;
        if (first?.type === 'TemplateLiteral' && first.quasis[0]?.value.raw === '' && first.expressions[0]) {
          baseUrl = j(first.expressions[0]).toSource();
        } else if (first?.type === 'BinaryExpression') {
          // SERVER + '/api/campaigns/' + id: the leftmost operand is the base.
          let left = first;
          while (left.type === 'BinaryExpression') left = left.left;
          if (/^(Identifier|MemberExpression)$/.test(left.type)) baseUrl = j(left).toSource();
        } else if (
          (first?.type === 'Identifier' || first?.type === 'MemberExpression') &&
          path.node.arguments.length >= 3 &&
          !/campaign/i.test(j(first).toSource())
        ) {
          baseUrl = j(first).toSource();
        }
      });

    // The status a call sends, and what replaces it.
    const statusArgument = (call: Node): Node => {
      if (j(call.callee).toSource() === 'fetch') {
        const body = call.arguments[1]?.properties?.find((p: Node) => p.key?.name === 'body')?.value;
        return body?.arguments?.[0];
      }
      if (/^got\./.test(j(call.callee).toSource()))
        return call.arguments[1]?.properties?.find((p: Node) => p.key?.name === 'json')?.value;
      return call.arguments.at(-1);
    };
    const setStatus = (call: Node, inRecipient: boolean): Node => {
      const status = statusArgument(call);
      if (!status) throw new TransformSkip('cannot tell which argument is the status', call.loc?.start.line);
      const [target, id] = inRecipient ? ['ctx.scheduler', 'ctx.campaignId'] : ['scheduler', `${C}.id`];
      const statement = j.expressionStatement(
        j.callExpression(j.identifier(`${target}.setStatus`), [j.identifier(id), status]),
      );
      const keys = status.type === 'ObjectExpression' ? status.properties.map((p: Node) => p.key?.name) : [];
      const partial =
        status.type === 'ObjectExpression' && !['state', 'sent', 'failed', 'total'].every((k) => keys.includes(k));
      if (
        partial ||
        (status.type !== 'ObjectExpression' && status.type !== 'CallExpression' && status.type !== 'Identifier')
      ) {
        const where = `line ${call.loc?.start.line ?? '?'}`;
        notes.push(`${where}: the status was ${j(status).toSource()}; setStatus takes { state, sent, failed, total }`);
        statement.comments = [
          j.commentLine(' TODO(scheduler-migration): setStatus takes { state, sent, failed, total }.', true, false),
        ];
      }
      return statement;
    };

    // Timers and functions that only existed to post updates go, with their calls.
    const gone = new Set<string>();
    const isGoneCall = (statement: Node) => {
      const call = callOf(statement);
      const name = (call?.callee as Node)?.name as string | undefined;
      return (
        call?.type === 'CallExpression' &&
        ((name !== undefined && gone.has(name)) || /^clear(Interval|Timeout)$/.test(name ?? ''))
      );
    };
    const callsGone = (node: Node) => contains(j, node, (n) => n.type === 'CallExpression' && gone.has(n.callee?.name));
    const dropAtTop = (s: Node): boolean => {
      if (
        s.type === 'FunctionDeclaration' &&
        (usesBuffer(s) || callsGone(s) || contains(j, s, (n) => updateKind(n) !== undefined))
      ) {
        gone.add(s.id.name);
        return true;
      }
      if (s.type === 'VariableDeclaration') {
        const d = s.declarations[0];
        const name = d?.id?.name;
        const timer = d?.init?.type === 'CallExpression' && /^set(Interval|Timeout)$/.test(d.init.callee.name ?? '');
        const fnUsingUpdates =
          /Function/.test(d?.init?.type ?? '') &&
          (usesBuffer(d.init) || callsGone(d.init) || contains(j, d.init, (n) => updateKind(n) !== undefined));
        if (
          name === buffer ||
          timer ||
          fnUsingUpdates ||
          (d?.init?.type === 'NullLiteral' && /timer/i.test(name ?? '')) ||
          (d?.init?.type === 'Literal' && d.init.value === null && /timer/i.test(name ?? ''))
        ) {
          if (name) gone.add(name);
          return true;
        }
      }
      return false;
    };
    // Until nothing more goes: a function that only calls what went goes too (scheduleFlush → flushBuffer).
    let before = statements.slice(0, loopIndex);
    for (let size = -1; size !== before.length; ) {
      size = before.length;
      before = before.filter((s) => !dropAtTop(s));
    }
    const after = statements.slice(loopIndex + 1);

    /** Rewrites a list of statements: buffer pushes → record, status updates → setStatus, flushes and timers go. */
    const rewrite = (list: Node[], inRecipient: boolean): Node[] =>
      list.flatMap((s): Node[] => {
        if (isGoneCall(s)) return [];
        const call = callOf(s);
        const kind = updateKind(call);
        if (kind === 'events') return [];
        if (kind === 'status') return [setStatus(call, inRecipient)];
        if (s.type === 'IfStatement') {
          if (usesBuffer(s.test) || contains(j, s, (n) => n.type === 'CallExpression' && gone.has(n.callee?.name)))
            return [];
          s.consequent = block(rewrite(asList(s.consequent), inRecipient));
          if (s.alternate) s.alternate = block(rewrite(asList(s.alternate), inRecipient));
          return [s];
        }
        if (s.type === 'TryStatement') {
          s.block.body = rewrite(s.block.body, inRecipient);
          if (s.handler) s.handler.body.body = rewrite(s.handler.body.body, inRecipient);
          return [s];
        }
        if (
          inRecipient &&
          call?.type === 'CallExpression' &&
          call.callee.object?.name === buffer &&
          call.callee.property?.name === 'push'
        ) {
          return [
            j.expressionStatement(
              j.awaitExpression(
                j.callExpression(j.identifier('ctx.scheduler.record'), [
                  j.identifier('ctx.campaignId'),
                  call.arguments[0],
                ]),
              ),
            ),
          ];
        }
        return [s];
      });
    const asList = (s: Node): Node[] => (s.type === 'BlockStatement' ? s.body : [s]);
    const block = (list: Node[]) => j.blockStatement(list);

    // The loop: its body becomes processSingleRecipientOptimized, but for the pacing and the index, which stay.
    const loopBody: Node[] = asList(loop.body);
    const stays = (s: Node) =>
      (s.type === 'ExpressionStatement' && s.expression.type === 'UpdateExpression') ||
      (s.type === 'ExpressionStatement' &&
        s.expression.type === 'AssignmentExpression' &&
        /^[+-]=$/.test(s.expression.operator)) ||
      (s.type === 'ExpressionStatement' &&
        s.expression.type === 'AwaitExpression' &&
        /sleep|delay|wait|setTimeout/i.test(j(s.expression).toSource()));
    const tail: Node[] = [];
    while (loopBody.length > 0 && stays(loopBody.at(-1))) tail.unshift(loopBody.pop());
    const work = loopBody;
    if (work.some((s) => contains(j, s, (n) => /^(BreakStatement|ContinueStatement|ReturnStatement)$/.test(n.type)))) {
      throw new TransformSkip(
        'the per-recipient work leaves the loop early (break, continue or return)',
        loop.loc?.start.line,
      );
    }
    let recipient: Node;
    let parameter = 'recipient';
    if (loop.type === 'ForOfStatement') {
      const left = loop.left.type === 'VariableDeclaration' ? loop.left.declarations[0].id : loop.left;
      if (left.type !== 'Identifier')
        throw new TransformSkip('the loop variable is destructured', loop.loc?.start.line);
      recipient = j.identifier(left.name);
      parameter = left.name;
    } else if (
      work[0]?.type === 'VariableDeclaration' &&
      work[0].declarations.length === 1 &&
      work[0].declarations[0].id.type === 'Identifier' &&
      work[0].declarations[0].init?.type === 'MemberExpression' &&
      work[0].declarations[0].init.computed
    ) {
      // `const recipient = recipients[i]` opens the body: it becomes the parameter.
      const [declaration] = work.shift().declarations;
      recipient = declaration.init;
      parameter = declaration.id.name;
    } else {
      let element: Node;
      j(loop.body as ASTNode)
        .find(j.MemberExpression, { computed: true })
        .forEach((path) => {
          element ??= path.node;
        });
      if (!element)
        throw new TransformSkip('cannot tell which element of the loop is the recipient', loop.loc?.start.line);
      recipient = element;
      // The work reads the recipient through its parameter: the loop's index may not exist where the work now is.
      const elementSource = j(element).toSource();
      for (const statement of work) {
        j(statement as ASTNode)
          .find(j.MemberExpression, { computed: true })
          .filter((path) => j(path.node).toSource() === elementSource)
          .replaceWith(j.identifier(parameter));
      }
    }
    if (loop.type === 'ForStatement' && loop.init?.type === 'VariableDeclaration') {
      const declared = new Set(loop.init.declarations.map((d: Node) => d.id.name));
      if (work.some((st) => contains(j, st, (n) => n.type === 'Identifier' && declared.has(n.name)))) {
        throw new TransformSkip(
          'the per-recipient work uses the loop index beyond reading the recipient',
          loop.loc?.start.line,
        );
      }
    }
    // An arrow, so `this` inside the work still means what it meant in the loop.
    const source = j(
      loop.type === 'ForOfStatement' ? loop.right : ((recipient as Node).object ?? recipient),
    ).toSource();
    const types = typed
      ? [`: (typeof ${source})[number]`, ': { scheduler: ServerUpdateScheduler; campaignId: string }']
      : ['', ''];
    const helper = j.template.statement([
      `const processSingleRecipientOptimized = async (${parameter}${types[0]}, ctx${types[1]}) => {};\n`,
    ]);
    helper.declarations[0].init.body = block(rewrite(work, true));
    helper.comments = [
      j.commentLine(' The original per-recipient work; its outcomes go to the scheduler.', true, false),
    ];
    loop.body = block([
      j.expressionStatement(
        j.awaitExpression(
          j.callExpression(j.identifier('processSingleRecipientOptimized'), [
            recipient,
            j.objectExpression([
              Object.assign(j.property('init', j.identifier('scheduler'), j.identifier('scheduler')), {
                shorthand: true,
              }),
              j.property('init', j.identifier('campaignId'), j.identifier(`${C}.id`)),
            ]),
          ]),
        ),
      ),
      ...tail,
    ]);

    const rewrittenAfter = rewrite(after, false);
    const finalStatus = rewrittenAfter.findLastIndex((s) => /scheduler\.setStatus/.test(j(s).toSource()));
    const flush = j.template.statement([`await scheduler.flush(${C}.id);\n`]);
    if (finalStatus >= 0) rewrittenAfter.splice(finalStatus + 1, 0, flush);
    else rewrittenAfter.unshift(flush);

    const todo = baseUrl === undefined;
    const head = j.template.statements([
      `const scheduler = updateScheduler(${baseUrl ?? 'process.env.MAIN_SERVER_URL'});\nscheduler.registerCampaign(${C}.id, { emailsPerMinute: ${C}.emailsPerMinute });\n`,
    ]);
    if (todo) {
      notes.push("the main server's URL could not be inferred: marked TODO(scheduler-migration)");
      head[0].comments = [
        j.commentLine(
          " TODO(scheduler-migration): the main server's URL could not be inferred; set it here.",
          true,
          false,
        ),
      ];
    }
    // The scheduler comes after what its URL is made of, and before its first use.
    const rewrittenBefore = rewrite(before, false);
    const firstUse = rewrittenBefore.findIndex((st) => /\bscheduler\./.test(j(st).toSource()));
    const at = firstUse >= 0 ? firstUse : rewrittenBefore.length;
    fn.body.body = [
      ...rewrittenBefore.slice(0, at),
      ...head,
      ...rewrittenBefore.slice(at),
      helper,
      loop,
      ...rewrittenAfter,
    ];
    // What was removed must not be used any more: else the rewrite would not run, and the file is left alone.
    const leftover = contains(
      j,
      fn.body,
      (n) =>
        (n.type === 'Identifier' && (n.name === buffer || gone.has(n.name))) ||
        (n.type === 'CallExpression' && updateKind(n) !== undefined),
    );
    if (leftover) {
      throw new TransformSkip(
        `the outcome buffer (${buffer}), or a function that posted updates, is still used after the rewrite`,
        line,
      );
    }
    // Helpers called through their module (`api.postEvents(…)`) are not followed yet: say so rather than send twice.
    const namespaced = namespacedUpdateCalls(j, root);
    if (namespaced.length > 0) {
      throw new TransformSkip(
        'updates are posted through a module object (api.postEvents(…)); not rewritten yet',
        namespaced.paths()[0]?.node.loc?.start.line,
      );
    }

    // Direct calls carry their URL in the file: the path after the base, the campaign named `campaignId`.
    for (const call of direct.values()) {
      const path = directPath(j, call.path.node.arguments[0] as Node);
      if (path === undefined) {
        notes.push(
          `line ${call.path.node.loc?.start.line}: the ${call.kind} URL could not be read: the default endpoint is assumed`,
        );
      } else if (path !== DEFAULT_PATHS[call.kind]) {
        (endpoints as { events?: string; status?: string })[call.kind] ??= `(campaignId) => \`${path}\``;
      }
    }
    const urls = [
      endpoints.events && `events: ${endpoints.events}`,
      endpoints.status && `status: ${endpoints.status}`,
    ].filter(Boolean);
    const transportExtras = `${urls.length > 0 ? `, urls: { ${urls.join(', ')} }` : ''}${endpoints.headers ? `, headers: ${endpoints.headers}` : ''}`;
    // One scheduler per process, shared by every campaign.
    const esm = isEsm(j, root, file.path);
    const header = [
      esm
        ? "import { createHttpTransport, ServerUpdateScheduler } from '@scope/scheduler';"
        : "const { createHttpTransport, ServerUpdateScheduler } = require('@scope/scheduler');",
      '',
      '// Phase 2: one scheduler per process reports every campaign: batched, spaced, retried, nothing lost.',
      typed ? 'let sharedScheduler: ServerUpdateScheduler | undefined;' : 'let sharedScheduler;',
      typed
        ? 'function updateScheduler(baseUrl: string | undefined): ServerUpdateScheduler {'
        : 'function updateScheduler(baseUrl) {',
      `  sharedScheduler ??= new ServerUpdateScheduler({ transport: createHttpTransport({ baseUrl: String(baseUrl), shape: 'legacy'${transportExtras} }) });`,
      '  return sharedScheduler;',
      '}',
    ].join('\n');
    insertHeader(j, root, header);
    return root.toSource({ quote: 'single' });
  },
};
