export { type DemoCampaign, type DemoOptions, demoCampaigns } from './demo-data.js';
export { checkFaults, decideFault, type FaultDecision, type FaultOptions } from './faults.js';
export { createHandlers } from './handlers/index.js';
export { type HttpMock, listenHttp } from './http.js';
export { createMockServer, type MockServer, type MockServerOptions } from './MockServer.js';
export { startInProcess } from './node.js';
export { seededRandom } from './random.js';
export { type LoadSummary, MockServerState, type RequestLogEntry } from './state.js';
