import type { Rule } from '../Plan.js';

/**
 * What the rewrite leaves, said in the report: around an events sink, the worker's own buffer, flush conditions and
 * timers stay as they are. They now feed the generated module, which takes an update in at once and sends nothing
 * until it is due, so they cost no request and lose nothing. (Retry loops, the outcome buffer and status timers
 * have rules of their own, which say what goes and what stays.)
 */
export const rule: Rule = {
  name: 'plumbing-kept',
  transforms: ['hotfix-throttle', 'scheduler-migration'],
  plan: (worker) =>
    worker.sinks
      .filter((sink) => sink.kind !== 'status' && sink.form !== 'node-http')
      .map((sink) => ({
        action: 'keep' as const,
        file: sink.file,
        line: sink.line,
        why: `the buffering and flush timers that lead to ${sink.wrapper ? `${sink.wrapper}()` : 'this call'} stay: they now only feed the server-updates module`,
      })),
};
