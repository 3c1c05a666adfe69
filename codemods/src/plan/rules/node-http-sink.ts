import type { Rule } from '../Plan.js';

/**
 * node's `http.request(…)`: the body is written to a stream after the call, so the call cannot be routed as it
 * stands. Refused, naming the call.
 */
export const rule: Rule = {
  name: 'node-http-sink',
  transforms: ['hotfix-throttle', 'scheduler-migration'],
  plan: (worker) =>
    worker.sinks
      .filter((sink) => sink.form === 'node-http')
      .map((sink) => ({
        action: 'refuse',
        file: sink.file,
        line: sink.line,
        sink,
        why: `${sink.text} posts updates through node's http.request, whose body is written to a stream after the call: route it through fetch (or the ${'`server-updates`'} module) by hand`,
      })),
};
