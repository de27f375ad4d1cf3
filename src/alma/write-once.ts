import { AlmaWriteUncertainError } from "./errors.js";

export interface WriteOnceOptions<T> {
  /** The write (a POST, PUT or DELETE through the client). */
  write: () => Promise<T>;
  /**
   * Asked after a write whose outcome is unknown: what Alma now holds if the write took effect, `undefined`
   * if it surely did not (so writing again cannot make a duplicate).
   */
  lookup: () => Promise<T | undefined>;
  /** Writes at most this many times (default 3). */
  attempts?: number;
  /** Replaces `attempts`: told the number of uncertain writes so far, says whether to give up. */
  giveUp?: (attempt: number) => boolean;
  /** Waits before the look-up so a write still under way at Alma can land (default: no wait). */
  pause?: (attempt: number) => Promise<void>;
  /** Told of every uncertain outcome (for the log). */
  onUncertain?: (error: AlmaWriteUncertainError, attempt: number) => void;
}

/**
 * "Look, then write": Alma's writes are not idempotent (a POST replayed after a time-out may create a second
 * item, request or loan), so the transport never replays a write that may have reached Alma; it throws
 * `AlmaWriteUncertainError`. This runs the write; after such an outcome it runs the look-up, returns what it
 * finds, and writes again only when the look-up shows nothing was written.
 *
 * ```ts
 * const item = await writeOnce({
 *   write: () => scf.items.createRaw(mmsId, holdingId, newItem),
 *   lookup: () => scf.items.findByBarcode(scfBarcode),
 * });
 * ```
 * The area methods (`items.create`, `holdings.create`, `requests.createItemRequest`, …) do this with a
 * default look-up; pass `{ lookup }` to override it.
 */
export async function writeOnce<T>(options: WriteOnceOptions<T>): Promise<T> {
  const attempts = options.attempts ?? 3;
  const giveUp = options.giveUp ?? ((attempt: number) => attempt >= attempts);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await options.write();
    } catch (error) {
      if (!(error instanceof AlmaWriteUncertainError)) throw error;
      options.onUncertain?.(error, attempt);
      await options.pause?.(attempt);
      const found = await options.lookup();
      if (found !== undefined) return found;
      if (giveUp(attempt)) throw error;
    }
  }
}
