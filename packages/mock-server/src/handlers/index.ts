import type { MockServer } from '../MockServer.js';
import { adminHandlers } from './admin.js';
import { campaignHandlers } from './campaigns.js';
import { bulkHandlers, legacyHandlers } from './updates.js';

/** Every handler of the mock main server. */
export function createHandlers(mock: MockServer) {
  return [...bulkHandlers(mock), ...legacyHandlers(mock), ...campaignHandlers(mock), ...adminHandlers(mock)];
}
