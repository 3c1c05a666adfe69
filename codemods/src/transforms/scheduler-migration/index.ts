import type { API, Collection, FileInfo, JSCodeshift } from 'jscodeshift';
import { type Endpoints, helperEndpoints } from '../../analysis/endpoints.js';
import { insertHeader } from '../../analysis/header.js';
import { contains, type Node } from '../../analysis/syntax.js';
import { readsOf, removeUnused } from '../../analysis/unused.js';
import { calleeName, isEsm, type Kind, type UpdateHelper, updateHelpers } from '../../analysis/updates.js';
import { type Transform, TransformSkip } from '../../transform.js';
import { type DirectCall, findDirectCalls } from '../hotfix-throttle/direct-calls.js';
import type { Migration } from './migration.js';
import { findProcessCampaign } from './process-campaign.js';
import { extractRecipientWork } from './recipient-work.js';
import { withoutUpdatePlumbing } from './removed-code.js';
import { rewriteStatements } from './rewrite.js';
import { baseUrlOf, DEFAULT_PATHS, directPath } from './server-url.js';
import { sharedSchedulerHeader } from './shared-scheduler.js';

const LOOPS = new Set(['ForOfStatement', 'ForStatement', 'WhileStatement']);

/** The endpoints and headers of the helpers called here, read where they are defined (with ts-morph). */
function helperEndpointsOf(j: JSCodeshift, root: Collection, path: string, helpers: Map<string, UpdateHelper>) {
  const called = new Set(
    root
      .find(j.CallExpression)
      .nodes()
      .map((call) => calleeName(call.callee)),
  );
  const used = [...helpers.values()].filter((helper) => called.has(helper.callee));
  return used.length > 0 && path.includes('/') ? helperEndpoints(path, used) : { notes: [] };
}

/** Direct calls carry their URL in the file: the path after the base, the campaign named `campaignId`. */
function directEndpoints(j: JSCodeshift, calls: Iterable<DirectCall>, found: Endpoints, notes: string[]) {
  const urls: { events?: string | undefined; status?: string | undefined } = {
    events: found.events,
    status: found.status,
  };
  for (const call of calls) {
    const path = directPath(j, call.path.node.arguments[0] as Node);
    if (path === undefined) {
      const line = call.path.node.loc?.start.line;
      notes.push(`line ${line}: the ${call.kind} URL could not be read: the default endpoint is assumed`);
    } else if (path !== DEFAULT_PATHS[call.kind]) urls[call.kind] ??= `(campaignId) => \`${path}\``;
  }
  return { ...urls, headers: found.headers };
}

/** The recipient loop: the last loop of processCampaign's body that pushes into an array, and that array. */
function recipientLoop(j: JSCodeshift, statements: Node[], line: number | undefined) {
  const pushes = (n: Node) => n.type === 'CallExpression' && n.callee.property?.name === 'push';
  const index = statements.findLastIndex((s) => LOOPS.has(s.type) && contains(j, s, pushes));
  if (index < 0) throw new TransformSkip('no loop over the recipients that buffers outcomes', line);
  const loop = statements[index];
  let buffer: string | undefined;
  j(loop)
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'push' } } })
    .forEach((path) => {
      const object = (path.node.callee as Node).object;
      if (!buffer && object.type === 'Identifier') buffer = object.name;
    });
  if (!buffer) throw new TransformSkip('cannot tell which array is the outcome buffer', loop.loc?.start.line);
  return { index, loop, buffer };
}

/** `campaign.emailsPerMinute` (or `.ratePerMinute`…) when processCampaign reads its campaign's rate. */
function campaignRate(j: JSCodeshift, body: Node, campaign: string): string | undefined {
  const reads = j(body)
    .find(j.MemberExpression, { computed: false, object: { type: 'Identifier', name: campaign } })
    .filter((path) => /perMinute|rate/i.test((path.node.property as Node).name ?? ''));
  return reads.length > 0 ? j(reads.get().node).toSource() : undefined;
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

    // What reports to the server: local helpers (by name, or through their module) and direct fetch/axios/got
    // calls (by URL).
    const helpers = updateHelpers(j, root);
    const found = helperEndpointsOf(j, root, file.path, helpers);
    const direct = new Map(findDirectCalls(j, root).map((call) => [call.path.node, call]));
    const updateKind = (node: Node): Kind | undefined => {
      if (node?.type !== 'CallExpression') return undefined;
      return helpers.get(calleeName(node.callee) ?? '')?.kind ?? direct.get(node)?.kind;
    };

    const statements: Node[] = fn.body.body;
    const { index, loop, buffer } = recipientLoop(j, statements, line);
    const m: Migration = { j, campaign: campaign.name, buffer, gone: new Set(), notes, updateKind };
    const before = rewriteStatements(m, withoutUpdatePlumbing(m, statements.slice(0, index)), false);
    const helper = extractRecipientWork(m, loop, typed);
    const after = rewriteStatements(m, statements.slice(index + 1), false);

    // The campaign is flushed right after its final status (or as soon as the loop ends).
    const C = campaign.name;
    const finalStatus = after.findLastIndex((s) => /scheduler\.setStatus/.test(j(s).toSource()));
    after.splice(finalStatus + 1, 0, j.template.statement([`await scheduler.flush(${C}.id);\n`]));

    const baseUrl = baseUrlOf(j, fn.body, updateKind);
    // The campaign's rate sets its reporting interval; without one the scheduler measures it.
    const rate = campaignRate(j, fn.body, C);
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
    fn.body.body = [...before.slice(0, at), ...head, ...before.slice(at), helper, loop, ...after];

    // What was removed must not be used any more: else the rewrite would not run, and the file is left alone.
    const leftover = (n: Node) =>
      (n.type === 'Identifier' && (n.name === buffer || m.gone.has(n.name))) ||
      (n.type === 'CallExpression' && updateKind(n) !== undefined);
    if (contains(j, fn.body, leftover)) {
      throw new TransformSkip(
        `the outcome buffer (${buffer}), or a function that posted updates, is still used after the rewrite`,
        line,
      );
    }
    const unread = [...found.notes];
    const extras = directEndpoints(j, direct.values(), found, unread);
    notes.push(...unread);
    insertHeader(j, root, sharedSchedulerHeader(isEsm(j, root, file.path), typed, extras, unread));
    // What only the removed code used goes too (BATCH_SIZE, the helpers' imports), so no lint or tsc flags it.
    removeUnused(j, root, readsBefore);
    return root.toSource({ quote: 'single', wrapColumn: 120 });
  },
};
