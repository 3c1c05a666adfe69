import type { Rule } from '../Plan.js';

/**
 * What the rewrite leaves, said in the report: around an events sink, the worker's own buffer, flush conditions and
 * timers, and retry loops stay as they are. They now feed the generated module, which takes an update in at once
 * and sends nothing until it is due, so they cost no request and lose nothing; removing them is a cleanup for a
 * person.
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
        why: `the buffering, flush timers and retries that lead to ${sink.wrapper ? `${sink.wrapper}()` : 'this call'} stay: they now only feed the server-updates module`,
      })),
};
