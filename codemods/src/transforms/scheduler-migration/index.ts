import type { Transform } from '../../transform.js';

/** Phase 2: every update sink records into one `ServerUpdateScheduler` (events per event, statuses coalesced). */
export const schedulerMigration: Transform = {
  name: 'scheduler-migration',
  description:
    "Phase 2: every update the worker sends to the main server goes to one ServerUpdateScheduler (events to record, statuses to setStatus, the campaign's rate registered); a hotfixed worker is unwrapped",
  dependency: '@scope/scheduler',
  delivery: 'scheduler',
};
