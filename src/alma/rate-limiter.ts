import pThrottle from "p-throttle";

export interface RateLimiterOptions {
  /** Calls released per second (Alma allows 25 per institution, all keys together). */
  perSecond: number;
  /**
   * Share by which the window is stretched so that network jitter cannot bring more than `perSecond` calls
   * into one of Alma's seconds (default 0.04: 25 calls per 1.04 s).
   */
  margin?: number;
  /**
   * How long one limiter second lasts on the wall clock (default 1000 ms). Tests shrink it to play a long
   * burst quickly; the limiter's clock and release log stay in limiter milliseconds either way.
   */
  secondMs?: number;
  /** The wall clock in ms (default `performance.now`). */
  now?: () => number;
  /** Released calls kept in the log (the oldest go first; `released` still counts them all). */
  logSize?: number;
  /** Aborts the calls still waiting for their turn. */
  signal?: AbortSignal;
}

/**
 * One institution's rate limit: calls wait their turn so that no window of one second sees more than
 * `perSecond` of them (p-throttle's strict mode, which spaces each call rather than counting per window).
 * It keeps its own clock and the release time of each call so a test can check the schedule without timing.
 */
export class RateLimiter {
  readonly perSecond: number;
  /** The window in limiter ms (1000 stretched by the margin). */
  readonly windowMs: number;
  readonly #scale: number;
  readonly #now: () => number;
  readonly #origin: number;
  readonly #logSize: number;
  readonly #log: number[] = [];
  #released = 0;
  readonly #throttled: (task: () => Promise<unknown>) => Promise<unknown>;

  constructor(options: RateLimiterOptions) {
    this.perSecond = options.perSecond;
    const secondMs = options.secondMs ?? 1000;
    this.#scale = 1000 / secondMs;
    this.windowMs = 1000 * (1 + (options.margin ?? 0.04));
    this.#now = options.now ?? (() => performance.now());
    this.#origin = this.#now();
    this.#logSize = options.logSize ?? 10_000;
    const throttle = pThrottle({
      limit: options.perSecond,
      interval: Math.ceil(this.windowMs / this.#scale),
      strict: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    this.#throttled = throttle((task: () => Promise<unknown>) => {
      this.#record();
      return task();
    });
  }

  /** Runs `task` when its turn comes. */
  schedule<T>(task: () => Promise<T>): Promise<T> {
    return this.#throttled(task) as Promise<T>;
  }

  /** The limiter's clock: limiter ms since it was made. */
  clock(): number {
    return (this.#now() - this.#origin) * this.#scale;
  }

  /** Release times (limiter ms) of the most recent calls, oldest first. */
  releaseLog(): readonly number[] {
    return [...this.#log];
  }

  /** How many calls were released in all. */
  get released(): number {
    return this.#released;
  }

  #record(): void {
    this.#released += 1;
    this.#log.push(this.clock());
    if (this.#log.length > this.#logSize) this.#log.shift();
  }
}

export interface RateLimitersOptions extends Omit<RateLimiterOptions, "perSecond"> {
  perSecond: number;
}

/** The limiters of one process, one per institution code: every client of an institution shares it. */
export class RateLimiters {
  readonly #limiters = new Map<string, RateLimiter>();

  constructor(readonly options: RateLimitersOptions) {}

  /** The institution's limiter, made on first use. */
  for(institution: string): RateLimiter {
    let limiter = this.#limiters.get(institution);
    if (!limiter) {
      limiter = new RateLimiter(this.options);
      this.#limiters.set(institution, limiter);
    }
    return limiter;
  }
}
