import axios, { type AxiosError, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';

export interface EventPayload {
  recipientId: string;
  email?: string;
  outcome: 'sent' | 'failed' | 'bounced' | 'skipped';
  at: string;
  messageId?: string;
  error?: string;
}

export interface StatusPayload {
  state: 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';
  sent: number;
  failed: number;
  total: number;
  seq: number;
  updatedAt: string;
}

type RetryableConfig = InternalAxiosRequestConfig & { retryCount?: number };
const MAX_RETRIES = 3;

export function createAxios(baseURL: string, token: () => string): AxiosInstance {
  const instance = axios.create({ baseURL, timeout: 8000 });
  instance.interceptors.request.use((config) => {
    config.headers.set('Authorization', `Bearer ${token()}`);
    return config;
  });
  // retry everything up to three times, immediately (the server is "usually just restarting")
  instance.interceptors.response.use(undefined, async (error: AxiosError) => {
    const config = error.config as RetryableConfig | undefined;
    if (!config) throw error;
    config.retryCount = (config.retryCount ?? 0) + 1;
    if (config.retryCount > MAX_RETRIES) throw error;
    return instance.request(config);
  });
  return instance;
}

export class MainApi {
  constructor(private readonly http: AxiosInstance) {}

  async sendEvents(campaignId: string, events: EventPayload[]): Promise<void> {
    await this.http.post(`/api/campaigns/${campaignId}/events`, { events });
  }

  async sendStatus(campaignId: string, status: StatusPayload): Promise<void> {
    await this.http.put(`/api/campaigns/${campaignId}/status`, status);
  }
}
