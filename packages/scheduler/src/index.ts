export type { CampaignStats } from './campaignStats.js';
export { createSystemClock, systemClock } from './clock.js';
export { TimeoutError } from './delivery/Dispatcher.js';
export { BatchEncodingError, isBatchEncodingError } from './errors/BatchEncodingError.js';
export { isSchedulerClosedError, SchedulerClosedError } from './errors/SchedulerClosedError.js';
export { isUnknownCampaignError, UnknownCampaignError } from './errors/UnknownCampaignError.js';
export type * from './events.js';
export {
  CHANNEL_PREFIX,
  type ChannelEvent,
  type ChannelMessage,
  schedulerChannels,
} from './observe/channels.js';
export type { Logger, LogLevel } from './observe/Logger.js';
export type { GateRequest, SchedulerOptions } from './options.js';
export { DEFAULT_INTERVAL_TABLE, type IntervalRule, intervalForRate } from './policy/intervals.js';
export type { CloseReport, SchedulerStats } from './report.js';
export type { BreakerState } from './resilience/breaker.js';
export { ServerUpdateScheduler } from './ServerUpdateScheduler.js';
export { MemoryStore } from './store/MemoryStore.js';
export type {
  PendingQueue,
  PendingStore,
  PendingSummary,
  RecoveredCampaign,
  RecoveredState,
  SealedBatch,
  TakenUpdates,
} from './store/PendingStore.js';
export { recoveredCampaigns } from './store/recoveredCampaigns.js';
export { createHttpTransport, type HttpTransportOptions, type LegacyUrls } from './transport/http.js';
export { parseRetryAfter } from './transport/retry-after.js';
export type * from './types.js';
export type { CampaignRegistration } from './validate.js';
