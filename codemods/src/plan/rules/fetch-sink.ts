import type { Rule } from '../Plan.js';
import { rewriteSink, sends } from '../rewrite-sink.js';

/** `fetch(url, { method, body: JSON.stringify(…) })` to an events or status URL, wherever it sits. */
export const rule: Rule = {
  name: 'fetch-sink',
  transforms: ['hotfix-throttle', 'scheduler-migration'],
  plan: (worker) =>
    worker.sinks
      .filter((sink) => sink.form === 'fetch')
      .map((sink) =>
        rewriteSink(
          sink,
          'fetch',
          `${sink.text} sends ${sends(sink)} with fetch${sink.wrapper ? `, inside ${sink.wrapper}()` : ''}`,
        ),
      ),
};
