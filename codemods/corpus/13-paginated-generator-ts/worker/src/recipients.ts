import type { AxiosInstance } from 'axios';

export interface Recipient {
  id: string;
  email: string;
  name?: string;
}

interface RecipientPage {
  recipients: Recipient[];
  nextCursor: string | null;
}

/** Yields every recipient of a campaign, one page at a time. */
export async function* recipientsOf(http: AxiosInstance, campaignId: string): AsyncGenerator<Recipient> {
  let cursor: string | null = '';
  do {
    const { data }: { data: RecipientPage } = await http.get(`/api/campaigns/${campaignId}/recipients`, {
      params: { cursor },
    });
    yield* data.recipients;
    cursor = data.nextCursor;
  } while (cursor);
}
