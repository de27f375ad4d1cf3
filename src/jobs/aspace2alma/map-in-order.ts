import pLimit from "p-limit";

export interface MapInOrderOptions {
  /** Items worked on at once. */
  concurrency: number;
  /** Items started but not yet handed out, at most (bounds memory when one item is slow); default 4 × concurrency. */
  window?: number;
}

/**
 * Runs `work` on every item, `concurrency` at a time, and yields the results in item order, so the output
 * keeps a stable order however the answers arrive. `work` must not reject: return failures as values.
 * Leaving the loop early drops the items not yet started.
 */
export async function* mapInOrder<T, R>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<R>,
  options: MapInOrderOptions,
): AsyncGenerator<R> {
  const limit = pLimit(Math.max(1, options.concurrency));
  const window = Math.max(1, options.window ?? options.concurrency * 4);
  const started: Promise<R>[] = [];
  let next = 0;
  const fill = () => {
    while (next < items.length && started.length < window) {
      const index = next++;
      const item = items[index]!;
      started.push(limit(() => work(item, index)));
    }
  };
  try {
    fill();
    while (started.length > 0) {
      const result = await started.shift()!;
      fill();
      yield result;
    }
  } finally {
    limit.clearQueue();
  }
}
