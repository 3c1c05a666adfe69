import { loadEnv } from '../config/env.js';
import { ApiClient } from './ApiClient.js';

const env = loadEnv();

export const api = new ApiClient(env.apiUrl, env.apiKey);
export const settings = { flushSize: env.flushSize } as const;
