import type { Rule } from '../Plan.js';
import { rewriteSink, sends } from '../rewrite-sink.js';

const HELPERS = { axios: 'axios', axiosCall: 'axiosCall', axiosRequest: 'axiosRequest' } as const;

/**
 * axios: `client.post/put/patch(url, data)` on axios or an instance (`axios.create` in another module, `this.http`
 * typed `AxiosInstance`), `axios(config)` and `client.request(config)`. The instance's `baseURL` and headers are
 * read from it at run time.
 */
export const rule: Rule = {
  name: 'axios-sink',
  transforms: ['hotfix-throttle', 'scheduler-migration'],
  plan: (worker) =>
    worker.sinks.flatMap((sink) =>
      sink.form === 'axios' || sink.form === 'axiosCall' || sink.form === 'axiosRequest'
        ? [rewriteSink(sink, HELPERS[sink.form], `${sink.text} sends ${sends(sink)} with axios (${sink.clientText})`)]
        : [],
    ),
};
