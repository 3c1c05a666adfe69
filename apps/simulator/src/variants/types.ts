import type { Campaign, Recipient } from '@scope/contract';
import type { Scenario } from '../scenarios.js';

/** One campaign a simulated worker runs: the campaign and its recipients. */
export interface SimCampaign {
  readonly campaign: Campaign;
  readonly recipients: readonly Recipient[];
}

/** An SMTP transport that accepts at once (the worker's pacing sets the rhythm) and counts what it sent. */
export interface SimMail {
  sendMail(): Promise<{ messageId: string }>;
  sent: number;
}

export function simMail(): SimMail {
  const mail = {
    sent: 0,
    async sendMail() {
      mail.sent++;
      return { messageId: `<${mail.sent}@sim.example.test>` };
    },
  };
  return mail;
}

/** A way of reporting to the server: the legacy worker, the hotfixed one, the optimized one. */
export interface Variant {
  readonly name: 'legacy' | 'hotfix' | 'optimized' | 'fleet budget';
  /** Whether it is measured on a scenario (default: on every one). */
  readonly appliesTo?: (scenario: Scenario) => boolean;
  /** Work done once before any run, in real time (the hotfix runs its codemod on the legacy worker). */
  prepare?(): Promise<void>;
  /** Starts one worker process running `campaigns` side by side; resolves when it has finished and let go. */
  runWorker(campaigns: readonly SimCampaign[], serverUrl: string, mail: SimMail): Promise<void>;
}
