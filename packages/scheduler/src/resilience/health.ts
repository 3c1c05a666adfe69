/** How an answer looked to the server-health tracker (`none`: nothing reached the server). */
export type AnswerKind = 'ok' | 'throttled' | 'failed' | 'none';

export interface HealthOptions {
  readonly slowResponseMs: number;
  readonly stretchFactor: number;
  readonly relaxFactor: number;
  readonly maxStretch: number;
}

// Smoothing of the latency and error averages: recent answers weigh most, one outlier does not decide.
const ALPHA = 0.3;

/**
 * Tracks the server's latency and error rate, and turns them into a stretch of the intervals: every sign of
 * struggle (a slow answer, throttling) multiplies it, every healthy answer divides it back toward 1.
 * Increase and decrease are both multiplicative and bounded, so load follows the server's capacity.
 */
export class ServerHealth {
  readonly #options: HealthOptions;
  #stretch = 1;
  #latencyMs: number | undefined;
  #errorRate = 0;

  constructor(options: HealthOptions) {
    this.#options = options;
  }

  /** The factor the intervals and the spacing are multiplied by, from 1 to `maxStretch`. */
  get stretch(): number {
    return this.#stretch;
  }

  /** The smoothed latency of answers, in milliseconds (undefined before the first). */
  get latencyMs(): number | undefined {
    return this.#latencyMs;
  }

  /** The smoothed share of answers that were failures or throttling. */
  get errorRate(): number {
    return this.#errorRate;
  }

  onAnswer(latencyMs: number, kind: AnswerKind): void {
    if (kind === 'none') return;
    this.#latencyMs = this.#latencyMs === undefined ? latencyMs : ALPHA * latencyMs + (1 - ALPHA) * this.#latencyMs;
    this.#errorRate = ALPHA * (kind === 'ok' ? 0 : 1) + (1 - ALPHA) * this.#errorRate;
    const { slowResponseMs, stretchFactor, relaxFactor, maxStretch } = this.#options;
    // A failure (network, 5xx) is the breaker's and the backoff's business; stretching for it too would leave
    // the intervals long after an outage ends. Slowness and throttling are the server asking for less.
    if (kind === 'failed') return;
    const struggling = kind === 'throttled' || this.#latencyMs > slowResponseMs;
    this.#stretch = struggling
      ? Math.min(maxStretch, this.#stretch * stretchFactor)
      : Math.max(1, this.#stretch / relaxFactor);
  }
}
