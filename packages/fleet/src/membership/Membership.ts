import { Emitter } from '../common/Emitter.js';
import { withTimeout } from '../common/sleep.js';
import type { FleetKeys } from '../keys.js';
import { type ScriptedRedis, withFleetScript } from '../script.js';

/** Events of a {@link Membership}. */
export interface MembershipEvents {
  /** The members alive changed (ids, sorted). */
  readonly change: readonly string[];
}

/**
 * Who is in the fleet: each member's heartbeat (every `heartbeatMs`) renews its entry in a sorted set whose scores are
 * expiry times on Redis's clock, so a member that stops beating (crashed, cut off) is gone after `memberTtlMs`.
 * Each heartbeat answers the members alive, which are kept as the members *last seen*: the budget's static
 * shares while Redis is down, and the fair share of campaigns, are computed from them.
 */
export class Membership {
  readonly workerId: string;
  readonly #redis: ScriptedRedis & { status?: string };
  readonly #keys: FleetKeys;
  readonly #heartbeatMs: number;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  readonly #emitter = new Emitter<MembershipEvents>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #members: readonly string[] | undefined;
  #stopped = false;

  constructor(options: {
    redis: object;
    keys: FleetKeys;
    workerId: string;
    heartbeatMs: number;
    memberTtlMs: number;
    timeoutMs: number;
  }) {
    this.#redis = withFleetScript(options.redis);
    this.#keys = options.keys;
    this.workerId = options.workerId;
    this.#heartbeatMs = options.heartbeatMs;
    this.#ttlMs = options.memberTtlMs;
    this.#timeoutMs = options.timeoutMs;
  }

  /** The members seen by the last heartbeat that reached Redis (this one included), or undefined if none did. */
  get members(): readonly string[] | undefined {
    return this.#members;
  }

  /** Starts beating: one heartbeat now (awaited; a failure is not thrown, the next beat tries again), then on a timer. */
  async start(): Promise<void> {
    if (this.#timer !== undefined || this.#stopped) return;
    this.#timer = setInterval(() => void this.beat(), this.#heartbeatMs);
    this.#timer.unref?.();
    await this.beat();
  }

  /** One heartbeat; answers the members alive, or undefined when Redis could not be reached. */
  async beat(): Promise<readonly string[] | undefined> {
    if (this.#stopped || (this.#redis.status !== undefined && this.#redis.status !== 'ready')) return undefined;
    const k = this.#keys;
    try {
      const members = (await withTimeout(
        this.#redis.fleetScript(
          k.log,
          k.pause,
          k.generation,
          k.stats,
          k.members,
          'heartbeat',
          this.workerId,
          this.#ttlMs,
        ),
        this.#timeoutMs,
        'a heartbeat',
      )) as string[];
      if (this.#stopped) return undefined;
      const changed = this.#members === undefined || this.#members.join('\n') !== members.join('\n');
      this.#members = members;
      if (changed) this.#emitter.emit('change', members);
      return members;
    } catch {
      return undefined;
    }
  }

  /** Listens to an event; returns a way to stop listening. */
  on<K extends keyof MembershipEvents>(name: K, listener: (payload: MembershipEvents[K]) => unknown): () => void {
    return this.#emitter.on(name, listener);
  }

  /** Stops beating and leaves the fleet at once (best effort: if Redis is down, the entry expires by itself). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    if (this.#redis.status !== undefined && this.#redis.status !== 'ready') return;
    const k = this.#keys;
    await withTimeout(
      this.#redis.fleetScript(k.log, k.pause, k.generation, k.stats, k.members, 'leave', this.workerId),
      this.#timeoutMs,
      'leaving the fleet',
    ).catch(() => undefined);
  }
}
