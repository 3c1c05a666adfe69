import { readFileSync } from 'node:fs';
import { campaignId, check } from '@scope/contract';
import { type DemoCampaign, demoCampaigns } from '@scope/mock-server';
import { z } from 'zod';
import { ConfigError } from './errors/ConfigError.js';

const localCampaign = z.strictObject({
  id: campaignId,
  name: z.string().optional(),
  emailsPerMinute: z.number().positive(),
  from: z.string().min(3).optional(),
  subject: z.string().optional(),
  body: z.string().optional(),
  recipients: z
    .array(z.strictObject({ id: z.string().min(1), email: z.string().min(3), name: z.string().optional() }))
    .min(1),
});
const campaignsFile = z.strictObject({ campaigns: z.array(localCampaign).min(1) });

/**
 * Reads local campaign definitions: `{ "campaigns": [{ "id", "emailsPerMinute", "recipients": [{ "id", "email" }] }] }`.
 *
 * @throws ConfigError naming the file, the path and the value of the first problem.
 */
export function readCampaignsFile(path: string): DemoCampaign[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`--campaigns: cannot read ${path}: ${(error as Error).message}`);
  }
  const checked = check(campaignsFile, value);
  if (!checked.ok) throw new ConfigError(`${path}: ${checked.problems[0]}`);
  const ids = new Set<string>();
  for (const [i, c] of checked.value.campaigns.entries()) {
    if (ids.has(c.id)) throw new ConfigError(`${path}: campaigns[${i}].id: "${c.id}" is used twice`);
    ids.add(c.id);
    const recipientIds = new Set<string>();
    for (const [r, recipient] of c.recipients.entries()) {
      if (recipientIds.has(recipient.id)) {
        throw new ConfigError(`${path}: campaigns[${i}].recipients[${r}].id: "${recipient.id}" is used twice`);
      }
      recipientIds.add(recipient.id);
    }
  }
  return checked.value.campaigns.map(({ recipients, ...c }) => ({
    campaign: {
      id: c.id,
      name: c.name ?? c.id,
      emailsPerMinute: c.emailsPerMinute,
      total: recipients.length,
      state: 'ready',
      from: c.from ?? 'worker@example.test',
      subject: c.subject ?? `Campaign ${c.id}`,
      body: c.body ?? '',
    },
    recipients,
  }));
}

/**
 * The embedded demo: three campaigns of different speeds that finish in about a minute. A few recipients are
 * addresses the embedded SMTP sink refuses, so the summary shows bounces and failures too.
 */
export function demoSet(): DemoCampaign[] {
  const sizes: Record<number, number> = { 20: 15, 60: 50, 150: 125 };
  return demoCampaigns({ seed: 7, campaigns: 3, rates: [20, 60, 150], recipients: (rate) => sizes[rate] ?? 10 }).map(
    ({ campaign, recipients }) => ({
      campaign,
      recipients: recipients.map((r, i) =>
        i % 23 === 11 ? { ...r, email: `bounce-${r.email}` } : i % 41 === 29 ? { ...r, email: `busy-${r.email}` } : r,
      ),
    }),
  );
}
