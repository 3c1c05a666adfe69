import type { Transform } from '../../transform.js';

/** Phase 1: every update sink goes through one `@scope/throttle` (15 s spacing, deferred calls merged, nothing lost). */
export const hotfixThrottle: Transform = {
  name: 'hotfix-throttle',
  description:
    'Phase 1: routes every update the worker sends to the main server through one @scope/throttle (at most one request every 15 s, deferred calls merged, nothing lost, the mail not slowed)',
  dependency: '@scope/throttle',
  delivery: 'throttle',
};
