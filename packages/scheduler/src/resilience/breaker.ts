/** The circuit breaker's state: `closed` sends, `open` waits out a cool-down, `half-open` sends one probe. */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  readonly threshold: number;
  readonly failureRatio: number;
  readonly window: number;
  readonly minSamples: number;
  readonly cooldownMs: number;
  readonly maxCooldownMs: number;
}

/**
 * A circuit breaker driven by the caller's clock: it opens after `threshold` consecutive failures or a failure
 * ratio over a sliding window, lets one probe through once the cool-down has passed, closes when the probe
 * succeeds and opens again, with the cool-down doubled (up to its cap), when it fails.
 */
export class CircuitBreaker {
  readonly #options: BreakerOptions;
  #state: BreakerState = 'closed';
  #openUntil = 0;
  #cooldownMs: number;
  #consecutiveFailures = 0;
  #probeInFlight = false;
  readonly #outcomes: boolean[] = [];

  constructor(options: BreakerOptions) {
    this.#options = options;
    this.#cooldownMs = options.cooldownMs;
  }

  /** The state at `now`; an open breaker whose cool-down has passed is half-open. */
  state(now: number): BreakerState {
    if (this.#state === 'open' && now >= this.#openUntil) this.#state = 'half-open';
    return this.#state;
  }

  /** When a request may start: `now` if one may, the end of the cool-down, or Infinity while a probe runs. */
  nextRequestAt(now: number): number {
    const state = this.state(now);
    if (state === 'open') return this.#openUntil;
    if (state === 'half-open' && this.#probeInFlight) return Number.POSITIVE_INFINITY;
    return now;
  }

  /** The cool-down the breaker would wait if it opened now. */
  get cooldownMs(): number {
    return this.#cooldownMs;
  }

  /** Notes a request start; in the half-open state it is the probe. */
  onRequest(now: number): void {
    if (this.state(now) === 'half-open') this.#probeInFlight = true;
  }

  /** Notes a healthy answer; returns the new state if it changed. */
  onSuccess(now: number, wasProbe: boolean): BreakerState | undefined {
    this.#record(true);
    this.#consecutiveFailures = 0;
    if (wasProbe) this.#probeInFlight = false;
    if (this.state(now) === 'half-open' && wasProbe) {
      this.#state = 'closed';
      this.#cooldownMs = this.#options.cooldownMs;
      this.#outcomes.length = 0;
      return 'closed';
    }
    return undefined;
  }

  /** Notes a request that never reached the server (it could not be encoded): it says nothing either way. */
  onNothingSent(wasProbe: boolean): void {
    if (wasProbe) this.#probeInFlight = false;
  }

  /** Notes a failure; returns the new state if it changed. */
  onFailure(now: number, wasProbe: boolean): BreakerState | undefined {
    this.#record(false);
    this.#consecutiveFailures++;
    if (wasProbe) this.#probeInFlight = false;
    const state = this.state(now);
    if (state === 'half-open' && wasProbe) {
      this.#cooldownMs = Math.min(this.#options.maxCooldownMs, this.#cooldownMs * 2);
      return this.#open(now);
    }
    if (state === 'closed' && this.#shouldOpen()) return this.#open(now);
    return undefined;
  }

  #shouldOpen(): boolean {
    const { threshold, failureRatio, minSamples } = this.#options;
    if (this.#consecutiveFailures >= threshold) return true;
    if (this.#outcomes.length < minSamples) return false;
    const failures = this.#outcomes.reduce((count, ok) => count + (ok ? 0 : 1), 0);
    return failures / this.#outcomes.length >= failureRatio;
  }

  #open(now: number): BreakerState {
    this.#state = 'open';
    this.#openUntil = now + this.#cooldownMs;
    return 'open';
  }

  #record(ok: boolean): void {
    this.#outcomes.push(ok);
    if (this.#outcomes.length > this.#options.window) this.#outcomes.shift();
  }
}
