import type { z } from 'zod';
import type * as schemas from './schemas.js';

export type RecipientOutcome = z.infer<typeof schemas.recipientOutcome>;
export type CampaignState = z.infer<typeof schemas.campaignState>;
export type RecipientEvent = z.infer<typeof schemas.recipientEvent>;
export type CampaignStatus = z.infer<typeof schemas.campaignStatus>;
export type LegacyEventsBody = z.infer<typeof schemas.legacyEventsBody>;
export type OwnerEpoch = z.infer<typeof schemas.ownerEpoch>;
export type CampaignUpdate = z.infer<typeof schemas.campaignUpdate>;
export type BulkUpdateBody = z.infer<typeof schemas.bulkUpdateBody>;
export type CampaignControl = z.infer<typeof schemas.campaignControl>;
export type BulkUpdateResponse = z.infer<typeof schemas.bulkUpdateResponse>;
export type Campaign = z.infer<typeof schemas.campaign>;
export type CampaignList = z.infer<typeof schemas.campaignList>;
export type Recipient = z.infer<typeof schemas.recipient>;
export type RecipientPage = z.infer<typeof schemas.recipientPage>;
