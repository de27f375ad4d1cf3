import pThrottle from "p-throttle";

export interface RateLimiterOptions {
  /** Calls per second (Alma allows 25 per institution, all keys together). */
  perSecond: number;
  /**
   * Share by which the window is stretched (default 0.04: 25 calls per 1.04 s), a little slack for the
   * clocks of two machines.
   */
  margin?: number;
  /**
   * How long one limiter second lasts on the wall clock (default 1000 ms). Tests shrink it to play a long
   * burst quickly; the limiter's clock and release log stay in limiter milliseconds either way.
   */
  secondMs?: number;
  /**
   * A call holds its place in the window until its answer, but no longer than this (wall ms) after its
   * release: by then it has reached Alma, and a slow answer must not stall the others (default 1000).
   */
  holdAtMostMs?: number;
  /** The wall clock in ms (default `performance.now`). */
  now?: () => number;
  /** Released calls kept in the log (the oldest go first; `released` still counts them all). */
  logSize?: number;
  /** Aborts the calls still waiting for their turn. */
  signal?: AbortSignal;
}

/** One call's place in the window. */
interface Slot {
  /** Limiter ms when the call went out (once it has). */
  releasedAt?: number;
  /** Limiter ms when its answer (or failure) came back. */
  answeredAt?: number;
  released: Promise<void>;
  markReleased: () => void;
  answered: Promise<void>;
  markAnswered: () => void;
}

/**
 * One institution's rate limit, so that Alma never sees more than `perSecond` calls of ours within a second.
 *
 * Alma counts a call when it arrives, which can be well after the limiter released it (a busy event loop, a
 * connection being opened). So a call keeps its place in the window from its release until its request has
 * actually been written to the socket (`sent()`, or its answer, or `holdAtMostMs`), and then for one more
 * window stretched by the margin (network jitter): the call `perSecond` places later waits for that. Calls
 * go out in order. p-throttle (strict mode) paces them evenly, one per 1/`perSecond` s, rather than in
 * bursts that open many connections at once. The limiter keeps its own clock and the release time of each
 * call, so a test checks the schedule rather than the wall clock.
 */
export class RateLimiter {
  readonly perSecond: number;
  /** The window in limiter ms (1000 stretched by the margin). */
  readonly windowMs: number;
  readonly #scale: number;
  readonly #now: () => number;
  readonly #origin: number;
  readonly #logSize: number;
  readonly #signal: AbortSignal | undefined;
  /** `holdAtMostMs` in limiter ms. */
  readonly #holdAtMost: number;
  readonly #log: number[] = [];
  /** The last `perSecond` slots, oldest first. */
  readonly #slots: Slot[] = [];
  #tail: Promise<void> = Promise.resolve();
  #released = 0;
  readonly #throttled: (task: (sent: () => void) => Promise<unknown>) => Promise<unknown>;

  constructor(options: RateLimiterOptions) {
    this.perSecond = options.perSecond;
    this.#scale = 1000 / (options.secondMs ?? 1000);
    this.windowMs = 1000 * (1 + (options.margin ?? 0.04));
    this.#now = options.now ?? (() => performance.now());
    this.#origin = this.#now();
    this.#logSize = options.logSize ?? 10_000;
    this.#signal = options.signal;
    this.#holdAtMost = (options.holdAtMostMs ?? 1000) * this.#scale;
    const throttle = pThrottle({
      limit: 1,
      interval: this.windowMs / options.perSecond / this.#scale,
      strict: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    this.#throttled = throttle(async (task: (sent: () => void) => Promise<unknown>) => {
      const slot = await this.#take();
      const gone = () => {
        slot.answeredAt ??= this.clock();
        slot.markAnswered();
      };
      try {
        return await task(gone);
      } finally {
        gone();
      }
    });
  }

  /**
   * Runs `task` when its turn comes. The task calls `sent()` once its request has been written to the socket:
   * from then on the call is on its way to Alma, and its place is counted from that moment rather than from
   * its answer (without the call, from its answer).
   */
  schedule<T>(task: (sent: () => void) => Promise<T>): Promise<T> {
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

  /** Waits until the window has room for one more call, after the calls queued before it. */
  async #take(): Promise<Slot> {
    const slot = newSlot();
    const previous = this.#tail;
    const prior =
      this.#slots.length >= this.perSecond ? this.#slots[this.#slots.length - this.perSecond] : undefined;
    this.#slots.push(slot);
    if (this.#slots.length > this.perSecond) this.#slots.shift();
    this.#tail = slot.released;
    try {
      await previous;
      // p-throttle's timers may fire late and then together: keep the even spacing here as well.
      const last = this.#log.at(-1);
      if (last !== undefined) await this.#waitUntil(last + this.windowMs / this.perSecond);
      if (prior?.releasedAt !== undefined) {
        const cap = prior.releasedAt + this.#holdAtMost;
        await this.#waitUntil(cap, prior.answered);
        await this.#waitUntil(Math.min(prior.answeredAt ?? cap, cap) + this.windowMs);
      }
    } finally {
      // Released even when aborted, so the calls queued behind it are not stuck.
      slot.releasedAt = this.clock();
      slot.markReleased();
    }
    this.#released += 1;
    this.#log.push(slot.releasedAt);
    if (this.#log.length > this.#logSize) this.#log.shift();
    return slot;
  }

  /**
   * Resolves once the limiter clock reads `at` (a timer may fire a little early: it then waits again), or
   * as soon as `unless` settles. The timer is a normal one: a process waiting for its turn must stay alive.
   */
  async #waitUntil(at: number, unless?: Promise<void>): Promise<void> {
    let cancelled = false;
    void unless?.then(() => (cancelled = true));
    for (let wait = at - this.clock(); wait > 0 && !cancelled; wait = at - this.clock()) {
      this.#signal?.throwIfAborted();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.ceil(wait / this.#scale));
        void unless?.then(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

function newSlot(): Slot {
  let markReleased = () => {};
  let markAnswered = () => {};
  const released = new Promise<void>((resolve) => (markReleased = resolve));
  const answered = new Promise<void>((resolve) => (markAnswered = resolve));
  return { released, markReleased, answered, markAnswered };
}

/** The limiters of one process, one per institution code: every client of an institution shares it. */
export class RateLimiters {
  readonly #limiters = new Map<string, RateLimiter>();

  constructor(readonly options: RateLimiterOptions) {}

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
