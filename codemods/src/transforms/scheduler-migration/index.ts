import type { API, ASTPath, FileInfo, JSCodeshift } from 'jscodeshift';
import { insertHeader } from '../../analysis/header.js';
import { type Node, propertyValue } from '../../analysis/syntax.js';
import { isNotARead, readsOf, removeUnused } from '../../analysis/unused.js';
import { calleeName, isEsm, type Kind, updateHelpers } from '../../analysis/updates.js';
import { type Transform, TransformSkip } from '../../transform.js';
import { findDirectCalls } from '../hotfix-throttle/direct-calls.js';
import { flushOnExit } from './exits.js';
import { declaredFunction, rewriteLocalFunctions, rewriteTimerCallbacks } from './local-functions.js';
import type { Migration } from './migration.js';
import { moduleUpdateFunctions } from './module-functions.js';
import { markUpdatesOutside } from './outside-updates.js';
import { settlePlumbing } from './plumbing.js';
import { findProcessCampaign } from './process-campaign.js';
import { campaignRate, recipientLoop } from './recipient-loop.js';
import { extractRecipientWork } from './recipient-work.js';
import { rewriteStatements } from './rewrite.js';
import { baseUrlOf } from './server-url.js';
import { sharedSchedulerHeader } from './shared-scheduler.js';
import { helperTransport, transportExtras } from './transport-options.js';

/**
 * Puts the flush right after the last status sent, in the list that sends it: inside the `try` (or each branch)
 * that holds it, so a later throw cannot skip it; before it when the status is returned. With no status, first.
 */
