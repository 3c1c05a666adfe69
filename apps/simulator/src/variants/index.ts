import { fleetBudget } from './fleet-budget.js';
import { hotfix } from './hotfix.js';
import { legacy } from './legacy.js';
import { optimized } from './optimized.js';
import type { Variant } from './types.js';

/** The variants compared, in the order of the phases; the fleet budget on the fleet scenarios only. */
export const VARIANTS: readonly Variant[] = [legacy, hotfix, optimized, fleetBudget];
