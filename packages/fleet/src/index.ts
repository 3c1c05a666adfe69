export {
  type BudgetMode,
  createFleetBudget,
  FleetBudget,
  type FleetBudgetEvents,
  type FleetStats,
  type GateRequestLike,
  type Grant,
  type LocalBudgetStats,
  type ResponseSource,
} from './budget/FleetBudget.js';
export type { FleetBudgetOptions, FleetClock } from './budget/options.js';
export { fallbackWait, localShare } from './budget/share.js';
export { slidingWindow, trimWindow, type WindowDecision } from './budget/window.js';
export {
  CampaignDistributor,
  createCampaignDistributor,
  type DistributorEvents,
} from './distribution/CampaignDistributor.js';
export { CAMPAIGN_QUEUE, CampaignQueue, createCampaignQueue } from './distribution/CampaignQueue.js';
export { fairShare, jainIndex } from './distribution/fairShare.js';
export { Lease } from './distribution/Lease.js';
export type { CampaignDistributorOptions, CampaignJob } from './distribution/options.js';
export { FleetClosedError, isFleetClosedError } from './errors/FleetClosedError.js';
export { isLeaseLostError, LeaseLostError } from './errors/LeaseLostError.js';
export { type FleetKeys, fleetKeys } from './keys.js';
export { Membership, type MembershipEvents } from './membership/Membership.js';
export { fleetRedisOptions } from './redis-options.js';
export { FLEET_SCRIPT } from './script.js';
