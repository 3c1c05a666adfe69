export { type DemoCampaign, type DemoOptions, demoCampaigns } from './demo-data.js';
export { checkFaults, decideFault, type FaultDecision, type FaultOptions } from './faults.js';
export { fingerprint } from './fingerprint.js';
export { createHandlers } from './handlers/index.js';
export { type HttpMock, listenHttp } from './http.js';
export { campaignId } from './ids.js';
export { createMockServer, type MockServer, type MockServerOptions } from './MockServer.js';
export { startInProcess } from './node.js';
export { seededRandom } from './random.js';
export {
  type FenceVerdict,
  type KeyRecall,
  MockServerState,
  type RequestLogEntry,
  type StatusOutcome,
} from './state.js';
export { type LoadSummary, peakInWindow } from './summary.js';
