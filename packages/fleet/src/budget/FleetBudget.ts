import { Emitter } from '../common/Emitter.js';
import { sleep, withTimeout } from '../common/sleep.js';
import { FleetClosedError } from '../errors/FleetClosedError.js';
import { type FleetKeys, fleetKeys } from '../keys.js';
import { Membership } from '../membership/Membership.js';
import { type ScriptedRedis, withFleetScript } from '../script.js';
import { type FleetBudgetOptions, type ResolvedBudgetOptions, resolveBudgetOptions } from './options.js';
import { fallbackWait, localShare } from './share.js';
import { slidingWindow } from './window.js';

/** Where a grant came from: the fleet's shared log in Redis, or this member's static share while Redis is down. */
export type BudgetMode = 'redis' | 'local';

/** A granted request. */
export interface Grant {
  /** When it was granted, ms: on Redis's clock in `redis` mode, on the member's clock in `local` mode. */
  readonly at: number;
  readonly mode: BudgetMode;
  /** How long this `acquire()` waited. */
  readonly waitedMs: number;
  /** Grants in the window at this one, itself included (in `local` mode: this member's). */
  readonly used: number;
}

/** What `acquire()` may be told of the request (the scheduler's `GateRequest` fits); it is not used to decide. */
export interface GateRequestLike {
  readonly batchId?: string;
  readonly attempt?: number;
  readonly campaigns?: number;
  readonly events?: number;
}

/** The part of a `ServerUpdateScheduler` that {@link FleetBudget.watch} listens to. */
export interface ResponseSource {
  on(
    name: 'response',
    listener: (event: { readonly status: number | undefined; readonly retryAfterMs: number | undefined }) => unknown,
  ): () => void;
}

/** Events of a {@link FleetBudget}. */
export interface FleetBudgetEvents {
  /** The member switched mode: `local` when Redis could not be reached (with why), `redis` when it came back. */
  readonly mode: { readonly mode: BudgetMode; readonly reason: string };
  /** The fleet was paused for a Retry-After (by this member). */
  readonly pause: { readonly pauseMs: number };
}

/** This member's own counters (no Redis call). */
export interface LocalBudgetStats {
  readonly mode: BudgetMode;
  readonly grants: number;
  readonly redisGrants: number;
  readonly localGrants: number;
  /** Time spent waiting in `acquire()`, summed over the grants. */
  readonly waitedMs: number;
  /** The members last seen, and the static share they give this member. */
  readonly members: readonly string[] | undefined;
  readonly share: number;
}

/** The whole fleet's stats, read from Redis. */
export interface FleetStats {
  readonly members: readonly string[];
  readonly budget: number;
  readonly windowMs: number;
  /** Grants in the current window. */
  readonly used: number;
  /** Until when (ms on Redis's clock) the fleet is paused, if it is. */
  readonly pausedUntil: number | undefined;
  /** Grants since the stats were created (kept a day after the last grant), and the time spent waiting for them. */
  readonly requests: number;
  readonly waitedMs: number;
  readonly perWorker: Readonly<Record<string, { readonly requests: number; readonly waitedMs: number }>>;
}

interface OwnGrant {
  readonly at: number;
  /** The generation of the Redis log it is recorded in; undefined while it is in none (a local grant, or lost). */
  generation: string | undefined;
  sending: boolean;
}

type Attempt = Grant | { readonly waitMs: number } | undefined;

const defaultMaxPauseMs = 600_000;

/**
 * A request budget shared by a fleet through Redis: at most `budget` requests start in any sliding window of
 * `windowMs` across every member, counted on Redis's clock; a 429/503 with Retry-After seen by one member pauses all;
 * while Redis is down each member falls back to a static share of the budget. See {@link createFleetBudget}.
 */