function flushAfterFinalStatus(j: JSCodeshift, after: Node[], setsStatus: RegExp, flush: () => Node): void {
  const place = (list: Node[]): boolean => {
    for (let i = list.length - 1; i >= 0; i--) {
      const s = list[i];
      if (!setsStatus.test(j(s).toSource())) continue;
      // A compound statement: each of its parts that sends a status gets its own flush (both branches of an if).
      const parts: Node[] =
        s.type === 'TryStatement'
          ? [s.block, s.handler?.body, s.finalizer]
          : s.type === 'IfStatement'
            ? [s.consequent, s.alternate]
            : s.type === 'SwitchStatement'
              ? s.cases.map((c: Node) => ({ type: 'SwitchCase', body: c.consequent }))
              : s.type === 'BlockStatement'
                ? [s]
                : [];
      const placed = parts
        .filter((part) => part && Array.isArray(part.body))
        .map((part) => place(part.body))
        .some(Boolean);
      if (!placed) list.splice(s.type === 'ReturnStatement' ? i : i + 1, 0, flush());
      return true;
    }
    return false;
  };
  if (!place(after)) after.unshift(flush());
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
    const readsBefore = readsOf(j, root);
    const line = fn.loc?.start.line;
    if (fn.body?.type !== 'BlockStatement') throw new TransformSkip('processCampaign has no block body', line);
    const campaign = fn.params[0];
    if (campaign?.type !== 'Identifier')
      throw new TransformSkip('the first parameter of processCampaign is not a plain name', line);

    // What reports to the server: local helpers (by name, or through their module), functions of this module that
    // post, and direct fetch/axios/got calls (by URL).
    const helpers = updateHelpers(j, root);
    const found = helperTransport(j, root, file.path, helpers);
    const direct = new Map(findDirectCalls(j, root).map((call) => [call.path.node, call]));
    const directOrHelper = (node: Node): Kind | undefined =>
      node?.type === 'CallExpression'
        ? (helpers.get(calleeName(node.callee) ?? '')?.kind ?? direct.get(node)?.kind)
        : undefined;
    const statusOf = (call: Node): Node => {
      const library = direct.get(call)?.library;
      const option = (name: string) => propertyValue(call.arguments[1], name);
      if (library === 'fetch') return option('body')?.arguments?.[0];
      if (library === 'got') return option('json');
      if (library === 'axios') return call.arguments[1];
      return call.arguments.at(-1);
    };
    const sentArrays = new Set(
      j(fn.body)
        .find(j.CallExpression)
        .filter((path) => directOrHelper(path.node) === 'events')
        .find(j.Identifier)
        .nodes()
        .map((node) => node.name),
    );

    const statements: Node[] = fn.body.body;
    const { index, loop, statement: loopStatement, buffer } = recipientLoop(j, statements, line, sentArrays);
    const local = moduleUpdateFunctions(j, root, fn, directOrHelper, statusOf, buffer);
    // A call from processCampaign to a function of the module that posts and does more cannot be followed.
    j(fn.body)
      .find(j.CallExpression, { callee: { type: 'Identifier' } })
      .forEach((path) => {
        const called = local.get((path.node.callee as Node).name);
        if (called && !called.helper) {
          const name = (path.node.callee as Node).name;
          throw new TransformSkip(
            `${name}() (line ${called.line}) ${called.why}: the migration cannot split it; report through the helpers from processCampaign instead`,
            path.node.loc?.start.line,
          );
        }
      });
    const updateKind = (node: Node): Kind | undefined => {
      if (node?.type !== 'CallExpression') return undefined;
      const called = local.get(node.callee.name);
      return directOrHelper(node) ?? (called?.helper ? called.kind : undefined);
    };
    // A function of the module that posts a module-level buffer sends it without being handed it.
    const sendsBuffer = (call: Node) => {
      const called = local.get(call.callee?.name);
      return called?.helper === true && called.readsBuffer;
    };
    // Read before anything is removed: the update calls name the server, the loop reads the rate.
    const baseUrl = baseUrlOf(j, root, fn.body, updateKind);
    const rate = campaignRate(j, fn.body, campaign.name);
    const m: Migration = {
      j,
      root,
      campaign: campaign.name,
      buffers: new Set([buffer]),
      gone: new Set(),
      timers: new Set(),
      droppedTimers: new Set(),
      notes,
      updateKind,
      statusOf,
      sendsBuffer,
    };
    // The plumbing first (what goes, as a whole), then what stays is rewritten.
    settlePlumbing(m, statements.slice(0, index), fn.body);
    const functions = rewriteLocalFunctions(m, statements.slice(0, index));
    rewriteTimerCallbacks(m, fn.body);
    const before = rewriteStatements(m, functions, false);
    const { helper, hoisted } = extractRecipientWork(m, loop, typed);
    const after = rewriteStatements(m, statements.slice(index + 1), false);

    // The campaign is flushed right after its final status (or as soon as the loop ends).
    const C = campaign.name;
    // A status goes through setStatus, or through a function of processCampaign's that now calls it (`report(…)`).
    const reporters = functions.flatMap((s) => {
      const declared = declaredFunction(s);
      return declared && /\bscheduler\.setStatus\(/.test(j(declared.fn).toSource()) ? [declared.name] : [];
    });
    const setsStatus = new RegExp(`\\bscheduler\\.setStatus\\(${reporters.map((name) => `|\\b${name}\\(`).join('')}`);
    flushAfterFinalStatus(j, after, setsStatus, () => j.template.statement([`await scheduler.flush(${C}.id);\n`]));

    // The campaign's rate sets its reporting interval; without one the scheduler measures it.
    const head = j.template.statements([
      `const scheduler = updateScheduler(${baseUrl ?? 'process.env.MAIN_SERVER_URL'});\nscheduler.registerCampaign(${C}.id${rate ? `, { emailsPerMinute: ${rate} }` : ''});\n`,
    ]);
    if (baseUrl === undefined) {
      notes.push("the main server's URL could not be inferred: marked TODO(scheduler-migration)");
      const todo = " TODO(scheduler-migration): the main server's URL could not be inferred; set it here.";
      head[0].comments = [j.commentLine(todo, true, false)];
    }
    // The scheduler comes after what its URL is made of, and before its first use.
    const firstUse = before.findIndex((st) => /\bscheduler\./.test(j(st).toSource()));
    const at = firstUse >= 0 ? firstUse : before.length;
    const work = hoisted ? [hoisted, helper] : [helper];
    fn.body.body = [...before.slice(0, at), ...head, ...before.slice(at), ...work, loopStatement, ...after];
    flushOnExit(m, fn, at);

    // What was removed must not be used any more: else the rewrite would not run, and the file is left alone.
    const leftover = j(fn.body)
      .find(j.Node)
      .filter(
        (path: ASTPath<Node>) =>
          (path.node.type === 'Identifier' &&
            (m.buffers.has(path.node.name) || m.gone.has(path.node.name)) &&
            !isNotARead(path)) ||
          (path.node.type === 'CallExpression' && updateKind(path.node) !== undefined),
      );
    if (leftover.length > 0) {
      const node = leftover.get().node as Node;
      const reason =
        node.type === 'Identifier'
          ? `\`${node.name}\` is still read here after the rewrite: it is returned, passed on, or posted in a form the migration does not follow`
          : `${j(node.callee).toSource()}(…) posts an update here in a form the migration does not follow`;
      throw new TransformSkip(reason, node.loc?.start.line ?? line);
    }
    const unread = [...found.notes];
    const extras = transportExtras(j, root, direct.values(), found, unread);
    notes.push(...unread);
    const separate = insertHeader(j, root, sharedSchedulerHeader(isEsm(j, root, file.path), typed, extras, unread));
    // What only the removed code used goes too (BATCH_SIZE, the helpers' imports), so no lint or tsc flags it.
    removeUnused(j, root, readsBefore);
    markUpdatesOutside(j, root, updateKind, notes);
    return separate(root.toSource({ quote: 'single', wrapColumn: 120 }));
  },
};
