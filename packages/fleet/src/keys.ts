/**
 * The Redis keys of one fleet. All of them share the hash tag `{<name>}`, so the fleet script's keys live in one
 * slot and it also runs on Redis Cluster.
 */
export interface FleetKeys {
  /** Sorted set: the grants of the last window (score: grant time in µs on Redis's clock). */
  readonly log: string;
  /** String: until when (µs on Redis's clock) the fleet is paused by a Retry-After. */
  readonly pause: string;
  /** String: the generation of the budget's state (the µs it was created at); a new one means its log was lost. */
  readonly generation: string;
  /** Hash: counters per worker (`requests:<id>`, `waitedMs:<id>`) and in all (`requests`, `waitedMs`). */
  readonly stats: string;
  /** Sorted set: members (score: when their heartbeat expires, µs on Redis's clock). */
  readonly members: string;
  /** The prefix of per-campaign keys: `<campaigns>epoch:<id>` (owner epoch), `<campaigns>checkpoint` (hash). */
  readonly campaigns: string;
  /** The BullMQ prefix of the fleet's queue. */
  readonly queuePrefix: string;
}

/** The keys of the fleet `name`: `fleet:{<name>}:…`. */
export function fleetKeys(name: string): FleetKeys {
  const base = `fleet:{${name}}:`;
  return {
    log: `${base}budget:log`,
    pause: `${base}budget:pause`,
    generation: `${base}budget:generation`,
    stats: `${base}stats`,
    members: `${base}members`,
    campaigns: `${base}campaign:`,
    queuePrefix: `fleet:{${name}}:bull`,
  };
}
