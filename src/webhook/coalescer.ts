interface Slot<T> {
  running: Promise<T>;
  /** The one follow-up run queued behind the running one; every later request shares it. */
  followUp?: Promise<T>;
}

/**
 * One run at a time per key (a job and an institution). A request while a run is under way queues one
 * follow-up run that starts when the current one ends; further requests share that follow-up, so a burst of
 * JOB_END events costs at most two runs. Each caller's promise settles when a run that started after its request
 * has ended, so a caller that waits is never told "done" by a run that began before its event arrived.
 */
export class Coalescer<T> {
  readonly #slots = new Map<string, Slot<T>>();

  run(key: string, task: () => Promise<T>): Promise<T> {
    const slot = this.#slots.get(key);
    if (!slot) return this.#start(key, task);
    if (!slot.followUp) {
      slot.followUp = slot.running.then(
        () => this.#promote(key, task),
        () => this.#promote(key, task),
      );
    }
    return slot.followUp;
  }

  /** Whether a run for this key is under way. */
  isRunning(key: string): boolean {
    return this.#slots.has(key);
  }

  #start(key: string, task: () => Promise<T>): Promise<T> {
    const running = Promise.resolve().then(task);
    const slot: Slot<T> = { running };
    this.#slots.set(key, slot);
    const clear = () => {
      if (this.#slots.get(key) === slot && !slot.followUp) this.#slots.delete(key);
    };
    running.then(clear, clear);
    return running;
  }

  #promote(key: string, task: () => Promise<T>): Promise<T> {
    this.#slots.delete(key);
    return this.#start(key, task);
  }
}
