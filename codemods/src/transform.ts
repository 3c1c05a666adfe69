import type { TransformName } from './plan/Plan.js';
import type { Delivery } from './runtime/module-source.js';

/**
 * A codemod: its name (the folder's), what it does, the package it brings in, and how the generated
 * `server-updates` module delivers the worker's updates. What it rewrites is decided by the rules of `plan/rules/`
 * from the model of the legacy worker, and only the emitter changes the tree.
 */
export interface Transform {
  readonly name: TransformName;
  readonly description: string;
  /** The package the rewritten code imports; added to the target's package.json. */
  readonly dependency: string;
  readonly delivery: Delivery;
}
