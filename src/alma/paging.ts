import pLimit from "p-limit";
import { getObject } from "./calls.js";
import { listOf, totalOf } from "./json-shapes.js";
import type { AlmaTransport, QueryValue } from "./transport.js";

/** Alma's largest page. */
export const PAGE_SIZE = 100;

export interface AllPagesOptions {
  /** Pages fetched at once after the first (default 4); the rate limiter still spaces the calls. */
  concurrency?: number;
}

/**
 * Every entry of a paged list (`limit`/`offset`, `total_record_count`): the first page tells the total, the
 * others are fetched a few at once and put back in order.
 */
export async function allPages<T>(
  transport: AlmaTransport,
  path: string,
  key: string,
  query: Record<string, QueryValue> = {},
  options: AllPagesOptions = {},
): Promise<T[]> {
  const first = await getObject<unknown>(transport, path, { ...query, limit: PAGE_SIZE, offset: 0 });
  const total = totalOf(first);
  const offsets: number[] = [];
  for (let offset = PAGE_SIZE; offset < total; offset += PAGE_SIZE) offsets.push(offset);
  const limit = pLimit(options.concurrency ?? 4);
  const pages = await Promise.all(
    offsets.map((offset) =>
      limit(async () =>
        listOf<T>(await getObject<unknown>(transport, path, { ...query, limit: PAGE_SIZE, offset }), key),
      ),
    ),
  );
  return [listOf<T>(first, key), ...pages].flat();
}

/** The entries of a paged list one page at a time, as they come. */
export async function* eachPage<T>(
  transport: AlmaTransport,
  path: string,
  key: string,
  query: Record<string, QueryValue> = {},
): AsyncGenerator<T> {
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const body = await getObject<unknown>(transport, path, { ...query, limit: PAGE_SIZE, offset });
    const page = listOf<T>(body, key);
    yield* page;
    if (page.length < PAGE_SIZE || offset + PAGE_SIZE >= totalOf(body)) return;
  }
}
