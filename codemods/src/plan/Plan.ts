import type { LegacyWorker } from '../legacy/LegacyWorker.js';
import type { Sink } from '../legacy/sinks.js';
import type { Delivery } from '../runtime/module-source.js';

/** The transforms that plan from the legacy model. */
export type TransformName = 'hotfix-throttle' | 'scheduler-migration';

/** Where a decision is, and why it was taken: every decision says both, so the report can. */
export interface At {
  readonly file: string;
  readonly line: number;
  readonly why: string;
}

/**
 * One decision of a plan. Only the emitter acts on them: `replace` and `add` change text (`usesModule`: the file
 * then imports the generated `server-updates` module), `create` writes a whole file, `keep` leaves something as it
 * is and says so, `todo` marks what a person must finish, `refuse` leaves the whole tree untouched, with its reason.
 * `move` cuts a range (with the decisions inside it applied) to `to`, between `before` and `after`, and leaves `text`
 * in its place: a loop body that becomes a function of its own keeps its comments and formatting. `remove` takes out
 * plumbing the model proved inert (a retry loop around a call now taken in at once): its edits cut what goes and
 * re-indent what stays, beside the other decisions' edits, and the report lists it as removed.
 */
export type Decision =
  | (At & {
      readonly action: 'replace';
      readonly start: number;
      readonly end: number;
      readonly text: string;
      readonly usesModule: boolean;
      /** The sink this rewrites, so the planner knows every sink was decided. */
      readonly sink?: Sink;
    })
  | (At & { readonly action: 'add'; readonly at: number; readonly text: string; readonly usesModule: boolean })
  | (At & {
      readonly action: 'remove';
      /** `swallow`: a statement deleted whole, so the other decisions' edits inside it are moot and dropped. */
      readonly edits: ReadonlyArray<{ start: number; end: number; text: string; swallow?: boolean }>;
    })
  | (At & {
      readonly action: 'move';
      readonly start: number;
      readonly end: number;
      readonly to: number;
      readonly before: string;
      readonly after: string;
      readonly text: string;
    })
  | (At & { readonly action: 'create'; readonly text: string })
  | (At & { readonly action: 'keep'; readonly sink?: Sink })
  | (At & { readonly action: 'todo'; readonly note: string })
  | (At & { readonly action: 'refuse'; readonly sink?: Sink })
  | (At & { readonly action: 'dependency'; readonly add: readonly string[]; readonly remove: readonly string[] });

/** What a rule is given besides the model. */
export interface PlanContext {
  readonly transform: TransformName;
  /** The package the generated module delivers updates with. */
  readonly delivery: Delivery;
}

/**
 * A rule: one legacy pattern, recognised in the model, turned into decisions. Rules live one a file in `rules/`
 * and are found there; a rule never changes the tree.
 */
export interface Rule {
  readonly name: string;
  /** The transforms it plans for. */
  readonly transforms: readonly TransformName[];
  plan(worker: LegacyWorker, context: PlanContext): Decision[];
}

/** A plan: every decision, in the order the rules took them. */
export interface Plan {
  readonly transform: TransformName;
  readonly decisions: readonly Decision[];
}

/** The refusals of a plan; any one leaves the whole tree as it was. */
export function refusals(plan: Plan): Array<Extract<Decision, { action: 'refuse' }>> {
  return plan.decisions.filter((d): d is Extract<Decision, { action: 'refuse' }> => d.action === 'refuse');
}
