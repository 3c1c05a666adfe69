import type { Awaitable } from './Awaitable.js';

/** One caller of a wrapped function: its own arguments and the promise it holds. */
export interface Caller {
  readonly args: unknown[];
  readonly promise: Awaitable<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  /** It waits on its promise (`await`, `then`, `catch`): a failure reaches it. */
  awaited: boolean;
}

/** A call through the throttle, deferred or running: what it will carry and every caller merged into it. */
export interface Call {
  readonly fn: (...args: unknown[]) => unknown;
  /** Where a deferred call waits for later calls of its key to merge into it. */
  readonly slots: Map<unknown, Call>;
  readonly key: unknown;
  args: unknown[];
  self: unknown;
  readonly callers: Caller[];
  /** One of its callers waits on it: while it is deferred, the throttle's timer holds the process. */
  awaited: boolean;
  /** Made when a flush waits on the call: resolves once it has settled, its callers with it; never rejects. */
  done?: Promise<void>;
  finish?: () => void;
}
