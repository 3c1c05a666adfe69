import type { AxiosInstance } from 'axios';
import { serverUpdates } from './server-updates.js';

export class Worker {
  constructor(private readonly http: AxiosInstance) {}

  async processCampaign(job: { id: string; emailsPerMinute: number }): Promise<void> {
    await serverUpdates.axios(this.http, 'put', `/api/campaigns/${job.id}/status`, { state: 'running', sent: 0, failed: 0, total: 1 });
  }
}