export class FleetBudget {
  readonly workerId: string;
  readonly name: string;
  readonly budget: number;
  readonly windowMs: number;
  readonly membership: Membership;
  readonly keys: FleetKeys;
  /** Settles once the first heartbeat was tried. */
  readonly ready: Promise<void>;
  /**
   * `acquire` as a scheduler's `requestGate`: `new ServerUpdateScheduler({ transport, requestGate: budget.gate })`.
   */
  readonly gate: (request: GateRequestLike, context: { readonly signal: AbortSignal }) => Promise<void>;
  readonly #o: ResolvedBudgetOptions;
  readonly #redis: ScriptedRedis & { status?: string };
  readonly #emitter = new Emitter<FleetBudgetEvents>();
  readonly #closing = new AbortController();
  readonly #nonce = globalThis.crypto.randomUUID().slice(0, 8);
  #grants: OwnGrant[] = [];
  #generation = '';
  #downSince: number | undefined;
  #pausedUntil = Number.NEGATIVE_INFINITY;
  #seq = 0;
  #counts = { redisGrants: 0, localGrants: 0, waitedMs: 0 };

  constructor(options: FleetBudgetOptions) {
    this.#o = resolveBudgetOptions(options);
    const o = this.#o;
    this.#redis = withFleetScript(o.redis);
    this.workerId = o.workerId;
    this.name = o.name;
    this.budget = o.budget;
    this.windowMs = o.windowMs;
    this.keys = fleetKeys(o.name);
    this.membership = new Membership({
      redis: o.redis,
      keys: this.keys,
      workerId: o.workerId,
      heartbeatMs: o.heartbeatMs,
      memberTtlMs: o.memberTtlMs,
      timeoutMs: o.redisTimeoutMs,
    });
    this.ready = this.membership.start();
    this.gate = (request, context) => this.acquire(request, context).then(() => undefined);
  }

  /** The mode the last decision was made in. */
  get mode(): BudgetMode {
    return this.#downSince === undefined ? 'redis' : 'local';
  }

