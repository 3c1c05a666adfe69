import type { JSCodeshift } from 'jscodeshift';
import type { Node } from '../../analysis/syntax.js';
import type { Kind } from '../../analysis/updates.js';

/** What the parts of the migration share about one `processCampaign`. */
export interface Migration {
  readonly j: JSCodeshift;
  /** The name of processCampaign's campaign parameter. */
  readonly campaign: string;
  /** The array the loop pushes outcomes into. */
  readonly buffer: string;
  /** Functions and timers removed because they only existed to post updates. */
  readonly gone: Set<string>;
  /** What the report lists for a person to check. */
  readonly notes: string[];
  /** What a call sends to the server, if it is an update call (helper or direct request). */
  updateKind(node: Node): Kind | undefined;
}
