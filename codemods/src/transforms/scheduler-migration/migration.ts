import type { Collection, JSCodeshift } from 'jscodeshift';
import type { Node } from '../../analysis/syntax.js';
import type { Kind } from '../../analysis/updates.js';

/** What the parts of the migration share about one `processCampaign`. */
export interface Migration {
  readonly j: JSCodeshift;
  readonly root: Collection;
  /** The name of processCampaign's campaign parameter. */
  readonly campaign: string;
  /** The array the loop pushes outcomes into, and the names that alias it (`const batch = buffer.splice(0)`). */
  readonly buffers: Set<string>;
  /** Functions removed because all they did was post updates; calls to them go too. */
  readonly gone: Set<string>;
  /** Timers removed because all they did was post updates (their names, for their `clear…` calls). */
  readonly timers: Set<string>;
  /** The `setTimeout`/`setInterval` calls of those timers. */
  readonly droppedTimers: Set<Node>;
  /** What the report lists for a person to check. */
  readonly notes: string[];
  /** What a call sends to the server, if it is an update call (helper or direct request). */
  updateKind(node: Node): Kind | undefined;
  /** How an update call carries its status (for `setStatus`). */
  statusOf(call: Node): Node;
  /** Whether an events call sends the buffer without being handed it (a module function posting a module-level one). */
  sendsBuffer(call: Node): boolean;
}
