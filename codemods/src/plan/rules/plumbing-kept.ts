import { bufferVerdicts } from '../../legacy/buffer-removal.js';
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
  plan: (worker) => {
    // A sink inside a flush the outcome-buffer rule deletes has no plumbing left to keep.
    const deleted = bufferVerdicts(worker).flatMap((v) => v.removal?.deleted ?? []);
    return worker.sinks
      .filter((sink) => sink.kind !== 'status' && sink.form !== 'node-http')
      .filter((sink) => !deleted.some((d) => d.getPos() <= sink.call.getPos() && sink.call.getEnd() <= d.getEnd()))
      .map((sink) => ({
        action: 'keep' as const,
        file: sink.file,
        line: sink.line,
        why: `the buffering and flush timers that lead to ${sink.wrapper ? `${sink.wrapper}()` : 'this call'} stay: they now only feed the server-updates module`,
      }));
  },
};
