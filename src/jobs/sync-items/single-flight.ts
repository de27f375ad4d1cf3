/**
 * One promise per key for the life of a run: concurrent callers asking for the same key share the first
 * caller's work, so two items of one bib never create two bibs or two holdings. A failure is not cached.
 */
export class SingleFlight<T> {
  readonly #entries = new Map<string, Promise<T>>();

  get(key: string, work: () => Promise<T>): Promise<T> {
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = work();
      this.#entries.set(key, entry);
      entry.catch(() => this.#entries.delete(key));
    }
    return entry;
  }
}