  /**
   * Resolves when this member may start one request (and counts it), after waiting as long as the budget requires.
   * Rejects with the signal's reason when `signal` aborts, and with a {@link FleetClosedError} once the budget is
   * closed. Never rejects because Redis is down: then the static share decides.
   */
  async acquire(_request?: GateRequestLike, context?: { readonly signal?: AbortSignal }): Promise<Grant> {
    const signal = context?.signal ? AbortSignal.any([context.signal, this.#closing.signal]) : this.#closing.signal;
    const started = this.#o.clock.now();
    for (;;) {
      if (this.#closing.signal.aborted) throw new FleetClosedError();
      signal.throwIfAborted();
      let attempt: Attempt = await this.#fromRedis(started);
      const fallback = attempt === undefined;
      if (fallback) attempt = this.#fromShare(started);
      if (attempt !== undefined && 'at' in attempt) return attempt;
      const waitMs = attempt?.waitMs ?? 0;
      if (waitMs <= 0) continue;
      try {
        await sleep(fallback ? Math.min(waitMs, this.#o.probeMs) : Math.min(waitMs, this.windowMs), signal);
      } catch (error) {
        if (this.#closing.signal.aborted) throw new FleetClosedError();
        throw error;
      }
    }
  }

  /**
   * Pauses the whole fleet for `pauseMs` (capped at 10 minutes): no member is granted a request before then. Set in
   * Redis (a longer pause already set stays) and kept locally, so it also holds while Redis is down.
   */
  async pause(pauseMs: number): Promise<void> {
    if (!(typeof pauseMs === 'number' && pauseMs > 0)) return;
    const ms = Math.ceil(Math.min(pauseMs, defaultMaxPauseMs));
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#o.clock.now() + ms);
    this.#emitter.emit('pause', { pauseMs: ms });
    if (this.#redis.status !== undefined && this.#redis.status !== 'ready') return;
    const k = this.keys;
    await withTimeout(
      this.#redis.fleetScript(k.log, k.pause, k.generation, k.stats, k.members, 'pause', ms),
      this.#o.redisTimeoutMs,
      'a fleet pause',
    ).catch(() => undefined);
  }

  /**
   * Listens to a scheduler's `response` events: a 429 or 503 with Retry-After pauses the fleet until then. Returns a
   * way to stop listening.
   */
  watch(scheduler: ResponseSource): () => void {
    return scheduler.on('response', (event) => {
      if ((event.status === 429 || event.status === 503) && (event.retryAfterMs ?? 0) > 0) {
        void this.pause(event.retryAfterMs as number);
      }
    });
  }

  /** Listens to an event; returns a way to stop listening. */
  on<K extends keyof FleetBudgetEvents>(name: K, listener: (payload: FleetBudgetEvents[K]) => unknown): () => void {
    return this.#emitter.on(name, listener);
  }

  /** This member's counters, without a Redis call. */
  localStats(): LocalBudgetStats {
    const members = this.membership.members;
    return {
      mode: this.mode,
      grants: this.#counts.redisGrants + this.#counts.localGrants,
      ...this.#counts,
      members,
      share: localShare(this.budget, members, this.workerId),
    };
  }

  /** The fleet's stats, read from Redis in one round trip. @throws when Redis cannot be reached. */
  async stats(): Promise<FleetStats> {
    const k = this.keys;
    const client = this.#o.redis as {
      multi(): {
        time(): unknown;
        zrange(key: string, start: number, stop: number, withScores: 'WITHSCORES'): unknown;
        hgetall(key: string): unknown;
        get(key: string): unknown;
        exec(): Promise<[Error | null, unknown][] | null>;
      };
    };
    const m = client.multi();
    m.time();
    m.zrange(k.log, 0, -1, 'WITHSCORES');
    m.zrange(k.members, 0, -1, 'WITHSCORES');
    m.hgetall(k.stats);
    m.get(k.pause);
    const replies = await withTimeout(m.exec(), this.#o.redisTimeoutMs * 4, 'reading the fleet stats');
    const [time, log, members, stats, pause] = (replies ?? []).map(([error, value]) => {
      if (error) throw error;
      return value;
    }) as [string[], string[], string[], Record<string, string>, string | null];
    const now = Number(time[0]) * 1e6 + Number(time[1]);
    const scores = (list: string[]) =>
      list.flatMap((value, i) => (i % 2 === 1 ? [[list[i - 1] as string, Number(value)] as const] : []));
    const perWorker: Record<string, { requests: number; waitedMs: number }> = {};
    for (const [field, value] of Object.entries(stats)) {
      const match = /^(requests|waitedMs):(.+)$/.exec(field);
      if (!match) continue;
      const id = match[2] as string;
      const entry = perWorker[id] ?? { requests: 0, waitedMs: 0 };
      perWorker[id] = entry;
      entry[match[1] as 'requests' | 'waitedMs'] = Number(value);
    }
    return {
      members: scores(members)
        .filter(([, expiry]) => expiry > now)
        .map(([id]) => id),
      budget: this.budget,
      windowMs: this.windowMs,
      used: scores(log).filter(([, at]) => at > now - this.windowMs * 1000).length,
      pausedUntil: pause !== null && Number(pause) > now ? Number(pause) / 1000 : undefined,
      requests: Number(stats.requests ?? 0),
      waitedMs: Number(stats.waitedMs ?? 0),
      perWorker,
    };
  }

  /** Stops: pending and later `acquire()`s reject with a {@link FleetClosedError}; the member leaves the fleet. */
  async close(): Promise<void> {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort(new FleetClosedError());
    await this.membership.stop();
  }

  /** One try through Redis: a grant, a wait, or undefined when Redis cannot be reached (then the share decides). */
  async #fromRedis(started: number): Promise<Attempt> {
    const status = this.#redis.status;
    if (status !== undefined && status !== 'ready') {
      this.#down(`the Redis connection is ${status}`);
      return undefined;
    }
    const now = this.#o.clock.now();
    this.#trim(now);
    // Grants the log does not hold (made while Redis was down, or lost with a restarted Redis), as ages in µs.
    const backfill = this.#grants.filter((grant) => grant.generation !== this.#generation && !grant.sending);
    for (const grant of backfill) grant.sending = true;
    const ages = backfill.map((grant) => Math.max(0, Math.round((now - grant.at) * 1000)));
    const k = this.keys;
    const member = `${this.workerId}:${this.#nonce}:${++this.#seq}`;
    let reply: [number, number, string, number];
    try {
      reply = (await withTimeout(
        this.#redis.fleetScript(
          k.log,
          k.pause,
          k.generation,
          k.stats,
          k.members,
          'acquire',
          this.budget,
          this.windowMs + this.#o.marginMs,
          member,
          this.#generation,
          this.workerId,
          Math.max(0, Math.round(now - started)),
          ...ages,
        ),
        this.#o.redisTimeoutMs,
        'a budget call',
      )) as [number, number, string, number];
    } catch (error) {
      for (const grant of backfill) grant.sending = false;
      this.#down((error as Error)?.message ?? String(error));
      return undefined;
    }
    const [code, value, generation, used] = reply;
    for (const grant of backfill) {
      grant.sending = false;
      if (code !== 2) grant.generation = generation;
    }
    this.#up();
    if (code === 2) {
      this.#generation = generation;
      return { waitMs: 0 };
    }
    if (code !== 1) return { waitMs: Math.max(1, Math.ceil(value / 1000)) };
    const at = this.#o.clock.now();
    this.#grants.push({ at, generation, sending: false });
    const waitedMs = Math.max(0, at - started);
    this.#counts.redisGrants++;
    this.#counts.waitedMs += waitedMs;
    return { at: value / 1000, mode: 'redis', waitedMs, used };
  }

  /** One try through the static share, while Redis is down. */
  #fromShare(started: number): Attempt {
    const now = this.#o.clock.now();
    this.#trim(now);
    const share = localShare(this.budget, this.membership.members, this.workerId);
    const wait = fallbackWait({
      now,
      downSince: this.#downSince ?? now,
      windowMs: this.windowMs + this.#o.marginMs,
      pausedUntil: this.#pausedUntil,
    });
    if (wait > 0) return { waitMs: wait };
    const decision = slidingWindow(
      this.#grants.map((grant) => grant.at),
      now,
      share,
      this.windowMs + this.#o.marginMs,
    );
    if (!decision.grant) return { waitMs: decision.waitMs };
    this.#grants.push({ at: now, generation: undefined, sending: false });
    const waitedMs = Math.max(0, now - started);
    this.#counts.localGrants++;
    this.#counts.waitedMs += waitedMs;
    return { at: now, mode: 'local', waitedMs, used: this.#grants.filter((g) => g.at > now - this.windowMs).length };
  }

  #trim(now: number): void {
    const span = this.windowMs + this.#o.marginMs;
    if (this.#grants.length > 0 && (this.#grants[0] as OwnGrant).at <= now - span) {
      this.#grants = this.#grants.filter((grant) => grant.at > now - span);
    }
  }

  #down(reason: string): void {
    if (this.#downSince !== undefined) return;
    this.#downSince = this.#o.clock.now();
    this.#emitter.emit('mode', { mode: 'local', reason });
  }

  #up(): void {
    if (this.#downSince === undefined) return;
    this.#downSince = undefined;
    this.#emitter.emit('mode', { mode: 'redis', reason: 'Redis answered again' });
  }
}

/**
 * Creates a fleet request budget: at most `budget` requests in any sliding `windowMs` for the whole fleet.
 *
 * @example
 * ```ts
 * const redis = new Redis('redis://127.0.0.1:6379', fleetRedisOptions);
 * const budget = createFleetBudget({ redis, name: 'mail', budget: 20 });
 * const scheduler = new ServerUpdateScheduler({ transport, requestGate: budget.gate });
 * budget.watch(scheduler); // a 429/503 with Retry-After pauses the whole fleet
 * ```
 * @throws TypeError or RangeError naming the option that is wrong.
 */
export function createFleetBudget(options: FleetBudgetOptions): FleetBudget {
  return new FleetBudget(options);
}
