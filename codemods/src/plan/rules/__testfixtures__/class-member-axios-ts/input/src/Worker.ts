import type { AxiosInstance } from 'axios';

export class Worker {
  constructor(private readonly http: AxiosInstance) {}

  async processCampaign(job: { id: string; emailsPerMinute: number }): Promise<void> {
    await this.http.put(`/api/campaigns/${job.id}/status`, { state: 'running', sent: 0, failed: 0, total: 1 });
  }
}
