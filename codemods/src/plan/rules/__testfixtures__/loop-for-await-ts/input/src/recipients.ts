export interface Recipient {
  id: string;
  email: string;
}

export async function* recipientsOf(campaignId: string): AsyncGenerator<Recipient> {
  yield { id: `${campaignId}-1`, email: 'a@example.test' };
}
