import type { Rule } from '../Plan.js';
import { rewriteSink, sends } from '../rewrite-sink.js';

/**
 * got: `client.post/put/patch(url, { json })` on got or an instance (`got.extend({ prefixUrl })`, hooks and retry
 * options included), and `got(url, { method, json })`. The answer keeps got's `.json()`.
 */
export const rule: Rule = {
  name: 'got-sink',
  transforms: ['hotfix-throttle', 'scheduler-migration'],
  plan: (worker) =>
    worker.sinks.flatMap((sink) =>
      sink.form === 'got' || sink.form === 'gotCall'
        ? [rewriteSink(sink, sink.form, `${sink.text} sends ${sends(sink)} with got (${sink.clientText})`)]
        : [],
    ),
};
