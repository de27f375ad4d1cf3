import pLimit from "p-limit";
import { almaPath } from "./alma-path.js";
import { getObject } from "./calls.js";
import { listOf, totalOf } from "./json-shapes.js";
import type { AlmaTransport, QueryValue } from "./transport.js";
import type { AlmaJob, AlmaLibrary, AlmaLocation, AlmaSetMember } from "./types.js";

/** Alma's largest page. */
export const PAGE_SIZE = 100;

export interface AllPagesOptions {
  /** Pages fetched at once after the first (default 4); the rate limiter still spaces the calls. */
  concurrency?: number;
}

/** Configuration: libraries, locations, set members, jobs. */
export class ConfApi {
  constructor(private readonly transport: AlmaTransport) {}

  async libraries(): Promise<AlmaLibrary[]> {
    return listOf<AlmaLibrary>(await getObject<unknown>(this.transport, "conf/libraries"), "library");
  }

  async locations(libraryCode: string): Promise<AlmaLocation[]> {
    const body = await getObject<unknown>(this.transport, almaPath`conf/libraries/${libraryCode}/locations`);
    return listOf<AlmaLocation>(body, "location");
  }

  /** The members of a set, page by page (100 a page), as they come. */
  async *setMembers(setId: string): AsyncGenerator<AlmaSetMember> {
    const path = almaPath`conf/sets/${setId}/members`;
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const body = await getObject<unknown>(this.transport, path, { limit: PAGE_SIZE, offset });
      const page = listOf<AlmaSetMember>(body, "member");
      yield* page;
      if (page.length < PAGE_SIZE || offset + PAGE_SIZE >= totalOf(body)) return;
    }
  }

  /** Every member of a set: the first page tells the total, the others are fetched a few at once. */
  allSetMembers(setId: string, options: AllPagesOptions = {}): Promise<AlmaSetMember[]> {
    return this.#allPages<AlmaSetMember>(almaPath`conf/sets/${setId}/members`, {}, "member", options);
  }

  /** Jobs, e.g. `{ profile_id }` to find a publishing or export profile's job id (every page). */
  jobs(query: Record<string, QueryValue> = {}, options: AllPagesOptions = {}): Promise<AlmaJob[]> {
    return this.#allPages<AlmaJob>("conf/jobs", query, "job", options);
  }

  async #allPages<T>(
    path: string,
    query: Record<string, QueryValue>,
    key: string,
    options: AllPagesOptions,
  ): Promise<T[]> {
    const first = await getObject<unknown>(this.transport, path, { ...query, limit: PAGE_SIZE, offset: 0 });
    const total = totalOf(first);
    const offsets: number[] = [];
    for (let offset = PAGE_SIZE; offset < total; offset += PAGE_SIZE) offsets.push(offset);
    const limit = pLimit(options.concurrency ?? 4);
    const pages = await Promise.all(
      offsets.map((offset) =>
        limit(async () =>
          listOf<T>(
            await getObject<unknown>(this.transport, path, { ...query, limit: PAGE_SIZE, offset }),
            key,
          ),
        ),
      ),
    );
    return [listOf<T>(first, key), ...pages].flat();
  }
}
