export { ContractError, formatIssue, formatPath, isContractError } from './errors.js';
export { type Checked, check, parse } from './parse.js';
export * from './schemas.js';
export type * from './types.js';
