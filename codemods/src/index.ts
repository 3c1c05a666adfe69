export { type ApplyReport, apply, formatReport } from './commands/apply.js';
export { type FileOutcome, parserFor, runTransform } from './run-transform.js';
export { type Transform, TransformSkip } from './transform.js';
export { hotfixThrottle } from './transforms/hotfix-throttle/index.js';
export { loadTransforms } from './transforms/index.js';
