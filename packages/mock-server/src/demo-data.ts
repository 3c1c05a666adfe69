import type { Campaign, Recipient } from '@scope/contract';
import { seededRandom } from './random.js';

/** A campaign of the demo set, with its recipients. */
export interface DemoCampaign {
  readonly campaign: Campaign;
  readonly recipients: readonly Recipient[];
}

export interface DemoOptions {
  /** @default 42 */
  readonly seed?: number;
  /** How many campaigns; they cycle through the four speed classes. @default 4 */
  readonly campaigns?: number;
  /** How many recipients each, or a function of the campaign's rate. @default 3 minutes of sending */
  readonly recipients?: number | ((emailsPerMinute: number) => number);
  /** The rates to cycle through. @default one in each class: 10, 40, 100, 300 */
  readonly rates?: readonly number[];
}

const FIRST = ['ada', 'bo', 'cleo', 'dev', 'eli', 'fay', 'gus', 'hana', 'ivo', 'june', 'kai', 'lea'];

/**
 * A deterministic set of demo campaigns: the same seed gives the same ids, recipients and rates. The rates cover
 * the four speed classes of the adaptive table (≤20, 21–60, 61–120, >120 emails per minute).
 */
export function demoCampaigns(options: DemoOptions = {}): DemoCampaign[] {
  const { seed = 42, campaigns = 4, rates = [10, 40, 100, 300] } = options;
  const random = seededRandom(seed);
  const recipientsFor = (rate: number) =>
    typeof options.recipients === 'function' ? options.recipients(rate) : (options.recipients ?? Math.ceil(rate * 3));
  return Array.from({ length: campaigns }, (_, index) => {
    const emailsPerMinute = rates[index % rates.length] as number;
    const id = `cmp-${seed}-${String(index + 1).padStart(3, '0')}`;
    const total = recipientsFor(emailsPerMinute);
    const recipients = Array.from({ length: total }, (_, r) => {
      const name = `${FIRST[Math.floor(random() * FIRST.length)]}${r + 1}`;
      return { id: `${id}-r${String(r + 1).padStart(5, '0')}`, email: `${name}@example.test`, name };
    });
    const campaign: Campaign = {
      id,
      name: `Demo ${index + 1} (${emailsPerMinute}/min)`,
      emailsPerMinute,
      total,
      state: 'ready',
      from: 'news@example.test',
      subject: `Hello from demo campaign ${index + 1}`,
      body: 'This is a demo turtle campaign.',
    };
    return { campaign, recipients };
  });
}
