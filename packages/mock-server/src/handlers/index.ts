import type { MockServer } from '../MockServer.js';
import { adminHandlers } from './admin.js';
import { campaignHandlers } from './campaigns.js';
import { eventHandlers } from './events.js';
import { statusHandlers } from './status.js';
import { updateHandlers } from './updates.js';

/** Every handler of the mock main server. */
export function createHandlers(mock: MockServer) {
  return [
    ...updateHandlers(mock),
    ...eventHandlers(mock),
    ...statusHandlers(mock),
    ...campaignHandlers(mock),
    ...adminHandlers(mock),
  ];
}
