import type { Rule } from '../Plan.js';
import { rewriteSink, sends } from '../rewrite-sink.js';

/**
 * `client.post(url, body)` on a client the source does not type (a dependency handed in, `const { http } = deps`),
 * to a URL that is an events or status endpoint: axios or got is told at run time, anything else goes out as it was.
 */
export const rule: Rule = {
  name: 'injected-client-sink',
  transforms: ['hotfix-throttle', 'scheduler-migration'],
  plan: (worker) =>
    worker.sinks
      .filter((sink) => sink.form === 'client')
      .map((sink) =>
        rewriteSink(sink, 'client', `${sink.text} sends ${sends(sink)} with ${sink.clientText}, a client handed in`),
      ),
};
