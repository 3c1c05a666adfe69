export { type ApplyReport, apply, formatReport } from './commands/apply.js';
export { type LegacyWorker, readLegacyWorker } from './legacy/LegacyWorker.js';
export type { Decision, Plan, Rule } from './plan/Plan.js';
export { planFor } from './plan/planFor.js';
export type { Transform } from './transform.js';
export { hotfixThrottle } from './transforms/hotfix-throttle/index.js';
export { loadTransforms } from './transforms/index.js';
export { schedulerMigration } from './transforms/scheduler-migration/index.js';
