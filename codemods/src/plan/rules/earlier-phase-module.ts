import { moduleSource } from '../../runtime/module-source.js';
import type { Rule } from '../Plan.js';

/**
 * Phases compose: a `server-updates` module the hotfix generated (phase 1, `@scope/throttle`) is rewritten by the
 * migration to deliver through the scheduler. Its call sites stay as they are, and the throttle dependency goes
 * when nothing else uses it.
 */
export const rule: Rule = {
  name: 'earlier-phase-module',
  transforms: ['scheduler-migration'],
  plan: (worker) =>
    [...worker.files.values()]
      .filter((file) => file.generated === 'throttle')
      .flatMap((file) => {
        const othersUseThrottle = [...worker.files.values()].some(
          (other) => other !== file && other.generated !== 'throttle' && /['"]@scope\/throttle['"]/.test(other.text),
        );
        return [
          {
            action: 'create' as const,
            file: file.path,
            line: 1,
            text: moduleSource('scheduler', file.format),
            why: 'the hotfix (phase 1) routed the updates here through @scope/throttle; they now go to the scheduler',
          },
          {
            action: 'dependency' as const,
            file: file.path,
            line: 1,
            add: [],
            remove: othersUseThrottle ? [] : ['@scope/throttle'],
            why: othersUseThrottle
              ? 'other code still uses @scope/throttle: the dependency stays'
              : 'nothing uses @scope/throttle any more',
          },
        ];
      }),
};
