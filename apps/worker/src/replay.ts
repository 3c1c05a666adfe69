import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { bulkUpdateBody, campaignUpdate, formatIssue } from '@scope/contract';
import {
  type Batch,
  type CampaignUpdate,
  createHttpTransport,
  type DeadLetter,
  MemoryStore,
  ServerUpdateScheduler,
} from '@scope/scheduler';
import { z } from 'zod';
import { ConfigError } from './errors/ConfigError.js';

/**
 * What a run left undelivered (`undelivered-*.json` in the data folder): updates never sent, batches sent whose
 * fate is unknown (re-sent under their own ids, so a server that applied one applies it once), and what the server
 * refused for good, with its reasons.
 */
const undeliveredFile = z.strictObject({
  unsent: z.array(campaignUpdate),
  unacknowledged: z.array(bulkUpdateBody),
  deadLetters: z.array(z.looseObject({ batchId: z.string(), campaignId: z.string(), reason: z.string() })),
});

export interface ReplayOptions {
  readonly serverUrl: string;
  readonly shape: 'bulk' | 'legacy';
  readonly minIntervalMs: number;
  readonly maxConcurrent: number;
  /** How long to try before giving up and writing what is still left. */
  readonly timeoutMs: number;
  /** Also send the updates the server refused for good (after it was fixed), as new updates with their event ids. */
  readonly deadLetters: boolean;
}

export interface ReplayReport {
  readonly batches: number;
  readonly events: number;
  readonly statuses: number;
  readonly eventsDelivered: number;
  readonly deadLettered: number;
  readonly complete: boolean;
  /** Where what is still left was written (a new file beside the one replayed); null when nothing is. */
  readonly leftFile: string | null;
}

/** Reads and checks an undelivered file; every problem names the file and the field. */
export function readUndelivered(path: string): z.infer<typeof undeliveredFile> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(`replay: cannot read ${path} (${reason})`);
  }
  const result = undeliveredFile.safeParse(value);
  if (!result.success) {
    throw new ConfigError(`replay: ${path}: ${formatIssue(result.error.issues[0] as z.core.$ZodIssue)}`);
  }
  return result.data;
}

/**
 * Sends what a run left undelivered to the main server: its unacknowledged batches as they were, under their batch
 * ids, then its unsent updates (and, if asked, its dead letters) as new updates keeping their event ids, through a
 * ServerUpdateScheduler (spaced, retried, exactly once at a server that deduplicates). What is still left at the
 * deadline is written to a new file beside the old one.
 */
export async function replayUndelivered(path: string, options: ReplayOptions): Promise<ReplayReport> {
  const file = readUndelivered(path);
  const store = new MemoryStore();
  for (const batch of file.unacknowledged as Batch[]) {
    store.seal({ batch, attempt: 0, invalidAnswers: 0, notBefore: 0 });
  }
  const scheduler = new ServerUpdateScheduler({
    store,
    transport: createHttpTransport({ baseUrl: options.serverUrl, shape: options.shape }),
    minIntervalMs: options.minIntervalMs,
    maxConcurrent: options.maxConcurrent,
  });
  const letters: DeadLetter[] = [];
  scheduler.on('deadletter', (letter) => letters.push(letter));
  const updates: CampaignUpdate[] = [...(file.unsent as CampaignUpdate[])];
  if (options.deadLetters) {
    for (const letter of file.deadLetters as unknown as DeadLetter[]) {
      updates.push({
        campaignId: letter.campaignId,
        events: letter.events ?? [],
        ...(letter.status ? { status: letter.status } : {}),
      });
    }
  }
  let events = 0;
  let statuses = 0;
  for (const update of updates) {
    scheduler.registerCampaign(update.campaignId, {
      ...(update.ownerEpoch === undefined ? {} : { ownerEpoch: update.ownerEpoch }),
    });
    for (const event of update.events) void scheduler.record(update.campaignId, event);
    events += update.events.length;
    if (update.status !== undefined) {
      scheduler.setStatus(update.campaignId, update.status);
      statuses++;
    }
  }
  const report = await scheduler.close({ timeoutMs: options.timeoutMs });
  const complete = report.complete && letters.length === 0;
  let leftFile: string | null = null;
  if (!complete) {
    leftFile = path.replace(/(\.json)?$/, `.left-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    const kept = { unsent: report.unsent, unacknowledged: report.unacknowledged, deadLetters: letters };
    await writeFile(leftFile, JSON.stringify(kept, null, 2));
  }
  return {
    batches: file.unacknowledged.length,
    events: events + file.unacknowledged.reduce((n, b) => n + b.campaigns.reduce((m, c) => m + c.events.length, 0), 0),
    statuses,
    eventsDelivered: report.eventsDelivered,
    deadLettered: report.deadLettered,
    complete,
    leftFile,
  };
}
