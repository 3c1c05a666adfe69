export {
  type InstrumentedScheduler,
  instrumentScheduler,
  type SchedulerInstrumentation,
} from './instrumentScheduler.js';
export type { InstrumentOptions } from './options.js';
export { outcomeOf, type RequestOutcome } from './outcome.js';
