/** What the policy needs to know of one campaign, at one moment. */
export interface CampaignView {
  readonly campaignId: string;
  /** Events waiting to be put into a batch. */
  readonly pendingEvents: number;
  /** Whether a status is waiting to be put into a batch. */
  readonly hasStatus: boolean;
  /** When the oldest waiting update was recorded; undefined when nothing waits. */
  readonly oldestAt: number | undefined;
  /** Due now whatever its age: a terminal status, a flush or close, or (legacy) a status owed after its events. */
  readonly urgent: boolean;
  /** Has a batch not yet acknowledged: nothing more of it may go until that one is. */
  readonly blocked: boolean;
  /** Its interval, already stretched by the server's health. */
  readonly intervalMs: number;
}
